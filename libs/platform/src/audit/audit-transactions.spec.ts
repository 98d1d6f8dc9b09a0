import { DataSource } from 'typeorm';
import { Principal } from '@kanshi/auth';
import { Outbox } from '@kanshi/messaging';
import { AuditScope, withAuditScope } from '@kanshi/observability';
import { AuditRequest } from './audit-record';
import { auditTransactions, bindAuditRequest } from './audit-transactions';

const A = '5d0b7ad1-7c3f-4d61-9a4f-2f1d9a0e8b11';
const B = '3f1c2a4e-8a55-4c55-9c1e-6f7b0c1d2e3f';

function setup(operationType: 'query' | 'mutation') {
  const written: { customerIds: string[]; customerId: string | null }[] = [];
  const outbox = { add: async (_em: unknown, _def: unknown, body: { customerIds: string[] }, opts: { customerId: string | null }) => written.push({ customerIds: body.customerIds, customerId: opts.customerId }) } as unknown as Outbox;
  const ds = { transaction: async (run: (em: unknown) => Promise<unknown>) => run({}) } as unknown as DataSource;
  auditTransactions(ds, outbox, 'incident');
  const scope = new AuditScope();
  scope.operationType = operationType;
  const principal = Principal.fromClaims({ sub: 'analyst-1', role: 'analyst' }, 't');
  bindAuditRequest(new AuditRequest(scope, principal, '192.0.2.1'));
  return { ds, scope, written };
}

describe('auditTransactions', () => {
  it("writes a mutation's entry in the transaction of its change, again only when it touched more customers", async () => {
    const { ds, scope, written } = setup('mutation');
    await withAuditScope(scope, async () => {
      await ds.transaction(async () => scope.noteCustomer(A));
      await ds.transaction(async () => scope.noteCustomer(A));
      await ds.transaction(async () => scope.noteCustomer(B));
    });
    expect(written).toEqual([
      { customerIds: [A], customerId: A },
      { customerIds: [B, A].sort(), customerId: null },
    ]);
    expect(scope.hasUnrecorded).toBe(false);
  });

  it('writes nothing for a change that touched no customer, for a query, or outside any request', async () => {
    const m = setup('mutation');
    await withAuditScope(m.scope, () => m.ds.transaction(async () => undefined));
    const q = setup('query');
    await withAuditScope(q.scope, () => q.ds.transaction(async () => q.scope.noteCustomer(A)));
    await q.ds.transaction(async () => undefined);
    expect([...m.written, ...q.written]).toEqual([]);
    expect(q.scope.hasUnrecorded).toBe(true); // the plugin publishes it with the answer
  });
});
