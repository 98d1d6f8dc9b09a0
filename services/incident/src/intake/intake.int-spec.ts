// Verdicts and sensor liveness on the real JetStream (as analysis' and ingestion's relays publish
// them) become incidents: one per alert group, later verdicts attach and raise, overrides update,
// LOW ones are counted, redeliveries change nothing, DOWN opens and UP resolves an availability
// incident; and reporting's report.sent stops the detailed-report clock.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@kanshi/calendar';
import {
  ContractActivated,
  EventDefinition,
  EventEnvelope,
  IncidentOpened,
  ReportReady,
  ReportSent,
  SensorLivenessChanged,
  SensorRegistered,
  VerdictIssuedV2,
  VerdictIssuedV2Body,
} from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { JobQueue } from '@kanshi/jobs';
import { eventually, isolatedDatabaseUrl, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { coreSpecConfig } from '../incident.int-kit';
import { IncidentLifecycle, SeverityDecision } from '../incidents/incident-lifecycle';

jest.setTimeout(90_000);

const clock = new ManualClock(new Date('2026-12-02T01:00:00Z'));
let kit: SubgraphKit;
let bus: NatsBus;
const decisions: { incidentId: string; decision: SeverityDecision }[] = [];

beforeAll(async () => {
  kit = await startSubgraph({ service: 'incident', schema: 'incident', loadConfig: coreSpecConfig(await isolatedDatabaseUrl()), module: (config, opts) => AppModule.forRoot(config, { ...opts, clock }) });
  // severity decisions queue notification mail (the notification specs deliver it)
  await kit.app.get(JobQueue).start();
  bus = kit.app.get(NatsBus);
  kit.app.get(IncidentLifecycle).onSeverityDecided(async (_em, incident, decision) => {
    decisions.push({ incidentId: incident.id, decision });
  });
  await kit.app.get(ConsumerHost).start();
});

afterAll(async () => {
  if (!kit) return;
  await kit.app.get(ConsumerHost).stop();
  for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) await bus.jsm.streams.delete(s.config.name);
  await kit.close();
});

async function publish<T>(def: EventDefinition<T>, customerId: string | null, body: T, eventId: string = randomUUID()): Promise<EventEnvelope<T>> {
  const e: EventEnvelope<T> = { eventId, subject: def.subject, occurredAt: new Date().toISOString(), customerId, body };
  await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(e)), { msgID: `${eventId}-${Math.random()}` });
  return e;
}

let seq = 0;
function verdict(over: Partial<VerdictIssuedV2Body> = {}): VerdictIssuedV2Body {
  return {
    verdictId: randomUUID(),
    alertIds: [randomUUID()],
    groupId: null,
    severity: 'HIGH',
    automaticSeverity: over.severity ?? 'HIGH',
    overridden: false,
    overrideRationale: null,
    reasons: [{ kind: 'RULE', text: 'Emotet C2 beacon', textJa: 'Emotet C2 通信', attackTechniques: ['T1071'] } as VerdictIssuedV2Body['reasons'][number]],
    recommendedActions: [{ text: 'Isolate pc-001', textJa: 'pc-001 を隔離' }],
    endpoints: [{ hostName: 'pc-001', ip: '10.0.0.7' }],
    isolationRecommended: true,
    sensorId: randomUUID(),
    product: 'FIREEYE_NX',
    category: ['malware'],
    signature: 'Malware.Emotet',
    blocked: false,
    decidedAt: new Date(Date.UTC(2026, 11, 2, 1, 0, 0) + seq++).toISOString(),
    ...over,
  };
}

const incidentsOf = (customerId: string) =>
  kit.ds.query(`SELECT id, severity, status, kind, group_id, title, version FROM incident.incident WHERE customer_id = $1 ORDER BY created_at, id`, [customerId]);
const alertsOf = async (incidentId: string) =>
  (await kit.ds.query(`SELECT alert_ids FROM incident.incident_verdict WHERE incident_id = $1 ORDER BY decided_at, verdict_id`, [incidentId])).flatMap((r: { alert_ids: string[] }) => r.alert_ids);

