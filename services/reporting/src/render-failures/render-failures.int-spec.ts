// "A render that fails or times out is retried, then surfaced to provider staff; the request is
// never lost", on the real PostgreSQL, NATS and job queue: an approved analysis report request
// whose every render fails (a Chromium that cannot start) is attempted 1 + retryLimit
// times, then listed in failedReportRenders for provider staff (for nobody else) with its last
// error; the request stays, and once a replica can render, queuing the listed job again makes the
// report, mails it and clears the listing. On a database of its own: a broken renderer's job
// queue must not take other specs' jobs.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisReportRequested, IncidentUpdated, ReportSent } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { eventually, isolatedDatabaseUrl } from '@kanshi/testing';
import { AnalysisReportJob } from '../analysis-reports/analysis-reports.service';
import { ReportingKit, startReporting } from '../int-spec-helpers';
import { applied } from '../testing/month-of-facts';
import { pdfText } from '../testing/pdf-text';
import { incidentBody } from '../testing/sample-events';
import { SmtpSink, startSmtpSink } from '../testing/smtp-sink';

jest.setTimeout(300_000);

let dir: string;
let databaseUrl: string;
let smtp: SmtpSink;
let broken: ReportingKit | undefined;
let working: ReportingKit | undefined;

beforeAll(async () => {
  // A "Chromium" that cannot start: every render fails.
  dir = mkdtempSync(join(tmpdir(), 'kanshi-broken-chromium-'));
  const chromium = join(dir, 'chromium');
  writeFileSync(chromium, '#!/bin/sh\necho "chromium: Missing X server or $DISPLAY" >&2\nexit 1\n');
  chmodSync(chromium, 0o755);
  databaseUrl = await isolatedDatabaseUrl();
  smtp = await startSmtpSink();
  broken = await startReporting({ jobs: true, env: { DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, REPORT_CHROMIUM_PATH: chromium, REPORT_BROWSERS: '1', REPORT_RENDER_TIMEOUT_MS: '5000' } });
});
afterAll(async () => {
  await broken?.close();
  await working?.close();
  await smtp?.close();
  rmSync(dir, { recursive: true, force: true });
});

const FAILED = `{ failedReportRenders { jobKey kind customerId subjectId error attempts } }`;
// The job queue's retries wait 10 s and more (back-off); the spec does not wait them out.
const hurry = (kit: ReportingKit) => kit.ds.query(`UPDATE reporting_jobs.job SET start_after = now() WHERE name = 'analysis-report' AND state = 'retry'`);

it('retries a render that fails, lists it for provider staff after the last attempt, keeps the request, and makes it once a replica can render', async () => {
  const kit = broken!;
  const customer = await kit.createCustomer();
  const incident = incidentBody();
  const requestId = '7d3c8f5e-2a1b-4c6d-9e8f-0a1b2c3d4e5f';
  const e1 = await kit.publish(IncidentUpdated, customer.customerId, incident);
  await applied(kit, [e1.eventId]);
  await kit.publish(AnalysisReportRequested, customer.customerId, {
    requestId,
    incidentId: incident.incidentId,
    edition: 'DETAILED',
    approvedBy: 'analyst-2',
    language: 'ja',
    recipients: ['ciso@failures.example'],
  });

  const [failure] = await eventually(
    async () => {
      await hurry(kit);
      const { failedReportRenders } = await kit.ok('provider_admin', FAILED);
      const ours = failedReportRenders.filter((f: { jobKey: string }) => f.jobKey === `ANALYSIS:${requestId}`);
      expect(ours).toHaveLength(1);
      return ours;
    },
    { timeoutMs: 200_000, intervalMs: 1000 },
  );
  // Every attempt the job had: the first and its 6 retries, each failed; the last error is shown.
  expect(failure).toMatchObject({ kind: 'ANALYSIS', customerId: customer.customerId, subjectId: incident.incidentId, attempts: 7 });
  expect(failure.error).toMatch(/^rendering failed: Failed to launch the browser process/);
  expect(failure.error).toContain('Missing X server');
  const [job] = await kit.ds.query(`SELECT state, retry_count FROM reporting_jobs.job WHERE name = 'analysis-report' AND data->>'requestId' = $1`, [requestId]);
  expect(job).toEqual({ state: 'failed', retry_count: 6 });
  // Surfaced to provider staff only.
  expect((await kit.ok('analyst', FAILED)).failedReportRenders.some((f: { jobKey: string }) => f.jobKey === failure.jobKey)).toBe(true);
  expect((await kit.gql('customer_admin', FAILED, {}, { customerId: customer.customerId })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  // Nothing was made or sent, and the request is still there.
  expect(await kit.ds.query(`SELECT 1 FROM reporting.report WHERE subject_id = $1`, [incident.incidentId])).toEqual([]);
  expect(smtp.messages).toEqual([]);
  expect(await kit.ds.query(`SELECT incident_id FROM reporting.analysis_report_request WHERE request_id = $1`, [requestId])).toEqual([{ incident_id: incident.incidentId }]);

  // The renderer is fixed (a replica with a working Chromium); staff queue the listed job again.
  await broken!.close();
  broken = undefined;
  working = await startReporting({ jobs: true, env: { DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, REPORT_BROWSERS: '1', REPORT_RENDER_TIMEOUT_MS: '120000' } });
  const fixed = working;
  await fixed.app.get(JobQueue).send(AnalysisReportJob, { requestId });
  const sent = await eventually(
    async () => {
      const s = await fixed.outbox(ReportSent.subject, customer.customerId);
      expect(s).toHaveLength(1);
      return s[0].body;
    },
    { timeoutMs: 120_000, intervalMs: 1000 },
  );
  const mail = smtp.messages.find((m) => m.messageId === sent.messageId)!;
  expect(smtp.envelopes[smtp.messages.indexOf(mail)]).toEqual(['ciso@failures.example']);
  expect(await pdfText(mail.attachments[0].content)).toContain('Cobalt Strike beacon on PC-SALES-07');
  expect((await fixed.ok('provider_admin', FAILED)).failedReportRenders.filter((f: { jobKey: string }) => f.jobKey === failure.jobKey)).toEqual([]);
});
