// Data lifecycle in reporting (issue 15 item 15): a purge deletes only that customer's rows from
// every table of the catalogue, reports the counts per table, and a redelivered event purges and
// reports nothing twice.
import { randomUUID } from 'node:crypto';
import { purgeTwice, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig } from './config';
import { REPORTING_CUSTOMER_DATA } from './customer-data.catalogue';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'reporting', schema: 'reporting', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

async function seed(customerId: string): Promise<void> {
  await kit.ds.query(`INSERT INTO reporting.sensor (sensor_id, customer_id, product, name, registered_at) VALUES ($1, $3, 'FORTIGATE', 'FGT', now()), ($2, $3, 'FIREEYE_NX', 'NX', now())`, [randomUUID(), randomUUID(), customerId]);
}

const count = async (table: string, customerId: string) => (await kit.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [customerId]))[0].n as number;

it("deletes only the purged customer's rows, reports the counts per table, and purges nothing twice", async () => {
  const gone = (await kit.createCustomer()).customerId;
  const kept = (await kit.createCustomer()).customerId;
  await seed(gone);
  await seed(kept);
  const keptBefore = await count('reporting.sensor', kept);
  expect(keptBefore).toBeGreaterThan(0);

  const { counts, reports } = await purgeTwice(kit, 'reporting', gone);
  expect(Object.keys(counts)).toEqual(REPORTING_CUSTOMER_DATA.purge.map((t) => t.table));
  expect(counts).toMatchObject({ 'reporting.sensor': 2 });
  for (const t of REPORTING_CUSTOMER_DATA.purge.filter((p) => !p.where)) expect(await count(t.table, gone)).toBe(0);
  expect(await count('reporting.sensor', kept)).toBe(keptBefore);
  // reporting keeps its directory entry: it scopes the quote and invoice documents kept.
  expect(await count('reporting.tenant_customer', gone)).toBe(1);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ customerId: gone, service: 'reporting' });
});