describe('verdicts -> incidents', () => {
  it('opens one incident per alert group; later verdicts attach and raise, never lower, the severity', async () => {
    const { customerId } = await kit.createCustomer();
    const groupId = randomUUID();
    const first = verdict({ groupId, severity: 'MEDIUM' });
    await publish(VerdictIssuedV2, customerId, first);
    const [opened] = await eventually(async () => {
      const rows = await incidentsOf(customerId);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(opened).toMatchObject({ severity: 'MEDIUM', status: 'NEW', kind: 'SECURITY', group_id: groupId, title: 'Malware.Emotet' });
    const high = verdict({ groupId, severity: 'HIGH' });
    await publish(VerdictIssuedV2, customerId, high);
    await eventually(async () => expect((await incidentsOf(customerId))[0].severity).toBe('HIGH'));
    const low = verdict({ groupId, severity: 'MEDIUM' });
    await publish(VerdictIssuedV2, customerId, low);
    await eventually(async () => expect(await alertsOf(opened.id)).toHaveLength(3));
    const rows = await incidentsOf(customerId);
    expect(rows).toHaveLength(1);
    expect(rows[0].severity).toBe('HIGH');
    expect(await alertsOf(opened.id)).toEqual([...first.alertIds, ...high.alertIds, ...low.alertIds]);
    expect(decisions.filter((d) => d.incidentId === opened.id).map((d) => d.decision)).toEqual([
      { severity: 'MEDIUM', automatic: true, actor: 'system:analysis', previous: null, verdict: expect.objectContaining({ verdictId: first.verdictId }) },
      { severity: 'HIGH', automatic: true, actor: 'system:analysis', previous: 'MEDIUM', verdict: expect.objectContaining({ verdictId: high.verdictId }) },
    ]);
    const timeline = await kit.ok('analyst', `query($id: ID!) { incident(id: $id) { alerts { id } timeline { kind text } } }`, { id: opened.id });
    expect(timeline.incident.alerts).toHaveLength(3);
    // this customer has no contract: each decision notes that nobody was notified
    expect(timeline.incident.timeline.map((t: { kind: string }) => t.kind)).toEqual(['OPENED', 'NOTIFICATION_SKIPPED', 'VERDICT', 'SEVERITY', 'NOTIFICATION_SKIPPED', 'VERDICT']);
  });

  it('follows the merge pointer: a verdict of a group whose incident was merged away attaches to the surviving incident', async () => {
    const { customerId } = await kit.createCustomer();
    const [groupA, groupB] = [randomUUID(), randomUUID()];
    await publish(VerdictIssuedV2, customerId, verdict({ groupId: groupA, severity: 'MEDIUM' }));
    await publish(VerdictIssuedV2, customerId, verdict({ groupId: groupB, severity: 'MEDIUM' }));
    const [a, b] = await eventually(async () => {
      const rows = await incidentsOf(customerId);
      expect(rows).toHaveLength(2);
      return [rows.find((r: { group_id: string }) => r.group_id === groupA), rows.find((r: { group_id: string }) => r.group_id === groupB)];
    });
    await kit.ok('analyst', `mutation($s: ID!, $t: ID!) { mergeIncidents(sourceId: $s, targetId: $t, reason: "same host") { id } }`, { s: a.id, t: b.id });
    const late = verdict({ groupId: groupA, severity: 'HIGH' });
    await publish(VerdictIssuedV2, customerId, late);
    await eventually(async () => expect((await kit.ds.query(`SELECT incident_id FROM incident.incident_verdict WHERE verdict_id = $1`, [late.verdictId]))[0]?.incident_id).toBe(b.id));
    const rows = await incidentsOf(customerId);
    expect(rows).toHaveLength(2);
    expect(rows.find((r: { id: string }) => r.id === b.id)).toMatchObject({ severity: 'HIGH', status: 'NEW' });
    expect(rows.find((r: { id: string }) => r.id === a.id)).toMatchObject({ status: 'CLOSED' });
    const { incident } = await kit.ok('analyst', `query($id: ID!) { incident(id: $id) { alerts { id } timeline { kind text } } }`, { id: b.id });
    expect(incident.alerts.map((x: { id: string }) => x.id)).toContain(late.alertIds[0]);
    expect(incident.timeline).toContainEqual({ kind: 'VERDICT', text: expect.stringContaining(`alert group ${groupA}'s incident was merged into this one`) });
  });

  it('opens a separate incident for a verdict without a group', async () => {
    const { customerId } = await kit.createCustomer();
    await publish(VerdictIssuedV2, customerId, verdict());
    await publish(VerdictIssuedV2, customerId, verdict());
    await eventually(async () => expect(await incidentsOf(customerId)).toHaveLength(2));
  });

  it('opens no second incident for a redelivered verdict, under the same or a new event id', async () => {
    const { customerId } = await kit.createCustomer();
    const v = verdict({ groupId: null });
    const e = await publish(VerdictIssuedV2, customerId, v);
    await eventually(async () => expect(await incidentsOf(customerId)).toHaveLength(1));
    await publish(VerdictIssuedV2, customerId, v, e.eventId); // the same event again (inbox)
    await publish(VerdictIssuedV2, customerId, v); // the same verdict under a new event id
    const marker = verdict({ groupId: null, severity: 'LOW' });
    await publish(VerdictIssuedV2, customerId, marker);
    await eventually(async () => expect((await kit.ds.query(`SELECT 1 FROM incident.low_verdict WHERE verdict_id = $1`, [marker.verdictId])).length).toBe(1));
    const rows = await incidentsOf(customerId);
    expect(rows).toHaveLength(1);
    expect(rows[0].version).toBe(1);
    expect(await kit.outbox(IncidentOpened.subject, customerId)).toHaveLength(1);
  });

  it('counts LOW verdicts without an incident, and lets an analyst raise one', async () => {
    const { customerId } = await kit.createCustomer();
    const low = verdict({ severity: 'LOW' });
    await publish(VerdictIssuedV2, customerId, low);
    await publish(VerdictIssuedV2, customerId, verdict({ severity: 'LOW' }));
    const COUNT = `query($c: ID!) { lowVerdictCount(customerId: $c, from: "2026-12-01T00:00:00Z", to: "2027-01-01T00:00:00Z") }`;
    await eventually(async () => expect((await kit.ok('analyst', COUNT, { c: customerId })).lowVerdictCount).toBe(2));
    expect(await incidentsOf(customerId)).toEqual([]);
    const RAISE = `mutation($v: ID!) { raiseIncident(verdictId: $v, severity: MEDIUM, reason: "third time this week") { id severity status title alerts { id } } }`;
    const { raiseIncident } = await kit.ok('analyst', RAISE, { v: low.verdictId });
    expect(raiseIncident).toMatchObject({ severity: 'MEDIUM', status: 'NEW', title: 'Malware.Emotet', alerts: low.alertIds.map((id) => ({ id })) });
    const again = await kit.gql('analyst', RAISE, { v: low.verdictId });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_RAISED' });
    const other = await kit.createCustomer();
    const theirs = await kit.gql('customer_admin', COUNT, { c: customerId }, { customerId: other.customerId });
    expect(theirs.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('takes an analyst’s override (the verdict published again, overridden) as the new severity', async () => {
    const { customerId } = await kit.createCustomer();
    const v = verdict({ severity: 'MEDIUM' });
    await publish(VerdictIssuedV2, customerId, v);
    await eventually(async () => expect(await incidentsOf(customerId)).toHaveLength(1));
    await publish(VerdictIssuedV2, customerId, { ...v, severity: 'HIGH', overridden: true, overrideRationale: 'lateral movement seen' });
    await eventually(async () => expect((await incidentsOf(customerId))[0].severity).toBe('HIGH'));
    const [row] = await incidentsOf(customerId);
    expect(decisions.filter((d) => d.incidentId === row.id).pop()!.decision).toEqual({ severity: 'HIGH', automatic: false, actor: 'system:analysis-override', previous: 'MEDIUM', verdict: expect.objectContaining({ verdictId: v.verdictId, overridden: true }) });
    // a LOW verdict overridden upwards opens its incident then
    const low = verdict({ severity: 'LOW' });
    await publish(VerdictIssuedV2, customerId, low);
    await publish(VerdictIssuedV2, customerId, { ...low, severity: 'HIGH', overridden: true });
    await eventually(async () => expect(await incidentsOf(customerId)).toHaveLength(2));
  });
});

describe('sensor liveness -> availability incidents', () => {
  it('opens an availability incident on DOWN (once), and resolves it on UP', async () => {
    const { customerId } = await kit.createCustomer();
    const sensorId = randomUUID();
    await publish(SensorRegistered, customerId, { sensorId, product: 'FIREEYE_NX', name: 'nx-tokyo-1' });
    await eventually(async () => expect(await kit.ds.query(`SELECT 1 FROM incident.sensor WHERE sensor_id = $1`, [sensorId])).toHaveLength(1));
    await publish(SensorLivenessChanged, customerId, { sensorId, status: 'DOWN', lastSeenAt: '2026-12-02T00:40:00.000Z' });
    await publish(SensorLivenessChanged, customerId, { sensorId, status: 'DOWN', lastSeenAt: '2026-12-02T00:40:00.000Z' });
    const [opened] = await eventually(async () => {
      const rows = await incidentsOf(customerId);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(opened).toMatchObject({ kind: 'AVAILABILITY', severity: 'MEDIUM', status: 'NEW', title: 'Sensor nx-tokyo-1 is down' });
    await publish(SensorLivenessChanged, customerId, { sensorId, status: 'UP', lastSeenAt: '2026-12-02T01:05:00.000Z' });
    await eventually(async () => expect((await incidentsOf(customerId))[0].status).toBe('RESOLVED'));
    await publish(SensorLivenessChanged, customerId, { sensorId, status: 'DOWN', lastSeenAt: null });
    await eventually(async () => expect(await incidentsOf(customerId)).toHaveLength(2));
  });
});

describe('contracts and reports', () => {
  it('keeps the customer terms from contract events, and stops the detailed-report clock when the approved detailed report is mailed', async () => {
    const { customerId } = await kit.createCustomer();
    await publish(ContractActivated, customerId, {
      contractId: randomUUID(),
      customerId,
      partnerId: null,
      plan: 'MDR',
      serviceHours: 'ALWAYS',
      options: [],
      livenessMonitoring: false,
      monitoredProducts: ['CROWDSTRIKE_FALCON'],
      escalationContacts: [{ order: 1, name: 'Tanaka', email: 'tanaka@example.jp', language: 'en' }],
      isolationPreApproved: true,
      isolationOnAutomaticVerdicts: true,
      logRetentionMonths: 3,
      status: 'active',
      startDate: '2026-01-01',
      endDate: null,
    });
    await eventually(async () => expect(await kit.ds.query(`SELECT 1 FROM incident.customer_terms WHERE customer_id = $1`, [customerId])).toHaveLength(1));
    await publish(VerdictIssuedV2, customerId, verdict());
    const [i] = await eventually(async () => {
      const rows = await incidentsOf(customerId);
      expect(rows).toHaveLength(1);
      return rows;
    });
    await kit.ok('analyst', `mutation($id: ID!) { confirmSeverity(id: $id, severity: HIGH, rationale: "confirmed") { id } }`, { id: i.id });
    await kit.ok('analyst', `mutation($id: ID!) { approveDetailedReport(incidentId: $id) { id } }`, { id: i.id });
    const [{ request_id: requestId }] = await kit.ds.query(`SELECT request_id FROM incident.analysis_report_request WHERE incident_id = $1`, [i.id]);
    const reportId: string = randomUUID();
    await publish(ReportReady, customerId, { reportId, kind: 'ANALYSIS', subjectId: i.id, sha256: 'ab'.repeat(32), edition: 'DETAILED', requestId });
    await eventually(async () => expect((await kit.ds.query(`SELECT report_id FROM incident.analysis_report_request WHERE request_id = $1`, [requestId]))[0].report_id).toBe(reportId));
    await publish(ReportSent, customerId, { reportId, kind: 'ANALYSIS', subjectId: i.id, recipients: ['tanaka@example.jp'], messageId: '<m1@kanshi>', sentAt: '2026-12-02T05:00:00.000Z' });
    const Q = `query($id: ID!) { incident(id: $id) { sla { detailedReportDueAt detailedReportMetAt } timeline { kind text } } }`;
    const { incident } = await eventually(async () => {
      const r = await kit.ok('analyst', Q, { id: i.id });
      expect(r.incident.sla.detailedReportMetAt).toBe('2026-12-02T05:00:00.000Z');
      return r;
    });
    expect(incident.timeline.map((t: { text: string }) => t.text)).toEqual(
      expect.arrayContaining([`detailed analysis report ready (report ${reportId})`, 'detailed analysis report mailed to tanaka@example.jp', 'detailed report clock stopped (met in time)']),
    );
  });
});

