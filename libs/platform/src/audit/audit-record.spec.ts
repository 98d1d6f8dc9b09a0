import { AuditScope } from '@kanshi/observability';
import { clientIpOf, noteArgumentCustomers, redactArguments } from './audit-record';

describe('audit record', () => {
  it('keeps arguments but replaces secret-looking ones, at any depth', () => {
    expect(redactArguments({ input: { customerId: 'c', clientSecret: 's3cr3t', apiKey: 'k', nested: { password: 'p', token: 't', name: 'n' } } })).toEqual({
      input: { customerId: 'c', clientSecret: '[redacted]', apiKey: '[redacted]', nested: { password: '[redacted]', token: '[redacted]', name: 'n' } },
    });
  });

  it('cuts long strings and deep nesting', () => {
    const out = redactArguments({ text: 'x'.repeat(600), a: { b: { c: { d: { e: { f: 1 } } } } } }) as any;
    expect(out.text).toHaveLength(501);
    expect(out.a.b.c.d.e).toBe('[nested]');
  });

  it('notes customer ids named in arguments, ignoring what is not a uuid', () => {
    const scope = new AuditScope();
    const id = '5d0b7ad1-7c3f-4d61-9a4f-2f1d9a0e8b11';
    const other = '3f1c2a4e-8a55-4c55-9c1e-6f7b0c1d2e3f';
    noteArgumentCustomers(scope, { filter: { customerId: id }, input: { customerIds: [other, 'nope'] }, customerId: 'not-a-uuid' });
    expect([...scope.customerIds].sort()).toEqual([other, id].sort());
  });

  it("takes the gateway's client address, else the peer's", () => {
    expect(clientIpOf({ headers: { 'x-kanshi-client-ip': '203.0.113.9' }, ip: '10.0.0.1' })).toBe('203.0.113.9');
    expect(clientIpOf({ headers: { 'x-kanshi-client-ip': '<script>' }, ip: '10.0.0.1' })).toBe('10.0.0.1');
    expect(clientIpOf({ headers: {} })).toBeNull();
  });
});
