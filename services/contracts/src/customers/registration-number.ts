// Qualified invoice issuer registration number (適格請求書発行事業者登録番号): 'T' followed by
// 13 digits. For a corporation the digits are its corporate number (法人番号); sole proprietors
// are given a 13-digit number from the same scheme. The first of the 13 digits is a check digit
// over the other 12 (National Tax Agency, 法人番号の指定等に関する省令 / 検査用数字):
//   check = 9 - (sum over n = 1..12 of P(n) x Q(n)) mod 9
// where P(n) is the n-th digit of the 12-digit base counted from the right (least significant)
// and Q(n) is 1 when n is odd, 2 when n is even. Example: 国税庁 7000012050002 has base
// 000012050002, weighted sum 11, 11 mod 9 = 2, check 9 - 2 = 7.
import { ContractsError } from '../contracts.errors';

export type RegistrationNumberProblem = 'EMPTY' | 'WRONG_PREFIX' | 'NOT_DIGITS' | 'WRONG_LENGTH' | 'BAD_CHECK_DIGIT';

export type RegistrationNumberCheck =
  | { valid: true; registrationNumber: string; corporateNumber: string }
  | { valid: false; reason: RegistrationNumberProblem; message: string };

// The check digit (1..9) for the 12 digits that follow it.
export function corporateNumberCheckDigit(base12: string): number {
  if (!/^\d{12}$/.test(base12)) throw new RangeError('the base of a corporate number is exactly 12 digits');
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const digit = Number(base12[12 - n]);
    sum += digit * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

// Exact format only: no trimming, no full-width digits, no hyphens, upper-case 'T'.
export function checkRegistrationNumber(value: string): RegistrationNumberCheck {
  if (typeof value !== 'string' || value.length === 0) {
    return invalid('EMPTY', 'the registration number is empty');
  }
  if (value[0] !== 'T') {
    return invalid('WRONG_PREFIX', `a registration number starts with an upper-case 'T' (T + 13 digits), got ${JSON.stringify(value[0])}`);
  }
  const digits = value.slice(1);
  if (!/^[0-9]*$/.test(digits)) {
    return invalid('NOT_DIGITS', "only the digits 0-9 may follow the 'T' (no spaces, hyphens or full-width digits)");
  }
  if (digits.length !== 13) {
    return invalid('WRONG_LENGTH', `'T' must be followed by exactly 13 digits, got ${digits.length}`);
  }
  const expected = corporateNumberCheckDigit(digits.slice(1));
  if (Number(digits[0]) !== expected) {
    return invalid('BAD_CHECK_DIGIT', `the check digit (first digit after 'T') should be ${expected}, got ${digits[0]}: the number is mistyped`);
  }
  return { valid: true, registrationNumber: value, corporateNumber: digits };
}

export function isValidRegistrationNumber(value: string): boolean {
  return checkRegistrationNumber(value).valid;
}

// Throws BAD_INPUT naming `field` with the reason when invalid.
export function assertRegistrationNumber(value: string, field = 'registrationNumber'): void {
  const check = checkRegistrationNumber(value);
  if (!check.valid) throw new ContractsError('BAD_INPUT', `invalid registration number: ${check.message}`, field);
}

function invalid(reason: RegistrationNumberProblem, message: string): RegistrationNumberCheck {
  return { valid: false, reason, message };
}
