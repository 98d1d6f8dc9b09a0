// Monthly reports end to end on the real PostgreSQL, NATS, Chromium and an SMTP server: the
// figures come from events, the PDF's text is read back with pdftotext, the month in progress is
// provisional on every page, bad months and other tenants are refused, and the monthly run makes
// and mails last month's report once.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@kanshi/calendar';
import { JobQueue } from '@kanshi/jobs';
import { eventually } from '@kanshi/testing';
import { ReportingKit, startReporting } from '../int-spec-helpers';
import { applied, seedCustomerMonth } from '../testing/month-of-facts';
import { pdfInfo, pdfPages, pdfText } from '../testing/pdf-text';
import { SmtpSink, startSmtpSink } from '../testing/smtp-sink';
import { MonthlyReportsRunJob } from './monthly-report.job';

jest.setTimeout(180_000);

// Mid-December 2026 in Tokyo: November is closed, December in progress.
const clock = new ManualClock(new Date('2026-12-15T03:00:00Z'));
let kit: ReportingKit;
let smtp: SmtpSink;
let ja: { customerId: string };
let en: { customerId: string };

beforeAll(async () => {
  smtp = await startSmtpSink();
  kit = await startReporting({ clock, jobs: true, env: { SMTP_URL: smtp.url, REPORT_BROWSERS: '1', REPORT_RENDER_TIMEOUT_MS: '120000' } });
  ja = await kit.createCustomer();
  en = await kit.createCustomer();
  const a = await seedCustomerMonth(kit, ja.customerId);
  const b = await seedCustomerMonth(kit, en.customerId, {
    escalationContacts: [
      { order: 1, name: 'Jane Doe', email: 'jane@example.com', language: 'en' },
      { order: 2, name: '鈴木 花子', email: 'suzuki@example.co.jp', language: 'ja' },
    ],
  });
  await applied(kit, [...a.events, ...b.events]);
});
afterAll(async () => {
  await kit?.close();
  await smtp?.close();
});

const GENERATE = `mutation($customerId: ID!, $month: String!) { generateMonthlyReport(customerId: $customerId, month: $month) { id kind title language sha256 } }`;
const flat = (s: string) => s.replace(/[ \t]+/g, ' ');

