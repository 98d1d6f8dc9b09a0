import { DataSource, EntityManager } from 'typeorm';
import { DataAccessRecorded } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { currentAuditScope } from '@kanshi/observability';
import { AuditRequest } from './audit-record';

type Run<T> = (em: EntityManager) => Promise<T>;

const requests = new WeakMap<object, AuditRequest>();

// The audit request a scope belongs to (set by the subgraph context).
export function bindAuditRequest(request: AuditRequest): void {
  requests.set(request.scope, request);
}

// A transaction opened by a mutation of provider staff or a partner writes the audit entry into
// the outbox just before it commits: the entry exists exactly when the change does. The
// customers are those the arguments named and those of the events the change wrote.
export function auditTransactions(ds: DataSource, outbox: Outbox, service: string): void {
  const original = ds.transaction.bind(ds) as (...args: unknown[]) => Promise<unknown>;
  const wrapped = (first: unknown, second?: unknown) => {
    const scope = currentAuditScope();
    const run = (typeof first === 'function' ? first : second) as Run<unknown>;
    const request = scope ? requests.get(scope) : undefined;
    if (!scope || !request || scope.operationType !== 'mutation') return typeof first === 'function' ? original(first) : original(first, second);
    const audited: Run<unknown> = async (em) => {
      const result = await run(em);
      if (scope.hasUnrecorded) {
        const ids = [...scope.customerIds];
        await outbox.add(em, DataAccessRecorded, request.body(service), { customerId: ids.length === 1 ? ids[0] : null });
        scope.recordedCustomers = ids.length;
      }
      return result;
    };
    return typeof first === 'function' ? original(audited) : original(first, audited);
  };
  (ds as unknown as { transaction: unknown }).transaction = wrapped;
}
