// Endpoint isolation wired into the incident service: the endpoint read model, automatic requests
// by prior agreement (confirmed HIGH; automatic HIGH only where the contract allows it), the
// customer's approval, tenancy, redelivered decisions, endpoint-response's outcomes (timeline,
// CONTAINED, FAILED -> call task) and the release flow, through GraphQL where a user acts.
import { randomUUID } from 'node:crypto';
import { EndpointChangedBody, EventEnvelope, VerdictIssuedV2Body } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { LocalSmtpRelay, startSubgraph, SubgraphKit } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { CustomerTermsRepository } from '../customer-terms/customer-terms.repository';
import { VerdictIntake } from '../intake/verdict-intake';
import { IsolationsRepository } from './isolations.repository';
import { IsolationOutcomeKind, IsolationsService } from './isolations.service';

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

interface Terms {
  plan?: 'MDR' | 'FE_SECURITY_MONITORING';
  preApproved?: boolean;
  automatic?: boolean;
}

async function customer(t: Terms = {}) {
  const c = await kit.createCustomer();
  await kit.app.get(CustomerTermsRepository).apply(
    kit.ds.manager,
    {
      contractId: randomUUID(),
      customerId: c.customerId,
      partnerId: null,
      plan: t.plan ?? 'MDR',
      serviceHours: 'ALWAYS',
      options: [],
      livenessMonitoring: false,
      monitoredProducts: [],
      escalationContacts: [{ order: 1, name: 'Tanaka', phone: '+81300000001', email: `t.${c.customerId.slice(0, 8)}@example.jp`, language: 'ja' }],
      isolationPreApproved: t.preApproved ?? true,
      isolationOnAutomaticVerdicts: t.automatic ?? false,
      logRetentionMonths: 3,
      status: 'active',
      startDate: '2026-01-01',
      endDate: null,
    },
    '2026-01-01T00:00:00Z',
  );
  return c;
}

async function endpoint(customerId: string, hostName: string, o: Partial<EndpointChangedBody> = {}): Promise<string> {
  const endpointId = o.endpointId ?? randomUUID();
  const body: EndpointChangedBody = { endpointId, version: 1, hostName, ips: [], os: 'Windows 11', edrProduct: 'CROWDSTRIKE_FALCON', agentId: null, lastSeenAt: null, isolated: false, retired: false, ...o };
  await kit.app.get(IsolationsRepository).upsertEndpoint(kit.ds.manager, customerId, body);
  return endpointId;
}

function verdict(customerId: string, severity: 'HIGH' | 'MEDIUM', endpoints: VerdictIssuedV2Body['endpoints']): EventEnvelope<VerdictIssuedV2Body> {
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
      reasons: [{ kind: 'RULE', text: 'Ransomware behaviour', textJa: 'ランサムウェアの挙動', attackTechniques: ['T1486'] }],
      recommendedActions: [{ text: 'Isolate the host', textJa: '端末を隔離してください' }],
      endpoints,
      isolationRecommended: true,
      sensorId: randomUUID(),
      product: 'CROWDSTRIKE_FALCON',
      category: ['malware'],
      signature: 'Ransom.Generic',
      blocked: false,
      decidedAt: new Date().toISOString(),
    },
  };
}

const open = async (e: EventEnvelope<VerdictIssuedV2Body>) => (await kit.ds.transaction((em) => kit.app.get(VerdictIntake).verdict(em, e)))!.id;
const isolations = (incidentId: string) => kit.ds.query(`SELECT id, endpoint_id, status, requested_by, approved_by FROM incident.isolation WHERE incident_id = $1 ORDER BY requested_at`, [incidentId]);
const requested = async (customerId: string, incidentId: string) => (await kit.outbox('incident.isolation.requested.v1', customerId)).filter((e) => e.body.incidentId === incidentId);
const outcome = (kind: IsolationOutcomeKind, iso: { id: string; incidentId: string; endpointId: string }, error?: string) =>
  kit.ds.transaction((em) => kit.app.get(IsolationsService).onOutcome(em, kind, { isolationId: iso.id, incidentId: iso.incidentId, endpointId: iso.endpointId, at: new Date().toISOString(), vendor: 'CROWDSTRIKE_FALCON', hostName: 'WS-FIN-01', error }));
const CONFIRM = `mutation($id: ID!) { confirmSeverity(id: $id, severity: HIGH, rationale: "encryption seen") { id } }`;
const INCIDENT = `query($id: ID!) { incident(id: $id) { id status isolations { id requestedAt requestedBy approvedBy requestReason releaseAskedBy incident { id } } timeline { kind actor text } } }`;

