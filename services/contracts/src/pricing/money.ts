import { ContractsError } from '../contracts.errors';

// Money is integer JPY held in JS numbers that are safe integers. Any fractional step (tax,
// proration, percentage discounts) is done on BigInt numerator/denominator and rounded once.
export type RoundingMode = 'floor' | 'round' | 'ceil';
export const ROUNDING_MODES: readonly RoundingMode[] = ['floor', 'round', 'ceil'];

// 10000 basis points = 100%.
export const BASIS_POINTS_PER_UNIT = 10_000;

export function assertYen(value: unknown, field: string, options: { min?: number } = {}): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ContractsError('BAD_INPUT', `${field} must be a whole number of yen`, field);
  }
  if (options.min !== undefined && value < options.min) {
    throw new ContractsError('BAD_INPUT', `${field} must be at least ${options.min}`, field);
  }
}

// numerator / denominator rounded with `mode`: 'floor' towards -infinity, 'ceil' towards
// +infinity, 'round' half away from zero (四捨五入).
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates towards zero
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  switch (mode) {
    case 'floor':
      return numerator < 0n ? quotient - 1n : quotient;
    case 'ceil':
      return numerator > 0n ? quotient + 1n : quotient;
    case 'round': {
      const twice = (remainder < 0n ? -remainder : remainder) * 2n;
      if (twice < denominator) return quotient;
      return numerator < 0n ? quotient - 1n : quotient + 1n;
    }
  }
}

// amount x numerator / denominator, rounded once, as yen.
export function multiplyRatio(amount: number, numerator: number, denominator: number, mode: RoundingMode): number {
  const result = divideRounded(BigInt(amount) * BigInt(numerator), BigInt(denominator), mode);
  return toSafeYen(result, 'amount');
}

// amount x count, refusing results beyond Number.MAX_SAFE_INTEGER.
export function multiplyYen(amount: number, count: number, field: string): number {
  return toSafeYen(BigInt(amount) * BigInt(count), field);
}

export function sumYen(values: readonly number[], field: string): number {
  return toSafeYen(
    values.reduce((acc, v) => acc + BigInt(v), 0n),
    field,
  );
}

// The part of `amount` a basis-point rate takes, rounded down (a 15% discount on 1,999 is 299).
export function basisPointsOf(amount: number, basisPoints: number): number {
  return multiplyRatio(amount, basisPoints, BASIS_POINTS_PER_UNIT, 'floor');
}

export function assertRoundingMode(value: unknown, field: string): asserts value is RoundingMode {
  if (!ROUNDING_MODES.includes(value as RoundingMode)) {
    throw new ContractsError('BAD_INPUT', `${field} must be one of ${ROUNDING_MODES.join(', ')}`, field);
  }
}

export function assertBasisPoints(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > BASIS_POINTS_PER_UNIT) {
    throw new ContractsError('BAD_INPUT', `${field} must be whole basis points between 0 and 10000 (100%)`, field);
  }
}

function toSafeYen(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ContractsError('BAD_INPUT', `${field} is too large to be represented exactly`, field);
  }
  return Number(value);
}
