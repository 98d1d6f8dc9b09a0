// Notifications wired into the incident service: a verdict opens an incident and notifies its
// customer by mail (a real SMTP server), an analyst's HIGH adds the call task and the delivered
// mail stops the first-report clock; Incident.notifications, callTasks and recordCallOutcome
// through GraphQL, each tenant seeing only its own.
import { randomUUID } from 'node:crypto';
import { EventEnvelope, VerdictIssuedV2Body } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { eventually, LocalSmtpRelay, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { CustomerTermsRepository } from '../customer-terms/customer-terms.repository';
import { VerdictIntake } from '../intake/verdict-intake';

jest.setTimeout(90_000);

const relay = new LocalSmtpRelay();
let kit: SubgraphKit;

beforeAll(async () => {
  await relay.start();
  kit = await startSubgraph({
    service: 'incident',
    schema: 'incident',
    loadConfig: (env) => loadConfig({ ...env, SMTP_URL: relay.url, MAIL_RETRY_DELAY_SECONDS: '1', JOBS_POLL_INTERVAL_MS: '500' }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
  await kit.app.get(JobQueue).start();
});
afterAll(async () => {
  await kit?.close();
  await relay.stop();
});

async function mdrCustomer() {
  const c = await kit.createCustomer();
  const t = randomUUID().slice(0, 8);
  const contacts = [
    { order: 1, name: 'Tanaka', phone: '+81300000001', email: `tanaka.${t}@example.jp`, language: 'ja' as const },
    { order: 2, name: 'Smith', phone: '+81300000002', email: `smith.${t}@example.com`, language: 'en' as const },
  ];
  await kit.app.get(CustomerTermsRepository).apply(
    kit.ds.manager,
    { contractId: randomUUID(), customerId: c.customerId, partnerId: null, plan: 'MDR', serviceHours: 'ALWAYS', options: [], livenessMonitoring: false, monitoredProducts: [], escalationContacts: contacts, isolationPreApproved: false, logRetentionMonths: 3, status: 'active', startDate: '2026-01-01', endDate: null },
    '2026-01-01T00:00:00Z',
  );
  return { ...c, contacts };
}

function verdict(customerId: string, severity: 'HIGH' | 'MEDIUM'): EventEnvelope<VerdictIssuedV2Body> {
  return {
    eventId: randomUUID(),
    subject: 'analysis.verdict.issued.v2',
    occurredAt: new Date().toISOString(),
    customerId,
    body: {
      verdictId: randomUUID(),
      alertIds: [randomUUID()],
      groupId: randomUUID(),
      severity,
      automaticSeverity: severity,
      overridden: false,
      overrideRationale: null,
      reasons: [{ kind: 'RULE', text: 'Emotet C2 beacon to 203.0.113.9', textJa: 'Emotet の C2 通信 (203.0.113.9)', attackTechniques: ['T1071'] }],
      recommendedActions: [{ text: 'Isolate pc-001 and reimage it', textJa: 'pc-001 を隔離し、再構築してください' }],
      endpoints: [{ hostName: 'pc-001', ip: '10.0.0.7' }],
      isolationRecommended: true,
      sensorId: randomUUID(),
      product: 'FIREEYE_NX',
      category: ['malware'],
      signature: 'Malware.Emotet',
      blocked: false,
      decidedAt: new Date().toISOString(),
    },
  };
}

const NOTIFS = `query($id: ID!) { incident(id: $id) { id notifications { channel recipient contactName language severity status attempts sentAt error } } }`;
const CONFIRM = `mutation($id: ID!) { confirmSeverity(id: $id, severity: HIGH, rationale: "C2 confirmed in proxy logs") { id severity } }`;
const SLA = `query($id: ID!) { incident(id: $id) { sla { firstReportDueAt clocks { clock metAt } } timeline { kind actor text } } }`;

it('notifies a verdict’s customer by mail, then by phone once an analyst confirms HIGH, and the delivered mail stops the first-report clock', async () => {
  const c = await mdrCustomer();
  const other = await kit.createCustomer();
  const incident = await kit.ds.transaction((em) => kit.app.get(VerdictIntake).verdict(em, verdict(c.customerId, 'MEDIUM')));
  const id = incident!.id;
  const ids = { customerId: c.customerId };
  await eventually(async () => {
    const { incident: i } = await kit.ok('customer_viewer', NOTIFS, { id }, ids);
    expect(i.notifications.map((n: { status: string }) => n.status)).toEqual(['DELIVERED', 'DELIVERED']);
  });
  const [ja] = relay.accepted(c.contacts[0].email);
  expect(ja.parsed.text).toContain('Emotet の C2 通信 (203.0.113.9)');
  expect(ja.parsed.text).toContain('pc-001 を隔離し、再構築してください');
  const [en] = relay.accepted(c.contacts[1].email);
  expect(en.parsed.subject).toBe('[Kanshi SOC] Severity Medium: Malware.Emotet');
  // another customer sees neither the incident nor its notifications
  expect((await kit.ok('customer_viewer', NOTIFS, { id }, { customerId: other.customerId })).incident).toBeNull();

  await kit.ok('analyst', CONFIRM, { id });
  const { incident: after } = await eventually(async () => {
    const r = await kit.ok('customer_admin', NOTIFS, { id }, ids);
    expect(r.incident.notifications.filter((n: { severity: string; channel: string; status: string }) => n.severity === 'HIGH' && n.channel === 'EMAIL' && n.status === 'DELIVERED')).toHaveLength(2);
    return r;
  });
  expect(after.notifications.find((n: { channel: string }) => n.channel === 'PHONE')).toMatchObject({ severity: 'HIGH', recipient: '+81300000001', contactName: 'Tanaka', status: 'PENDING' });
  // the HIGH mail was the first report after the decision: that clock stopped
  const { incident: sla } = await kit.ok('analyst', SLA, { id });
  expect((await kit.ds.query(`SELECT status FROM incident.incident WHERE id = $1`, [id]))[0].status).toBe('NOTIFIED');
  expect(sla.sla.firstReportDueAt).not.toBeNull();
  expect(sla.sla.clocks.find((k: { clock: string }) => k.clock === 'FIRST_REPORT').metAt).not.toBeNull();
  expect(sla.timeline.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['NOTIFICATION_QUEUED', 'NOTIFICATION_DELIVERED', 'CALL_TASK_OPENED']));

  // the operator's list and outcome, through GraphQL
  const { callTasks } = await kit.ok('engineer', `{ callTasks { id incidentId status contacts { name phone } currentIndex scriptJa } }`);
  const task = callTasks.find((t: { incidentId: string }) => t.incidentId === id);
  expect(task).toMatchObject({ status: 'OPEN', currentIndex: 0, contacts: [{ name: 'Tanaka', phone: '+81300000001' }, { name: 'Smith', phone: '+81300000002' }] });
  expect((await kit.gql('customer_admin', `{ callTasks { id } }`, {}, ids)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  const OUTCOME = `mutation($i: RecordCallOutcomeInput!) { recordCallOutcome(input: $i) { status log { outcome reachedWhom note } } }`;
  const bad = await kit.gql('engineer', OUTCOME, { i: { callTaskId: task.id, outcome: 'PICKED_UP' } });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const { recordCallOutcome } = await kit.ok('engineer', OUTCOME, { i: { callTaskId: task.id, outcome: 'REACHED', reachedWhom: 'Tanaka', whatWasSaid: 'Told of the Emotet C2 beacon on pc-001' } });
  expect(recordCallOutcome).toMatchObject({ status: 'REACHED', log: [{ outcome: 'REACHED', reachedWhom: 'Tanaka', note: 'Told of the Emotet C2 beacon on pc-001' }] });
  const phone = (await kit.ok('customer_viewer', NOTIFS, { id }, ids)).incident.notifications.find((n: { channel: string }) => n.channel === 'PHONE');
  expect(phone).toMatchObject({ status: 'DELIVERED', attempts: 1, sentAt: expect.any(String) });
});

it('ends the calls when the customer acknowledges the incident', async () => {
  const c = await mdrCustomer();
  const incident = await kit.ds.transaction((em) => kit.app.get(VerdictIntake).verdict(em, verdict(c.customerId, 'HIGH')));
  const open = await kit.ds.query(`SELECT status FROM incident.call_task WHERE incident_id = $1`, [incident!.id]);
  expect(open).toEqual([{ status: 'OPEN' }]);
  await kit.ok('customer_admin', `mutation($id: ID!) { acknowledgeIncident(id: $id) { id } }`, { id: incident!.id }, { customerId: c.customerId });
  expect(await kit.ds.query(`SELECT status FROM incident.call_task WHERE incident_id = $1`, [incident!.id])).toEqual([{ status: 'ACKNOWLEDGED' }]);
});
