// Analysis reports end to end on the real PostgreSQL, NATS, Chromium and an SMTP server: the
// incident's snapshot, verdicts and isolations arrive as events; the report answers the three
// questions, in Japanese or English; an approved request is mailed once with the PDF attached and
// announced as reporting.report.sent; another tenant's incident reads as missing.
import { randomUUID } from 'node:crypto';
import { AnalysisReportRequested, AnalysisReportRequestedBody, EndpointIsolated, EndpointIsolationFailed, IncidentUpdated, ReportSent, SensorRegistered, VerdictIssuedV2 } from '@kanshi/events';
import { eventually } from '@kanshi/testing';
import { ReportingKit, startReporting } from '../int-spec-helpers';
import { applied } from '../testing/month-of-facts';
import { pdfText } from '../testing/pdf-text';
import { incidentBody, isolationBody, verdictBody } from '../testing/sample-events';
import { SmtpSink, startSmtpSink } from '../testing/smtp-sink';

jest.setTimeout(180_000);

let kit: ReportingKit;
let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink();
  kit = await startReporting({ jobs: true, env: { SMTP_URL: smtp.url, REPORT_BROWSERS: '1', REPORT_RENDER_TIMEOUT_MS: '120000' } });
});
afterAll(async () => {
  await kit?.close();
  await smtp?.close();
});

const GENERATE = `mutation($incidentId: ID!, $edition: AnalysisReportEdition!) { generateAnalysisReport(incidentId: $incidentId, edition: $edition) { id kind title language sha256 } }`;
const flat = (s: string) => s.replace(/\s+/g, ' ');

// A HIGH incident of one verdict group: the beacon the sensor let through, a blocked follow-up,
// an isolation that failed once and then succeeded.
async function incidentWithFacts(customerId: string, over: Parameters<typeof incidentBody>[0] = {}) {
  const sensorId = randomUUID();
  const groupId = randomUUID();
  const ids: string[] = [];
  const pub: ReportingKit['publish'] = async (def, c, body, opts) => {
    const e = await kit.publish(def, c, body, opts);
    ids.push(e.eventId);
    return e;
  };
  await pub(SensorRegistered, customerId, { sensorId, product: 'FIREEYE_NX', name: 'NX-本社-01' });
  const beacon = verdictBody({ sensorId, groupId, decidedAt: '2026-11-03T01:00:00Z', signature: 'Backdoor.CobaltStrike' });
  const blocked = verdictBody({
    sensorId,
    groupId,
    severity: 'MEDIUM',
    decidedAt: '2026-11-03T01:10:00Z',
    blocked: true,
    signature: 'Trojan.Downloader',
    reasons: [{ kind: 'BLOCKED', text: 'The sensor blocked the download', textJa: 'センサーがダウンロードを遮断', attackTechniques: ['T1105'] }],
    recommendedActions: [{ text: 'Block 198.51.100.77 at the proxy', textJa: 'プロキシで 198.51.100.77 を遮断してください' }],
  });
  await pub(VerdictIssuedV2, customerId, beacon);
  await pub(VerdictIssuedV2, customerId, blocked);
  const incident = incidentBody({
    groupId,
    verdictIds: [beacon.verdictId],
    openedAt: '2026-11-03T01:02:00Z',
    timeline: [
      { at: '2026-11-03T01:02:00Z', kind: 'OPENED', actor: 'system', text: 'インシデントを起票' },
      { at: '2026-11-03T01:20:00Z', kind: 'NOTIFIED', actor: 'analyst 田中', text: '電話で山田様に通知' },
    ],
    ...over,
  });
  await pub(IncidentUpdated, customerId, incident);
  const iso = isolationBody(incident.incidentId, { at: '2026-11-03T01:21:00Z', hostName: 'PC-SALES-07' });
  await pub(EndpointIsolationFailed, customerId, { ...iso, error: 'CrowdStrike: 503 Service Unavailable' });
  await pub(EndpointIsolated, customerId, { ...iso, at: '2026-11-03T01:23:00Z' });
  await applied(kit, ids);
  return { incident, beacon, blocked };
}

