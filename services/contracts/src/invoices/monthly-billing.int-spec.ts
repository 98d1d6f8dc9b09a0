// The scheduled monthly billing run: on its cron (every minute here, the 1st at 00:05 JST in
// production) a replica bills the month just closed, once; a rerun of the job issues nothing twice.
import { InvoiceIssued } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { eventually } from '@kanshi/testing';
import { activeContract, ContractsKit, createCustomer, createPartner, outboxEvents, startContracts } from '../contracts.int-kit';
import { MonthlyBillingJob } from './monthly-billing.service';

jest.setTimeout(60_000);

let setup: ContractsKit;
let scheduler: ContractsKit | undefined;

beforeAll(async () => {
  // Contracts in service in March 2026, made on a replica that runs no jobs.
  setup = await startContracts({ now: '2026-03-01T09:00:00+09:00' });
});
afterAll(async () => {
  await scheduler?.close();
  await setup.close();
});

const invoices = (period: string): Promise<{ number: string; recipient_id: string; billing_run_id: string }[]> =>
  setup.ds.query(`SELECT number, recipient_id, billing_run_id FROM contracts.invoice WHERE period = $1 AND status = 'ISSUED' ORDER BY number`, [period]);
const runs = (period: string): Promise<{ started_by: string; invoices_created: number; invoices_existing: number }[]> =>
  setup.ds.query(`SELECT started_by, invoices_created, invoices_existing FROM contracts.billing_run WHERE period = $1 AND finished_at IS NOT NULL ORDER BY started_at`, [period]);

it('issues the invoices of the month just closed on its schedule, once, and a rerun issues nothing twice', async () => {
  const direct = await createCustomer(setup);
  await activeContract(setup, direct.id, { plan: 'FE_SECURITY_MONITORING', startDate: '2026-03-01' }, '2026-03-01');
  const partnerId = (await createPartner(setup)).id;
  const viaPartner = await createCustomer(setup, { partnerId });
  await activeContract(setup, viaPartner.id, { plan: 'FE_ALERT_ANALYSIS', serviceHours: 'ALWAYS', startDate: '2026-03-10' }, '2026-03-10');

  // A replica with the job queue running, just after midnight on 1 April in Tokyo.
  const url = (setup.ds.options as { url: string }).url;
  scheduler = await startContracts({
    now: '2026-04-01T00:05:00+09:00',
    messaging: true,
    env: { DATABASE_URL: url, BILLING_RUN_CRON: '* * * * *', BILLING_CATCH_UP: 'false', JOBS_CRON_CHECK_SECONDS: '1', JOBS_POLL_INTERVAL_MS: '500' },
  });
  await eventually(async () => expect(await runs('2026-03')).toHaveLength(1), { timeoutMs: 20_000 });
  const issued = await invoices('2026-03');
  expect(issued.map((i) => i.recipient_id).sort()).toEqual([direct.id, partnerId].sort());
  expect(await runs('2026-03')).toEqual([{ started_by: 'monthly-billing-job', invoices_created: 2, invoices_existing: 0 }]);
  expect((await outboxEvents(setup, InvoiceIssued.subject)).filter((e) => e.body.period === '2026-03')).toHaveLength(2);
  // nothing for the month still open
  expect(await invoices('2026-04')).toEqual([]);

  // The same month again (a retry, or a second firing): the same invoices, nothing announced twice.
  await scheduler.app.get(JobQueue).send(MonthlyBillingJob, { period: '2026-03' });
  await eventually(async () => expect(await runs('2026-03')).toHaveLength(2), { timeoutMs: 20_000 });
  expect((await runs('2026-03'))[1]).toEqual({ started_by: 'monthly-billing-job', invoices_created: 0, invoices_existing: 2 });
  expect(await invoices('2026-03')).toEqual(issued);
  expect((await outboxEvents(setup, InvoiceIssued.subject)).filter((e) => e.body.period === '2026-03')).toHaveLength(2);
});

it('bills a closed month whose schedule was missed as soon as a replica starts, and only once', async () => {
  // A database of its own, with one contract in service in May 2026.
  const missed = await startContracts({ now: '2026-05-01T00:00:00+09:00' });
  const url = (missed.ds.options as { url: string }).url;
  const customer = await createCustomer(missed);
  await activeContract(missed, customer.id, { plan: 'FE_SECURITY_MONITORING', startDate: '2026-05-01' }, '2026-05-01');
  await missed.close();
  const mayRuns = async (kit: ContractsKit) =>
    kit.ds.query(`SELECT started_by, invoices_created, invoices_existing FROM contracts.billing_run WHERE period = '2026-05' AND finished_at IS NOT NULL`);
  // Nobody was up at 00:05 on 1 June; a replica starts on the 3rd, its cron far away.
  const env = { DATABASE_URL: url, BILLING_RUN_CRON: '5 0 1 * *', JOBS_CRON_CHECK_SECONDS: '1', JOBS_POLL_INTERVAL_MS: '500' };
  const late = await startContracts({ now: '2026-06-03T10:00:00+09:00', messaging: true, env });
  try {
    await eventually(async () => expect(await mayRuns(late)).toEqual([{ started_by: 'monthly-billing-catch-up', invoices_created: 1, invoices_existing: 0 }]), { timeoutMs: 20_000 });
    const issued = await late.ds.query(`SELECT recipient_id FROM contracts.invoice WHERE period = '2026-05' AND status = 'ISSUED'`);
    expect(issued).toEqual([{ recipient_id: customer.id }]);
  } finally {
    await late.close();
  }
  // A restart finds the month billed and runs nothing.
  const again = await startContracts({ now: '2026-06-03T11:00:00+09:00', messaging: true, env });
  try {
    await new Promise((r) => setTimeout(r, 3000));
    expect(await mayRuns(again)).toHaveLength(1);
  } finally {
    await again.close();
  }
});