describe('the monthly report’s content', () => {
  let text: string;
  beforeAll(async () => {
    const { generateMonthlyReport: r } = await kit.ok('customer_admin', GENERATE, { customerId: ja.customerId, month: '2026-11' }, ja);
    expect(r).toMatchObject({ kind: 'MONTHLY', title: '月次報告書 2026年11月', language: 'ja', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    text = flat(await pdfText((await kit.pdfOf(r.id)).pdf));
  });

  it('has every section, in Japanese', () => {
    for (const heading of ['月次報告書 2026年11月', '1. サマリー', '2. アラート統計', '3. 重要度「低」のアラート統計', '4. インシデントと SLA', '5. センサー稼働率', '6. メンテナンスと作業', '7. 端末隔離']) {
      expect(text).toContain(heading);
    }
  });

  it('counts alerts by severity, with the previous month and the change', () => {
    // severity, November, October, change
    expect(text).toMatch(/高 2 1 \+1/);
    expect(text).toMatch(/中 3 1 \+2/);
    expect(text).toMatch(/低 5 2 \+3/);
    expect(text).toMatch(/アラート総数 10 4 \+6/);
  });

  it('lists sensors, categories, top signatures and the LOW alerts’ statistics', () => {
    expect(text).toMatch(/NX-本社-01 10/);
    expect(text).toMatch(/malware 5/);
    expect(text).toMatch(/ET SCAN Nmap 5/);
    expect(text).toContain('低: 5 (前月: 2, 前月比: +3)');
  });

  it('gives the incidents and their SLA compliance, up-time, maintenance, work orders and isolations', () => {
    expect(text).toContain('Emotet の感染');
    expect(text).toContain('C2 通信');
    // analysis clock: 1 met, 1 breached, 0 running, 50 %
    expect(text).toMatch(/分析 1 1 0 50\.00%/);
    expect(text).toMatch(/NX-本社-01 FIREEYE_NX 10\.0\.1 99\.00% 7時間12分 1/);
    // the window (its note wraps in the cell) and the work order, as incident publishes them
    expect(text).toMatch(/バージョンアップ \(NX OS 10\.0 へのアップ/);
    expect(text).toMatch(/バージョンアップ NX-本社-01 9\.0\.3 → 10\.0\.1 佐藤 一郎 完了 \(再起動 1 回\)/);
    expect(text).toContain('隔離完了: 1 / 隔離失敗: 0 / 隔離解除: 0');
    expect(text).toContain('PC-経理-03');
  });

  it('is not marked provisional for a closed month', () => {
    expect(text).not.toContain('暫定版');
  });
});

describe('English and provisional', () => {
  it('writes the report in English for a customer whose first contact speaks English', async () => {
    const { generateMonthlyReport: r } = await kit.ok('analyst', GENERATE, { customerId: en.customerId, month: '2026-11' });
    expect(r).toMatchObject({ title: 'Monthly report 2026-11', language: 'en' });
    const text = flat(await pdfText((await kit.pdfOf(r.id)).pdf));
    for (const s of ['1. Summary', '4. Incidents and SLA', '5. Sensor up-time']) expect(text).toContain(s);
    expect(text).toMatch(/Alerts in total 10 4 \+6/);
    expect(text).toMatch(/Analysis 1 1 0 50\.00%/);
  });

  it('marks every page of the month in progress provisional', async () => {
    const { generateMonthlyReport: r } = await kit.ok('customer_admin', GENERATE, { customerId: ja.customerId, month: '2026-12' }, ja);
    const { pdf, report } = await kit.pdfOf(r.id);
    expect(report.provisional).toBe(true);
    const pages = await pdfPages(pdf);
    expect(pages.length).toBe(Number((await pdfInfo(pdf)).Pages));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => expect([i + 1, p.includes('暫定版 PROVISIONAL')]).toEqual([i + 1, true]));
  });

  it('keeps the earlier version when a month is made again', async () => {
    const first = (await kit.ok('analyst', GENERATE, { customerId: ja.customerId, month: '2026-10' })).generateMonthlyReport;
    const second = (await kit.ok('analyst', GENERATE, { customerId: ja.customerId, month: '2026-10' })).generateMonthlyReport;
    expect(second.id).not.toBe(first.id);
    const rows = await kit.ds.query(`SELECT version FROM reporting.report WHERE id = ANY($1::uuid[]) ORDER BY version`, [[first.id, second.id]]);
    expect(rows.map((r: { version: number }) => r.version)).toEqual([1, 2]);
  });
});

describe('bad requests', () => {
  it.each([
    ['a month in the future', '2027-01', 'MONTH_IN_FUTURE'],
    ['a month before the contract started (2026-04-01)', '2026-03', 'MONTH_BEFORE_CONTRACT'],
  ])('refuses %s as BAD_USER_INPUT naming month', async (_, month, reason) => {
    const r = await kit.gql('customer_admin', GENERATE, { customerId: ja.customerId, month }, ja);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason, field: 'month' });
  });

  it.each(['2026-13', 'Nov 2026', '2026-1'])('refuses the month %s as BAD_USER_INPUT naming month', async (month) => {
    const r = await kit.gql('analyst', GENERATE, { customerId: ja.customerId, month });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toContain('month');
  });

  it('answers NOT_FOUND for another tenant’s customer, and for a partner’s customer to another partner', async () => {
    const r = await kit.gql('customer_admin', GENERATE, { customerId: en.customerId, month: '2026-11' }, ja);
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const partnered = await kit.createCustomer({ partnerId: randomUUID() });
    const p = await kit.gql('partner_admin', GENERATE, { customerId: partnered.customerId, month: '2026-11' }, { partnerId: randomUUID() });
    expect(p.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await kit.ds.query(`SELECT 1 FROM reporting.report WHERE customer_id = $1`, [partnered.customerId])).toEqual([]);
  });

  it('refuses a customer whose plan has no monthly report (FE alert analysis), and a viewer', async () => {
    const fe = await kit.createCustomer();
    const { events } = await seedCustomerMonth(kit, fe.customerId, { plan: 'FE_ALERT_ANALYSIS' });
    await applied(kit, events);
    const r = await kit.gql('analyst', GENERATE, { customerId: fe.customerId, month: '2026-11' });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_ON_A_MONTHLY_REPORT_PLAN', field: 'customerId' });
    const v = await kit.gql('customer_viewer', GENERATE, { customerId: ja.customerId, month: '2026-11' }, ja);
    expect(v.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the monthly run', () => {
  it('makes last month’s final report for each customer and language once, and mails each to its contacts with the PDF attached', async () => {
    const jobs = kit.app.get(JobQueue);
    const finals = async (customerId: string) =>
      kit.ds.query(`SELECT id, language, title FROM reporting.report WHERE customer_id = $1 AND kind = 'MONTHLY' AND period = '2026-11' AND NOT provisional AND metadata ? 'run' ORDER BY language`, [customerId]);
    await jobs.send(MonthlyReportsRunJob, {});
    await eventually(async () => expect(await finals(en.customerId)).toHaveLength(2), { timeoutMs: 60_000 });
    await eventually(async () => expect(await finals(ja.customerId)).toHaveLength(1), { timeoutMs: 60_000 });
    // Only this test's customers' reports (other specs' customers share the contacts' addresses).
    const ours = new Set<string>();
    const mailsTo = (address: string) => smtp.messages.filter((m, i) => smtp.envelopes[i].includes(address) && [...ours].some((id) => String(m.messageId).includes(id)));
    for (const r of [...(await finals(en.customerId)), ...(await finals(ja.customerId))] as { id: string }[]) ours.add(r.id);
    await eventually(async () => expect(mailsTo('suzuki@example.co.jp')).toHaveLength(1), { timeoutMs: 30_000 });
    await eventually(async () => expect(mailsTo('jane@example.com')).toHaveLength(1), { timeoutMs: 30_000 });

    // The run again (a retry, a second replica's firing): nothing new is made or sent.
    await jobs.send(MonthlyReportsRunJob, { month: '2026-11' });
    await new Promise((r) => setTimeout(r, 4000));
    expect(await finals(en.customerId)).toHaveLength(2);
    expect(await finals(ja.customerId)).toHaveLength(1);
    expect(mailsTo('jane@example.com')).toHaveLength(1);

    const [enReport] = (await finals(en.customerId)).filter((r: { language: string }) => r.language === 'en');
    const mail = mailsTo('jane@example.com')[0];
    expect(mail.messageId).toBe(`<report-${enReport.id}@kanshi.reporting>`);
    expect(smtp.envelopes[smtp.messages.indexOf(mail)]).toEqual(['jane@example.com']);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ contentType: 'application/pdf', filename: 'monthly-report-2026-11.pdf' });
    const text = flat(await pdfText(mail.attachments[0].content));
    expect(text).toContain('Monthly report 2026-11');
    expect(text).toMatch(/Alerts in total 10 4 \+6/);
    expect(text).not.toContain('PROVISIONAL');
  });
});
