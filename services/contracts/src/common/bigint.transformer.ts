import { ValueTransformer } from 'typeorm';

// Yen amounts are bigint columns (a partner's invoice can pass 2^31 yen) read back as numbers;
// every amount is checked to be a safe integer where it is computed.
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
