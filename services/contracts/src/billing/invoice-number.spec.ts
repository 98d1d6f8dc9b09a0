import { ContractsError } from '../contracts.errors';
import { auditSequence, formatInvoiceNumber, parseInvoiceNumber } from './invoice-number';

describe('invoice numbers', () => {
  it('formats the yearly sequence as INV-YYYY-NNNNNN', () => {
    expect(formatInvoiceNumber(2026, 123)).toBe('INV-2026-000123');
    expect(formatInvoiceNumber(2027, 1)).toBe('INV-2027-000001');
    expect(formatInvoiceNumber(2026, 42, 'GSX')).toBe('GSX-2026-000042');
    // Past 999999 the number grows instead of wrapping.
    expect(formatInvoiceNumber(2026, 1_000_000)).toBe('INV-2026-1000000');
  });

  it('parses what it formats', () => {
    expect(parseInvoiceNumber('INV-2026-000123')).toEqual({ prefix: 'INV', year: 2026, sequence: 123 });
    expect(parseInvoiceNumber(formatInvoiceNumber(2030, 1_234_567, 'P7'))).toEqual({ prefix: 'P7', year: 2030, sequence: 1_234_567 });
  });

  it.each(['INV-2026-123', 'INV-2026-0000123', 'INV-2026-000000', 'inv-2026-000123', 'INV2026000123', 'INV-26-000123', ''])(
    'rejects %j with field invoiceNumber',
    (value) => {
      expect(() => parseInvoiceNumber(value)).toThrow(expect.objectContaining({ code: ContractsError.Code.BAD_INPUT, field: 'invoiceNumber' }));
    },
  );

  it('refuses sequence 0, a bad year or a bad prefix', () => {
    expect(() => formatInvoiceNumber(2026, 0)).toThrow(expect.objectContaining({ field: 'sequence' }));
    expect(() => formatInvoiceNumber(26, 1)).toThrow(expect.objectContaining({ field: 'year' }));
    expect(() => formatInvoiceNumber(2026, 1, 'in-v')).toThrow(expect.objectContaining({ field: 'prefix' }));
  });

  it('audits a year of numbers for gaps and duplicates', () => {
    expect(auditSequence([1, 2, 3])).toEqual({ missing: [], duplicates: [] });
    expect(auditSequence([3, 1, 5, 3])).toEqual({ missing: [2, 4], duplicates: [3] });
  });
});
