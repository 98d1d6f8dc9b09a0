// Helpers for each service's data-lifecycle spec: deliver contracts.customer.data-purge-due.v1 as
// contracts would (and again, as a redelivery of the same event), and read what the service
// reported it deleted.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CustomerDataPurgeDue, CustomerDataPurged, CustomerDataPurgedBody } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import type { SubgraphKit } from './subgraph-kit';
import { eventually } from './test-env';

// Published without a JetStream msgID, so delivering the same eventId twice reaches the consumer twice.
export async function deliverPurgeDue(bus: NatsBus, customerId: string, eventId: string = randomUUID()): Promise<string> {
  const envelope = {
    eventId,
    subject: CustomerDataPurgeDue.subject,
    occurredAt: new Date().toISOString(),
    customerId,
    body: { customerId, contractId: randomUUID(), contractEndedAt: '2027-03-31T15:00:00.000Z', retentionMonths: 3 },
  };
  await bus.ensureStreams([CustomerDataPurgeDue.stream]);
  await bus.js.publish(bus.subjectOf(CustomerDataPurgeDue), Buffer.from(JSON.stringify(envelope)));
  return eventId;
}

// The purge reports the service wrote to its outbox for a customer.
export async function purgeReports(ds: DataSource, schema: string, customerId: string): Promise<CustomerDataPurgedBody[]> {
  const rows: { payload: { body: CustomerDataPurgedBody } }[] = await ds.query(`SELECT payload FROM "${schema}".outbox WHERE subject = $1 AND payload->>'customerId' = $2 ORDER BY seq`, [CustomerDataPurged.subject, customerId]);
  return rows.map((r) => r.payload.body);
}

// Waits for the first report; returns every table's count by name.
export async function awaitPurge(ds: DataSource, schema: string, customerId: string): Promise<Record<string, number>> {
  const [report] = await eventually(async () => {
    const r = await purgeReports(ds, schema, customerId);
    if (!r.length) throw new Error('no purge report yet');
    return r;
  }, { timeoutMs: 20_000 });
  return Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
}

// The customer-data purge of a subgraph booted by startSubgraph (consumers off): starts its
// consumers, delivers the purge of `customerId`, returns the counts it reported, then delivers the
// same event again and returns every report it wrote (one, if the redelivery changed nothing).
export async function purgeTwice(kit: Pick<SubgraphKit, 'app' | 'ds'>, schema: string, customerId: string): Promise<{ counts: Record<string, number>; reports: CustomerDataPurgedBody[] }> {
  await kit.app.get(ConsumerHost).start();
  const bus = kit.app.get(NatsBus);
  const eventId = await deliverPurgeDue(bus, customerId);
  const counts = await awaitPurge(kit.ds, schema, customerId);
  await deliverPurgeDue(bus, customerId, eventId);
  await new Promise((r) => setTimeout(r, 1500));
  return { counts, reports: await purgeReports(kit.ds, schema, customerId) };
}
