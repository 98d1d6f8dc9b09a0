// The analysis report's whole chain across two services (here, outside services/, because a
// spec that boots two services imports both), in one spec on the real PostgreSQL,
// NATS JetStream, Chromium and an SMTP server (smtp-server) started here: incident and reporting
// boot side by side on one database of their own and one NATS namespace, each with its consumers
// and its outbox relay running, so every hop is a real event on JetStream:
//   contracts' contract.activated (published here) -> both keep the customer's contacts;
//   analysis' verdict.issued (published here) -> incident opens the incident;
//   a tier-2 analyst approves the detailed report in incident (GraphQL) -> incident.analysis-report.requested
//   -> reporting renders it, mails it to the contacts with the PDF attached -> reporting.report.sent
//   -> incident puts the sending on the incident's timeline and stops the detailed-report clock.
import { randomUUID } from 'node:crypto';
import { ContractActivated, ReportSent, VerdictIssuedV2 } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { ConsumerHost, OutboxRelay } from '@kanshi/messaging';
import { eventually, isolatedDatabaseUrl, startSubgraph, SubgraphKit, testNamespace } from '@kanshi/testing';
import { AppModule as IncidentAppModule } from '../../services/incident/src/app.module';
import { loadConfig as loadIncidentConfig } from '../../services/incident/src/config';
import { ReportingKit, startReporting } from '../../services/reporting/src/int-spec-helpers';
import { pdfText } from '../../services/reporting/src/testing/pdf-text';
import { contractBody, verdictBody } from '../../services/reporting/src/testing/sample-events';
import { SmtpSink, startSmtpSink } from '../../services/reporting/src/testing/smtp-sink';

jest.setTimeout(300_000);

let smtp: SmtpSink;
let reporting: ReportingKit;
let incident: SubgraphKit;

beforeAll(async () => {
  const databaseUrl = await isolatedDatabaseUrl();
  const namespace = `${testNamespace()}chain${randomUUID().slice(0, 4)}`;
  smtp = await startSmtpSink();
  reporting = await startReporting({ jobs: true, env: { DATABASE_URL: databaseUrl, NATS_NAMESPACE: namespace, SMTP_URL: smtp.url, REPORT_BROWSERS: '1', REPORT_RENDER_TIMEOUT_MS: '120000' } });
  incident = await startSubgraph({
    service: 'incident',
    schema: 'incident',
    // Incident's own notification mail is not this spec's subject: its relay is down.
    loadConfig: (e) => loadIncidentConfig({ ...e, DATABASE_URL: databaseUrl, NATS_NAMESPACE: namespace, SMTP_URL: 'smtp://127.0.0.1:9', MAIL_RETRY_DELAY_SECONDS: '3600', SLA_CHECK_INTERVAL_MS: '3600000' }),
    module: (config, opts) => IncidentAppModule.forRoot(config, opts),
  });
  // Severity decisions queue incident's notification mail (its relay is down: never delivered here).
  await incident.app.get(JobQueue).start();
  await incident.app.get(ConsumerHost).start();
  await incident.app.get(OutboxRelay).start();
  await reporting.app.get(OutboxRelay).start();
});
afterAll(async () => {
  await incident?.app.get(OutboxRelay).stop();
  await incident?.app.get(ConsumerHost).stop();
  await incident?.app.get(JobQueue).stop();
  await incident?.close();
  await reporting?.app.get(OutboxRelay).stop();
  await reporting?.close();
  await smtp?.close();
});

it('mails the detailed report a tier-2 analyst approved in incident to the customer’s contacts as a PDF, publishes report.sent, and shows the sending on the incident’s timeline', async () => {
  const customerId = randomUUID();
  for (const kit of [reporting, incident] as SubgraphKit[]) {
    const schema = kit === incident ? 'incident' : 'reporting';
    await kit.ds.query(`INSERT INTO "${schema}".tenant_customer (customer_id, partner_id, name) VALUES ($1, NULL, 'チェーン検証株式会社')`, [customerId]);
  }
  const contacts = [
    { order: 1, name: '情報 太郎', email: 'ciso@chain.example', language: 'ja' as const },
    { order: 2, name: '運用 花子', email: 'ops@chain.example', language: 'ja' as const },
  ];
  await reporting.publish(ContractActivated, customerId, contractBody(customerId, { escalationContacts: contacts, isolationPreApproved: false }));
  await eventually(async () => expect(await incident.ds.query(`SELECT 1 FROM incident.customer_terms WHERE customer_id = $1`, [customerId])).toHaveLength(1), { timeoutMs: 30_000 });
  await eventually(async () => expect(await reporting.ds.query(`SELECT 1 FROM reporting.customer_contract WHERE customer_id = $1`, [customerId])).toHaveLength(1), { timeoutMs: 30_000 });

  await reporting.publish(VerdictIssuedV2, customerId, verdictBody({ signature: 'Backdoor.CobaltStrike' }));
  const [{ id: incidentId }] = await eventually(
    async () => {
      const rows = await incident.ds.query(`SELECT id FROM incident.incident WHERE customer_id = $1`, [customerId]);
      expect(rows).toHaveLength(1);
      return rows;
    },
    { timeoutMs: 30_000 },
  );
  await incident.ok('analyst', `mutation($id: ID!) { confirmSeverity(id: $id, severity: HIGH, rationale: "beacon confirmed") { id } }`, { id: incidentId });
  await incident.ok('analyst', `mutation($id: ID!) { approveDetailedReport(incidentId: $id) { id } }`, { id: incidentId });

  // Reporting made it and mailed it: one message to both contacts, the PDF attached.
  const sent = await eventually(
    async () => {
      const s = await reporting.outbox(ReportSent.subject, customerId);
      expect(s).toHaveLength(1);
      return s[0].body;
    },
    { timeoutMs: 180_000, intervalMs: 1000 },
  );
  expect(sent).toMatchObject({ kind: 'ANALYSIS', subjectId: incidentId, recipients: ['ciso@chain.example', 'ops@chain.example'] });
  const [report] = await reporting.ds.query(`SELECT id, edition, title FROM reporting.report WHERE id = $1`, [sent.reportId]);
  expect(report.edition).toBe('DETAILED');
  const mails = smtp.messages.filter((m) => m.messageId === sent.messageId);
  expect(mails).toHaveLength(1);
  expect(smtp.envelopes[smtp.messages.indexOf(mails[0])]).toEqual(['ciso@chain.example', 'ops@chain.example']);
  expect(mails[0].attachments).toHaveLength(1);
  expect(mails[0].attachments[0].contentType).toBe('application/pdf');
  const text = (await pdfText(mails[0].attachments[0].content)).replace(/\s+/g, ' ');
  expect(text).toContain('調査報告書（詳細）');
  expect(text).toContain('Cobalt Strike のビーコン通信');

  // Incident heard report.sent: the sending is on the timeline and the detailed-report clock stopped.
  const Q = `query($id: ID!) { incident(id: $id) { sla { detailedReportMetAt } timeline { kind actor text } } }`;
  const seen = await eventually(
    async () => {
      const r = await incident.ok('analyst', Q, { id: incidentId });
      expect(r.incident.timeline.map((t: { text: string }) => t.text)).toContain('detailed analysis report mailed to ciso@chain.example, ops@chain.example');
      return r.incident;
    },
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
  expect(seen.sla.detailedReportMetAt).not.toBeNull();
  expect(seen.timeline).toEqual(expect.arrayContaining([{ kind: 'REPORT', actor: 'system:reporting', text: 'detailed analysis report mailed to ciso@chain.example, ops@chain.example' }]));
});
