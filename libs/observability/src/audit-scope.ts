import { AsyncLocalStorage } from 'node:async_hooks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// What one GraphQL operation by provider staff or a partner touched: the customers whose data it
// read or changed. The audit plugin of libs/platform creates it per request; resolvers of a
// mutation run inside it (so the outbox can note the customers of the events it writes, and the
// audit row commits in the change's own transaction).
export class AuditScope {
  readonly customerIds = new Set<string>();
  operationType: 'query' | 'mutation' | null = null;
  // How many of customerIds an entry written with a change (in the outbox) already names: a later
  // transaction of the same mutation, or the answer, records again only if it touched more.
  recordedCustomers = 0;

  get hasUnrecorded(): boolean {
    return this.customerIds.size > this.recordedCustomers;
  }

  noteCustomer(id: unknown): void {
    if (typeof id === 'string' && UUID.test(id) && this.customerIds.size < 1000) this.customerIds.add(id.toLowerCase());
  }
}

const storage = new AsyncLocalStorage<AuditScope>();

export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}

export function withAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}
