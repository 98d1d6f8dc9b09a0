// Data lifecycle in contracts (issue 15 item 15): once a terminated contract's log retention has
// passed, the hourly job asks every service (contracts included) to delete the customer's data,
// once; contracts' own purge deletes its operational rows, keeps the commercial record, and the
// counts every service reports are recorded once in dataPurges.
import { CustomerDataPurged, CustomerDataPurgeDue } from '@kanshi/events';
import { eventually } from '@kanshi/testing';
import { activeContract, ContractsKit, createCustomer, outboxEvents, startContracts } from '../contracts.int-kit';
import { DataPurgeScheduler } from './data-purge.scheduler';

jest.setTimeout(120_000);

const TERMINATE = `mutation($id: ID!, $d: Date!) { terminateContract(id: $id, endDate: $d) { status endDate } }`;
const PURGES = `query($c: ID) { dataPurges(customerId: $c) { edges { node { purgeId customerId service tables { table rows } totalRows } } } }`;

let kit: ContractsKit;

beforeAll(async () => {
  kit = await startContracts({ now: '2027-01-10T00:00:00Z', messaging: true });
});
afterAll(async () => {
  await kit?.close();
});

async function endedContract(customerId: string, endDate: string) {
  const contract = await activeContract(kit, customerId, { plan: 'FE_SECURITY_MONITORING', startDate: '2027-02-01' }, '2027-02-01');
  await kit.ok('sales', TERMINATE, { id: contract.id, d: endDate });
  return contract;
}

const sensors = async (customerId: string) => (await kit.ds.query(`SELECT count(*)::int AS n FROM contracts.customer_sensor WHERE customer_id = $1`, [customerId]))[0].n;

it("asks for the purge once the retention has passed, once, and not for a customer with a contract still running", async () => {
  const gone = await createCustomer(kit);
  const renewed = await createCustomer(kit);
  const ended = await endedContract(gone.id, '2027-03-31');
  await endedContract(renewed.id, '2027-03-31');
  await activeContract(kit, renewed.id, { plan: 'FE_SECURITY_MONITORING', startDate: '2027-04-01' }, '2027-04-01');
  const scheduler = kit.app.get(DataPurgeScheduler);

  // Ended 2027-03-31 (JST) with 3 months of retention: due from 2027-07-01 00:00 JST.
  kit.clock.set('2027-06-30T14:59:00Z');
  expect(await scheduler.requestDuePurges()).toEqual([]);
  kit.clock.set('2027-06-30T15:00:00Z');
  expect(await scheduler.requestDuePurges()).toEqual([ended.id]);
  expect(await scheduler.requestDuePurges()).toEqual([]);

  const due = await outboxEvents(kit, CustomerDataPurgeDue.subject, gone.id);
  expect(due).toHaveLength(1);
  expect(due[0].body).toEqual({ customerId: gone.id, contractId: ended.id, contractEndedAt: '2027-03-31T15:00:00.000Z', retentionMonths: 3 });
  expect(await outboxEvents(kit, CustomerDataPurgeDue.subject, renewed.id)).toEqual([]);

  // contracts' own purge: the sensors read model goes, the contract (commercial record) stays.
  expect(await sensors(renewed.id)).toBeGreaterThan(0);
  const purges = await eventually(async () => {
    const r = await kit.ok('provider_admin', PURGES, { c: gone.id });
    if (!r.dataPurges.edges.length) throw new Error('not yet');
    return r.dataPurges.edges.map((e: any) => e.node);
  }, { timeoutMs: 20_000 });
  expect(purges).toEqual([
    { purgeId: due[0].eventId, customerId: gone.id, service: 'contracts', tables: [{ table: 'contracts.customer_sensor', rows: 1 }, { table: 'contracts.tenant_customer', rows: 0 }], totalRows: 1 },
  ]);
  expect(await sensors(gone.id)).toBe(0);
  expect(await sensors(renewed.id)).toBeGreaterThan(0);
  const kept = await kit.ok('provider_admin', `query($id: ID!) { contract(id: $id) { id status } }`, { id: ended.id });
  expect(kept.contract).toEqual({ id: ended.id, status: 'TERMINATED' });
  const reported = await outboxEvents(kit, CustomerDataPurged.subject, gone.id);
  expect(reported).toHaveLength(1);
});