describe('automatic requests by prior agreement', () => {
  it('isolates at once on an automatic HIGH verdict where the contract allows it, matched on the agent id', async () => {
    const c = await customer({ automatic: true });
    const ep = await endpoint(c.customerId, 'WS-FIN-01', { agentId: 'a1b2c3' });
    await endpoint(c.customerId, 'WS-FIN-02', { agentId: 'zzz' });
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: null, ip: null, agentId: 'a1b2c3' }]));
    expect(await isolations(id)).toEqual([expect.objectContaining({ endpoint_id: ep, status: 'REQUESTED', requested_by: 'system:auto-isolation', approved_by: 'contract (prior agreement)' })]);
    const [cmd] = await requested(c.customerId, id);
    expect(cmd.body).toMatchObject({ incidentId: id, endpointId: ep, requestedBy: 'system:auto-isolation' });
  });

  it('isolates the endpoint analysis resolved the alert to, though another endpoint shares its address', async () => {
    const c = await customer({ automatic: true });
    const ep = await endpoint(c.customerId, 'WS-FIN-03', { ips: ['10.40.0.8'] });
    await endpoint(c.customerId, 'WS-FIN-04', { ips: ['10.40.0.8'] });
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: 'ws-fin-03', ip: '10.40.0.8', endpointId: ep }]));
    expect(await isolations(id)).toEqual([expect.objectContaining({ endpoint_id: ep, status: 'REQUESTED', requested_by: 'system:auto-isolation' })]);
    // the address alone names both: the analyst picks
    const unresolved = await open(verdict(c.customerId, 'HIGH', [{ hostName: null, ip: '10.40.0.8' }]));
    expect(await isolations(unresolved)).toEqual([]);
  });

  it('waits for the analyst on an automatic HIGH when the contract does not allow automatic isolation, then isolates on confirmSeverity (matched on the host name)', async () => {
    const c = await customer({ automatic: false });
    const ep = await endpoint(c.customerId, 'ws-fin-01.corp.example.jp');
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: 'WS-FIN-01', ip: null }]));
    expect(await isolations(id)).toEqual([]);
    await kit.ok('analyst', CONFIRM, { id });
    expect(await isolations(id)).toEqual([expect.objectContaining({ endpoint_id: ep, status: 'REQUESTED', requested_by: expect.not.stringMatching(/^system:/) })]);
    // a second confirmation (a redelivered decision) asks nothing more
    await kit.ok('analyst', CONFIRM, { id });
    expect(await isolations(id)).toHaveLength(1);
    expect(await requested(c.customerId, id)).toHaveLength(1);
  });

  it('asks nothing without prior agreement, on other plans, below HIGH, and leaves several matches to the analyst', async () => {
    const none = await customer({ preApproved: false, automatic: true });
    await endpoint(none.customerId, 'h1', { ips: ['10.0.0.7'] });
    const a = await open(verdict(none.customerId, 'HIGH', [{ hostName: null, ip: '10.0.0.7' }]));
    const other = await customer({ plan: 'FE_SECURITY_MONITORING', automatic: true });
    await endpoint(other.customerId, 'h1', { ips: ['10.0.0.7'] });
    const b = await open(verdict(other.customerId, 'HIGH', [{ hostName: null, ip: '10.0.0.7' }]));
    const medium = await customer({ automatic: true });
    await endpoint(medium.customerId, 'h1', { ips: ['10.0.0.7'] });
    const m = await open(verdict(medium.customerId, 'MEDIUM', [{ hostName: null, ip: '10.0.0.7' }]));
    const two = await customer({ automatic: true });
    await endpoint(two.customerId, 'h1', { ips: ['10.0.0.7'] });
    await endpoint(two.customerId, 'h2', { ips: ['10.0.0.7'] });
    const t = await open(verdict(two.customerId, 'HIGH', [{ hostName: null, ip: '10.0.0.7' }]));
    for (const id of [a, b, m, t]) expect(await isolations(id)).toEqual([]);
    const { incident } = await kit.ok('analyst', INCIDENT, { id: t });
    expect(incident.timeline.find((e: { kind: string }) => e.kind === 'ISOLATION').text).toContain('2 managed endpoints match (h1, h2)');
  });

  it('does not offer a retired endpoint, and an older version never overwrites a newer one', async () => {
    const c = await customer({ automatic: true });
    const ep = await endpoint(c.customerId, 'old-host', { agentId: 'ag-1', version: 2, retired: true });
    await endpoint(c.customerId, 'old-host', { endpointId: ep, agentId: 'ag-1', version: 1, retired: false });
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: null, ip: null, agentId: 'ag-1' }]));
    expect(await isolations(id)).toEqual([]);
    const r = await kit.gql('analyst', `mutation($i: ID!, $e: ID!) { requestIsolation(incidentId: $i, endpointId: $e) { id } }`, { i: id, e: ep });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('requests by hand', () => {
  const APPROVE = `mutation($i: ID!, $e: ID!) { approveIsolation(incidentId: $i, endpointId: $e) { id requestedBy approvedBy requestReason } }`;
  const REQUEST = `mutation($i: ID!, $e: ID!) { requestIsolation(incidentId: $i, endpointId: $e) { id requestedBy } }`;

  it('lets the customer’s administrator approve an isolation once; another tenant gets NOT_FOUND', async () => {
    const c = await customer({ preApproved: false });
    const ep = await endpoint(c.customerId, 'pc-01');
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: 'pc-01', ip: null }]));
    const ids = { customerId: c.customerId };
    const { approveIsolation } = await kit.ok('customer_admin', APPROVE, { i: id, e: ep }, ids);
    expect(approveIsolation).toMatchObject({ approvedBy: expect.any(String), requestReason: 'approved by the customer' });
    const again = await kit.ok('customer_admin', APPROVE, { i: id, e: ep }, ids);
    expect(again.approveIsolation.id).toBe(approveIsolation.id);
    expect(await requested(c.customerId, id)).toHaveLength(1);
    // a viewer may not; another customer sees nothing; an analyst may not use the customer's mutation
    expect((await kit.gql('customer_viewer', APPROVE, { i: id, e: ep }, ids)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await customer();
    expect((await kit.gql('customer_admin', APPROVE, { i: id, e: ep }, { customerId: other.customerId })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await kit.ok('customer_viewer', INCIDENT, { id }, { customerId: other.customerId })).incident).toBeNull();
    // another customer's endpoint on this incident: NOT_FOUND naming the endpoint
    const foreign = await endpoint(other.customerId, 'pc-99');
    const r = await kit.gql('analyst', REQUEST, { i: id, e: foreign });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(r.errors?.[0].message).toContain(foreign);
    const { incident } = await kit.ok('customer_viewer', INCIDENT, { id }, ids);
    expect(incident.isolations).toEqual([expect.objectContaining({ id: approveIsolation.id, incident: { id } })]);
  });
});

