// Data lifecycle in endpoint-response (issue 15 item 15): a purge deletes only that customer's rows from
// every table of the catalogue, reports the counts per table, and a redelivered event purges and
// reports nothing twice.
import { purgeTwice, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig } from './config';
import { ENDPOINT_RESPONSE_CUSTOMER_DATA } from './customer-data.catalogue';

jest.setTimeout(60_000);

let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'endpoint-response', schema: 'endpoint_response', loadConfig, module: (config, opts) => AppModule.forRoot(config, opts) });
});
afterAll(() => kit?.close());

async function seed(customerId: string): Promise<void> {
  await kit.ds.query(`INSERT INTO endpoint_response.endpoint (customer_id, host_name) VALUES ($1, 'PC-0001'), ($1, 'PC-0002'), ($1, 'PC-0003')`, [customerId]);
}

const count = async (table: string, customerId: string) => (await kit.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [customerId]))[0].n as number;

it("deletes only the purged customer's rows, reports the counts per table, and purges nothing twice", async () => {
  const gone = (await kit.createCustomer()).customerId;
  const kept = (await kit.createCustomer()).customerId;
  await seed(gone);
  await seed(kept);
  const keptBefore = await count('endpoint_response.endpoint', kept);
  expect(keptBefore).toBeGreaterThan(0);

  const { counts, reports } = await purgeTwice(kit, 'endpoint_response', gone);
  expect(Object.keys(counts)).toEqual(ENDPOINT_RESPONSE_CUSTOMER_DATA.purge.map((t) => t.table));
  expect(counts).toMatchObject({ 'endpoint_response.endpoint': 3, 'endpoint_response.tenant_customer': 1 });
  for (const t of ENDPOINT_RESPONSE_CUSTOMER_DATA.purge.filter((p) => !p.where)) expect(await count(t.table, gone)).toBe(0);
  expect(await count('endpoint_response.endpoint', kept)).toBe(keptBefore);
  expect(reports).toHaveLength(1);
  expect(reports[0]).toMatchObject({ customerId: gone, service: 'endpoint-response' });
});
