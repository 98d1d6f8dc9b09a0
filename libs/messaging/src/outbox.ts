import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventDefinition } from '@kanshi/events';
import { currentAuditScope, currentCorrelationId } from '@kanshi/observability';

export interface OutboxAddOptions {
  customerId: string | null;
  eventId?: string;
  occurredAt?: Date;
}

// Writes an event into the service's outbox table inside the caller's transaction: the event
// exists if and only if the state change it describes was committed.
export class Outbox {
  constructor(private readonly schema: string) {}

  async add<TBody extends object>(em: EntityManager, def: EventDefinition<TBody>, body: TBody, opts: OutboxAddOptions): Promise<string> {
    const [id] = await this.addMany(em, def, [{ body, ...opts }]);
    return id;
  }

  // An item may carry its body already serialized (`bodyJson`, a JSON object matching TBody):
  // bulk producers that built it on a worker thread save serializing large bodies twice.
  async addMany<TBody extends object>(em: EntityManager, def: EventDefinition<TBody>, items: (OutboxAddOptions & ({ body: TBody } | { bodyJson: string }))[]): Promise<string[]> {
    if (!em.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox.add(${def.subject}) must run inside a transaction with the state change`);
    }
    if (items.length === 0) return [];
    const correlationId = currentCorrelationId();
    // A mutation by provider staff or a partner: the customers of its events are customers it changed.
    const audit = currentAuditScope();
    const ids: string[] = [];
    const values: unknown[] = [];
    const rows: string[] = [];
    for (const item of items) {
      const eventId = item.eventId ?? randomUUID();
      audit?.noteCustomer(item.customerId);
      ids.push(eventId);
      const envelope = {
        eventId,
        subject: def.subject,
        occurredAt: (item.occurredAt ?? new Date()).toISOString(),
        customerId: item.customerId,
        correlationId,
      };
      const head = JSON.stringify(envelope);
      const payload = `${head.slice(0, -1)},"body":${'bodyJson' in item ? item.bodyJson : JSON.stringify(item.body)}}`;
      const n = values.length;
      rows.push(`($${n + 1}, $${n + 2}, $${n + 3}::json, $${n + 4}::jsonb)`);
      values.push(eventId, def.subject, payload, JSON.stringify(correlationId ? { 'x-correlation-id': correlationId } : {}));
    }
    // One round trip: the rows, and the NOTIFY that wakes the relay as soon as the transaction
    // commits (delivered on commit; a data-modifying WITH runs whether or not it is read).
    values.push(outboxChannel(this.schema));
    await em.query(`WITH added AS (INSERT INTO "${this.schema}".outbox (event_id, subject, payload, headers) VALUES ${rows.join(', ')}) SELECT pg_notify($${values.length}, '')`, values);
    return ids;
  }
}

export function outboxChannel(schema: string): string {
  return `kanshi_outbox_${schema}`.replace(/-/g, '_');
}