describe('outcomes and release', () => {
  it('puts the outcome on the timeline and contains the incident; the customer asks for the release and the analyst confirms it', async () => {
    const c = await customer({ automatic: true });
    const ep = await endpoint(c.customerId, 'WS-FIN-01', { agentId: 'ag-77' });
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: null, ip: null, agentId: 'ag-77' }]));
    const [row] = await isolations(id);
    const iso = { id: row.id, incidentId: id, endpointId: ep };
    await outcome('ISOLATED', iso);
    await outcome('ISOLATED', iso);
    const ids = { customerId: c.customerId };
    const { incident } = await kit.ok('customer_viewer', INCIDENT, { id }, ids);
    expect(incident.status).toBe('CONTAINED');
    expect(incident.timeline.filter((e: { text: string }) => e.text === 'WS-FIN-01 isolated via CROWDSTRIKE_FALCON')).toHaveLength(1);

    const RELEASE = `mutation($id: ID!) { requestIsolationRelease(isolationId: $id) { id releaseAskedBy } }`;
    const CONFIRM_RELEASE = `mutation($id: ID!) { confirmIsolationRelease(isolationId: $id) { id releaseConfirmedBy } }`;
    const other = await customer();
    expect((await kit.gql('customer_admin', RELEASE, { id: iso.id }, { customerId: other.customerId })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await kit.ok('customer_admin', RELEASE, { id: iso.id }, ids)).requestIsolationRelease.releaseAskedBy).toEqual(expect.any(String));
    expect(await kit.outbox('incident.isolation.release-requested.v1', c.customerId)).toEqual([]);
    await kit.ok('analyst', CONFIRM_RELEASE, { id: iso.id });
    const [cmd] = await kit.outbox('incident.isolation.release-requested.v1', c.customerId);
    expect(cmd.body).toMatchObject({ isolationId: iso.id, endpointId: ep, reason: 'the customer reported the host clean' });
    await outcome('RELEASED', iso);
    expect((await isolations(id))[0].status).toBe('RELEASED');
    // released: a new request may be made again, and asking for a release again is a conflict
    expect((await kit.gql('customer_admin', RELEASE, { id: iso.id }, ids)).errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('sends a failed isolation to the operator’s phone escalation', async () => {
    const c = await customer({ automatic: true });
    const ep = await endpoint(c.customerId, 'WS-FIN-01', { agentId: 'ag-88' });
    const id = await open(verdict(c.customerId, 'HIGH', [{ hostName: null, ip: null, agentId: 'ag-88' }]));
    const [row] = await isolations(id);
    await outcome('FAILED', { id: row.id, incidentId: id, endpointId: ep }, 'device is offline');
    await outcome('FAILED', { id: row.id, incidentId: id, endpointId: ep }, 'device is offline');
    const tasks = await kit.ds.query(`SELECT reason, status, script_en FROM incident.call_task WHERE incident_id = $1 AND reason = 'ISOLATION_FAILED'`, [id]);
    expect(tasks).toEqual([{ reason: 'ISOLATION_FAILED', status: 'OPEN', script_en: expect.stringContaining('device is offline') }]);
    const { incident } = await kit.ok('analyst', INCIDENT, { id });
    expect(incident.status).not.toBe('CONTAINED');
    expect(incident.timeline.map((e: { text: string }) => e.text)).toEqual(expect.arrayContaining([expect.stringContaining('isolation of WS-FIN-01 failed via CROWDSTRIKE_FALCON: device is offline')]));
    // failed: the analyst may ask again for the same endpoint
    const r = await kit.ok('analyst', `mutation($i: ID!, $e: ID!) { requestIsolation(incidentId: $i, endpointId: $e) { id } }`, { i: id, e: ep });
    expect(r.requestIsolation.id).not.toBe(row.id);
  });
});
