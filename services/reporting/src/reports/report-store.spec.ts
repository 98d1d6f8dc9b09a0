import { subjectRefOf } from './report-store';

describe('subjectRefOf: which saves are versions of the same document', () => {
  it('keys an analysis report by incident and edition', () => {
    expect(subjectRefOf({ kind: 'ANALYSIS', customerId: 'c', subjectId: 'i1', edition: 'FIRST' })).toBe('i1/FIRST');
    expect(subjectRefOf({ kind: 'ANALYSIS', customerId: 'c', subjectId: 'i1', edition: 'DETAILED' })).toBe('i1/DETAILED');
  });

  it('keys a monthly report by customer and month, provisional or not', () => {
    expect(subjectRefOf({ kind: 'MONTHLY', customerId: 'c', period: '2026-11' })).toBe('c/2026-11');
  });

  it('keys a quote or invoice by its id, and a partner’s document under the partner when it has no subject', () => {
    expect(subjectRefOf({ kind: 'INVOICE', customerId: null, partnerId: 'p', subjectId: 'inv' })).toBe('inv');
    expect(subjectRefOf({ kind: 'MONTHLY', customerId: null, partnerId: 'p', period: '2026-11' })).toBe('partner:p/2026-11');
  });
});
