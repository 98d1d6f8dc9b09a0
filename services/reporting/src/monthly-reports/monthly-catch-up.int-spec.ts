// The monthly run's catch-up on the real PostgreSQL, NATS, Chromium and an SMTP server: a 1st on
// which no replica was up is caught up when a replica starts (and hourly after): the month just
// closed is made and mailed once for each customer the run never covered; a second catch-up
// makes and sends nothing. On a database of its own (the catch-up spans every customer).
import { ManualClock } from '@kanshi/calendar';
import { JobQueue } from '@kanshi/jobs';
import { eventually, isolatedDatabaseUrl } from '@kanshi/testing';
import { ReportingKit, startReporting } from '../int-spec-helpers';
import { applied, seedCustomerMonth } from '../testing/month-of-facts';
import { pdfText } from '../testing/pdf-text';
import { SmtpSink, startSmtpSink } from '../testing/smtp-sink';
import { MonthlyReportScheduler } from './monthly-report-scheduler';
import { MonthlyReportsCatchUpJob } from './monthly-report.job';

jest.setTimeout(240_000);

// 15 December 2026 in Tokyo: November is closed, and its run on the 1st never happened.
const clock = new ManualClock(new Date('2026-12-15T03:00:00Z'));
let databaseUrl: string;
let smtp: SmtpSink;
let replica: ReportingKit | undefined;
const env = () => ({ DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, REPORT_BROWSERS: '1', REPORT_RENDER_TIMEOUT_MS: '120000' });

beforeAll(async () => {
  databaseUrl = await isolatedDatabaseUrl();
  smtp = await startSmtpSink();
});
afterAll(async () => {
  await replica?.close();
  await smtp?.close();
});

const finals = (kit: ReportingKit, customerId: string) =>
  kit.ds.query(`SELECT id, language FROM reporting.report WHERE customer_id = $1 AND kind = 'MONTHLY' AND period = '2026-11' AND NOT provisional AND metadata ? 'run'`, [customerId]);

it('makes and mails the missed month once when a replica starts, for the customers the run never covered, and a second catch-up does nothing', async () => {
  // The facts arrive on a replica that runs no jobs (no scheduler was up on the 1st).
  const setup = await startReporting({ clock, env: env() });
  let missed: { customerId: string };
  let covered: { customerId: string };
  let lateStarter: { customerId: string };
  try {
    missed = await setup.createCustomer();
    covered = await setup.createCustomer();
    lateStarter = await setup.createCustomer();
    const contacts = (who: string) => ({ escalationContacts: [{ order: 1, name: who, email: `${who}@catch-up.example`, language: 'ja' as const }] });
    const seeded = [
      await seedCustomerMonth(setup, missed.customerId, contacts('missed')),
      await seedCustomerMonth(setup, covered.customerId, contacts('covered')),
      // A contract that began in December has no November report to make.
      await seedCustomerMonth(setup, lateStarter.customerId, { ...contacts('late'), startDate: '2026-12-01' }),
    ];
    await applied(setup, seeded.flatMap((s) => s.events));
    // The run had been queued for this one (it is left to that run).
    await setup.ds.query(`INSERT INTO reporting.monthly_report_run (customer_id, month, language) VALUES ($1, '2026-11', 'ja')`, [covered.customerId]);
  } finally {
    await setup.close();
  }

  // A replica with the job queue starts: the catch-up runs at once.
  replica = await startReporting({ clock, jobs: true, env: { ...env(), MONTHLY_REPORT_CATCH_UP: 'true' } });
  const kit = replica;
  const [report] = await eventually(
    async () => {
      const rows = await finals(kit, missed.customerId);
      expect(rows).toHaveLength(1);
      return rows;
    },
    { timeoutMs: 150_000, intervalMs: 1000 },
  );
  const mails = () => smtp.messages.filter((m) => m.messageId === `<report-${report.id}@kanshi.reporting>`);
  await eventually(async () => expect(mails()).toHaveLength(1), { timeoutMs: 60_000 });
  expect(smtp.envelopes[smtp.messages.indexOf(mails()[0])]).toEqual(['missed@catch-up.example']);
  const text = (await pdfText(mails()[0].attachments[0].content)).replace(/[ \t]+/g, ' ');
  expect(text).toContain('月次報告書 2026年11月');
  expect(text).not.toContain('暫定版');
  expect(await finals(kit, covered.customerId)).toEqual([]);
  expect(await finals(kit, lateStarter.customerId)).toEqual([]);
  expect(smtp.envelopes.flat().filter((a) => a !== 'missed@catch-up.example')).toEqual([]);

  // The next hour's catch-up (and one called directly) finds nothing left to do.
  expect(await kit.app.get(MonthlyReportScheduler).catchUp()).toBe(0);
  await kit.app.get(JobQueue).send(MonthlyReportsCatchUpJob, {});
  await new Promise((r) => setTimeout(r, 5000));
  expect(await finals(kit, missed.customerId)).toHaveLength(1);
  expect(mails()).toHaveLength(1);
  expect(smtp.messages).toHaveLength(1);
});
