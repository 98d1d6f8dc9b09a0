// Data lifecycle in analysis (issue 15 item 15): a purge deletes only that customer's rows from
// every table of the catalogue, reports the counts per table, and a redelivered event purges and
// reports nothing twice.
import { randomUUID } from 'node:crypto';
import { purgeTwice, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig } from './config';
import { ANALYSIS_CUSTOMER_DATA } from './customer-data.catalogue';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'analysis', schema: 'analysis', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

async function seed(customerId: string): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await kit.ds.query(`INSERT INTO analysis.verdict (id, alert_id, customer_id, sensor_id, product, severity, automatic_severity, decided_at) VALUES ($1, $2, $3, $4, 'FORTIGATE', 'LOW', 'LOW', now())`, [randomUUID(), randomUUID(), customerId, randomUUID()]);
  }
}

const count = async (table: string, customerId: string) => (await kit.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [customerId]))[0].n as number;

it("deletes only the purged customer's rows, reports the counts per table, and purges nothing twice", async () => {
  const gone = (await kit.createCustomer()).customerId;
  const kept = (await kit.createCustomer()).customerId;
  await seed(gone);
  await seed(kept);
  const keptBefore = await count('analysis.verdict', kept);
  expect(keptBefore).toBeGreaterThan(0);

  const { counts, reports } = await purgeTwice(kit, 'analysis', gone);
  expect(Object.keys(counts)).toEqual(ANALYSIS_CUSTOMER_DATA.purge.map((t) => t.table));
  expect(counts).toMatchObject({ 'analysis.verdict': 2, 'analysis.tenant_customer': 1 });
  for (const t of ANALYSIS_CUSTOMER_DATA.purge.filter((p) => !p.where)) expect(await count(t.table, gone)).toBe(0);
  expect(await count('analysis.verdict', kept)).toBe(keptBefore);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ customerId: gone, service: 'analysis' });
});
