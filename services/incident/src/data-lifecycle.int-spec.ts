// Data lifecycle in incident (issue 15 item 15): a purge deletes only that customer's rows from
// every table of the catalogue, reports the counts per table, and a redelivered event purges and
// reports nothing twice.
import { purgeTwice, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig } from './config';
import { INCIDENT_CUSTOMER_DATA } from './customer-data.catalogue';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'incident', schema: 'incident', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

async function seed(customerId: string): Promise<void> {
  const [{ id }] = await kit.ds.query(`INSERT INTO incident.incident (customer_id, severity, title, opened_by) VALUES ($1, 'HIGH', 'purge test', 'test') RETURNING id`, [customerId]);
  await kit.ds.query(`INSERT INTO incident.timeline_entry (incident_id, at, kind, actor, text) VALUES ($1, now(), 'COMMENT', 'test', 'note'), ($1, now(), 'COMMENT', 'test', 'note 2')`, [id]);
}

const count = async (table: string, customerId: string) => (await kit.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [customerId]))[0].n as number;

it("deletes only the purged customer's rows, reports the counts per table, and purges nothing twice", async () => {
  const gone = (await kit.createCustomer()).customerId;
  const kept = (await kit.createCustomer()).customerId;
  await seed(gone);
  await seed(kept);
  const keptBefore = await count('incident.incident', kept);
  expect(keptBefore).toBeGreaterThan(0);

  const { counts, reports } = await purgeTwice(kit, 'incident', gone);
  expect(Object.keys(counts)).toEqual(INCIDENT_CUSTOMER_DATA.purge.map((t) => t.table));
  expect(counts).toMatchObject({ 'incident.incident': 1, 'incident.timeline_entry': 2, 'incident.tenant_customer': 1 });
  for (const t of INCIDENT_CUSTOMER_DATA.purge.filter((p) => !p.where)) expect(await count(t.table, gone)).toBe(0);
  expect(await count('incident.incident', kept)).toBe(keptBefore);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ customerId: gone, service: 'incident' });
});