describe('the analysis report’s content', () => {
  let text: string;
  let customer: { customerId: string };
  let incidentId: string;
  beforeAll(async () => {
    customer = await kit.createCustomer();
    ({
      incident: { incidentId },
    } = await incidentWithFacts(customer.customerId));
    const { generateAnalysisReport: r } = await kit.ok('analyst', GENERATE, { incidentId, edition: 'FIRST' });
    expect(r).toMatchObject({ kind: 'ANALYSIS', language: 'ja', title: '調査報告書（初報）: Cobalt Strike beacon on PC-SALES-07', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    text = flat(await pdfText((await kit.pdfOf(r.id)).pdf));
  });

  it('answers what is happening, how dangerous it is and what to do, from the verdicts when no analyst wrote them', () => {
    expect(text).toContain('1. 何が起きているか（脅威の内容）');
    expect(text).toContain('Cobalt Strike のビーコン通信');
    expect(text).toContain('2. どの程度危険か（侵入の理由）');
    expect(text).toContain('センサーがダウンロードを遮断');
    expect(text).toContain('3. 何をすべきか（感染経路と対策）');
    expect(text).toContain('端末を隔離し再構築してください');
    expect(text).toContain('プロキシで 198.51.100.77 を遮断してください');
    expect(text).toContain('自動分析の結果から作成しています');
  });

  it('names the target endpoint, whether the sensor blocked it, the scan result, the IOCs and ATT&CK techniques', () => {
    expect(text).toMatch(/PC-SALES-07 10\.20\.0\.7/);
    expect(text).toContain('センサーによる遮断 遮断されていません（通信は成立）');
    expect(text).toContain('VirusTotal: 70 エンジン中 52 が検知');
    expect(text).toContain('宛先 198.51.100.77 は既知の C2 サーバ');
    expect(text).toContain('T1071.001, T1105');
  });

  it('lists the related alerts, the timeline and the isolation log', () => {
    expect(text).toContain('Backdoor.CobaltStrike');
    expect(text).toContain('Trojan.Downloader');
    expect(text).toContain('2026-11-03 10:20 JST analyst 田中 電話で山田様に通知');
    expect(text).toMatch(/2026-11-03 10:21 JST PC-SALES-07 隔離失敗 CROWDSTRIKE_FALCON CrowdStrike: 503 Service Unavailable/);
    expect(text).toMatch(/2026-11-03 10:23 JST PC-SALES-07 隔離完了 CROWDSTRIKE_FALCON/);
  });

  it('prints what the analysts wrote instead, once they have', async () => {
    const { incident } = await incidentWithFacts(customer.customerId, {
      findings: { whatIsHappening: 'Emotet に感染した端末が C2 サーバと通信しています。', howDangerous: '添付ファイルのマクロから侵入しました。', whatToDo: '端末を初期化してください。' },
    });
    const { generateAnalysisReport: r } = await kit.ok('analyst', GENERATE, { incidentId: incident.incidentId, edition: 'DETAILED' });
    expect(r.title).toContain('調査報告書（詳細）');
    const t = flat(await pdfText((await kit.pdfOf(r.id)).pdf));
    expect(t).toContain('Emotet に感染した端末が C2 サーバと通信しています。');
    expect(t).toContain('添付ファイルのマクロから侵入しました。');
    expect(t).toContain('端末を初期化してください。');
    expect(t).not.toContain('自動分析の結果から作成しています');
  });

  it('shows markup in the data as text', async () => {
    const { incident } = await incidentWithFacts(customer.customerId, { title: '<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>' });
    const { generateAnalysisReport: r } = await kit.ok('analyst', GENERATE, { incidentId: incident.incidentId, edition: 'FIRST' });
    expect(flat(await pdfText((await kit.pdfOf(r.id)).pdf))).toContain('<img src="http://127.0.0.1:9/x.png"><script>alert(1)</script>');
  });

  it('answers NOT_FOUND for another tenant’s incident, and for one that does not exist', async () => {
    const other = await kit.createCustomer();
    const mine = await kit.gql('customer_admin', GENERATE, { incidentId, edition: 'FIRST' }, { customerId: customer.customerId });
    expect(mine.errors).toBeUndefined();
    const r = await kit.gql('customer_admin', GENERATE, { incidentId, edition: 'FIRST' }, { customerId: other.customerId });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'incidentId' });
    const p = await kit.gql('partner_admin', GENERATE, { incidentId, edition: 'FIRST' }, { partnerId: randomUUID() });
    expect(p.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await kit.gql('analyst', GENERATE, { incidentId: randomUUID(), edition: 'FIRST' })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const bad = await kit.gql('analyst', GENERATE, { incidentId: 'inc-1', edition: 'FIRST' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('incidentId');
    expect((await kit.gql('customer_viewer', GENERATE, { incidentId, edition: 'FIRST' }, { customerId: customer.customerId })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('requests from the incident service', () => {
  const request = (incidentId: string, over: Partial<AnalysisReportRequestedBody> = {}): AnalysisReportRequestedBody => ({
    requestId: randomUUID(),
    incidentId,
    edition: 'FIRST',
    approvedBy: 'analyst-2',
    language: 'en',
    recipients: ['ciso@example.com', 'soc@example.com'],
    ...over,
  });
  const reportsOf = (requestId: string) => kit.ds.query(`SELECT r.id, r.title, r.language FROM reporting.report r WHERE r.metadata->>'requestId' = $1`, [requestId]);

  it('makes an approved edition, mails it once to the recipients with the PDF attached and publishes report.sent', async () => {
    const customer = await kit.createCustomer();
    const { incident } = await incidentWithFacts(customer.customerId);
    const body = request(incident.incidentId);
    const e = await kit.publish(AnalysisReportRequested, customer.customerId, body);
    await kit.republish(AnalysisReportRequested, e);
    const sent = await eventually(
      async () => {
        const s = await kit.outbox(ReportSent.subject, customer.customerId);
        expect(s).toHaveLength(1);
        return s[0].body;
      },
      { timeoutMs: 60_000 },
    );
    const [report] = await reportsOf(body.requestId);
    expect(report).toMatchObject({ title: 'Analysis report (first report): Cobalt Strike beacon on PC-SALES-07', language: 'en' });
    expect(sent).toMatchObject({ reportId: report.id, kind: 'ANALYSIS', subjectId: incident.incidentId, recipients: body.recipients, messageId: `<report-${report.id}@kanshi.reporting>` });
    const mails = smtp.messages.filter((m) => m.messageId === sent.messageId);
    expect(mails).toHaveLength(1);
    expect(smtp.envelopes[smtp.messages.indexOf(mails[0])]).toEqual(body.recipients);
    expect(mails[0].attachments[0].contentType).toBe('application/pdf');
    const text = flat(await pdfText(mails[0].attachments[0].content));
    expect(text).toContain('1. What is happening (the threat)');
    expect(text).toContain('Cobalt Strike beacon callback');
    expect(text).toContain('Blocked by the sensor Not blocked (the traffic got through)');
    expect(text).toContain('VirusTotal: 52 of 70 engines detect the sample');
    // The redelivered request changed nothing.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await reportsOf(body.requestId)).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.messageId === sent.messageId)).toHaveLength(1);
  });

  it('makes a draft without approval and mails nothing', async () => {
    const customer = await kit.createCustomer();
    const { incident } = await incidentWithFacts(customer.customerId);
    const body = request(incident.incidentId, { approvedBy: null, language: 'ja', edition: 'DETAILED' });
    await kit.publish(AnalysisReportRequested, customer.customerId, body);
    const [report] = await eventually(
      async () => {
        const r = await reportsOf(body.requestId);
        expect(r).toHaveLength(1);
        return r;
      },
      { timeoutMs: 60_000 },
    );
    expect(report.title).toContain('調査報告書（詳細）');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await kit.outbox(ReportSent.subject, customer.customerId)).toEqual([]);
    expect(smtp.messages.filter((m) => m.messageId === `<report-${report.id}@kanshi.reporting>`)).toEqual([]);
  });

  it('waits for an incident whose snapshot has not arrived yet, then makes its report', async () => {
    const customer = await kit.createCustomer();
    const incident = incidentBody();
    const body = request(incident.incidentId, { approvedBy: null });
    await kit.publish(AnalysisReportRequested, customer.customerId, body);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await reportsOf(body.requestId)).toEqual([]);
    await kit.publish(IncidentUpdated, customer.customerId, incident);
    await eventually(async () => expect(await reportsOf(body.requestId)).toHaveLength(1), { timeoutMs: 90_000, intervalMs: 500 });
  });
});
