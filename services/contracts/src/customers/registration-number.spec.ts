import { ContractsError } from '../contracts.errors';
import {
  assertRegistrationNumber,
  checkRegistrationNumber,
  corporateNumberCheckDigit,
  isValidRegistrationNumber,
} from './registration-number';

describe('qualified invoice issuer registration number', () => {
  it('accepts real corporate numbers with the T prefix (National Tax Agency, Toyota Motor)', () => {
    // 国税庁 7000012050002; トヨタ自動車 1180301018771.
    expect(checkRegistrationNumber('T7000012050002')).toEqual({
      valid: true,
      registrationNumber: 'T7000012050002',
      corporateNumber: '7000012050002',
    });
    expect(isValidRegistrationNumber('T1180301018771')).toBe(true);
  });

  it('computes the check digit as 9 - (weighted digit sum mod 9), weights 1,2,1,2... from the right', () => {
    // 000012050002: odd positions from the right 2+0+5+0+2+0... = 9 x1, even positions 1 x2 -> 11; 11 mod 9 = 2 -> 7.
    expect(corporateNumberCheckDigit('000012050002')).toBe(7);
    // All zeros: sum 0 -> 9 (a check digit is never 0).
    expect(corporateNumberCheckDigit('000000000000')).toBe(9);
    // 123456789012 from the right: odd 2+0+8+6+4+2 = 22, even (1+9+7+5+3+1) x2 = 52; 74 mod 9 = 2 -> 7.
    expect(corporateNumberCheckDigit('123456789012')).toBe(7);
    expect(isValidRegistrationNumber('T7123456789012')).toBe(true);
    expect(isValidRegistrationNumber('T9000000000000')).toBe(true);
  });

  it('rejects a mistyped number with the check digit it expected', () => {
    const check = checkRegistrationNumber('T7000012050003');
    expect(check).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    // Swapping two adjacent digits of different weight is caught too.
    expect(checkRegistrationNumber('T1180301017871')).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT' });
    expect(checkRegistrationNumber('T0000000000000')).toMatchObject({ valid: false, reason: 'BAD_CHECK_DIGIT', message: expect.stringContaining('should be 9') });
  });

  it.each([
    ['', 'EMPTY'],
    ['7000012050002', 'WRONG_PREFIX'],
    ['t7000012050002', 'WRONG_PREFIX'],
    ['T700001205000', 'WRONG_LENGTH'],
    ['T70000120500021', 'WRONG_LENGTH'],
    ['T7000-01205-0002', 'NOT_DIGITS'],
    ['T 7000012050002', 'NOT_DIGITS'],
    ['T７０００012050002', 'NOT_DIGITS'],
  ])('rejects %j as %s', (value, reason) => {
    expect(checkRegistrationNumber(value)).toMatchObject({ valid: false, reason });
  });

  it('throws BAD_INPUT naming the field, with the reason, for the service layer', () => {
    expect.assertions(3);
    try {
      assertRegistrationNumber('T123', 'issuer.registrationNumber');
    } catch (e) {
      expect(e).toBeInstanceOf(ContractsError);
      expect(e).toMatchObject({ code: ContractsError.Code.BAD_INPUT, kind: 'BAD_USER_INPUT', field: 'issuer.registrationNumber' });
      expect((e as Error).message).toContain('exactly 13 digits');
    }
  });
});
