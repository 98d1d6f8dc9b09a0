// The incident workflow through the subgraph on the real PostgreSQL, with the service's clock held
// by the test: severity confirmation and its optimistic lock, the status workflow and its errors,
// who may act on which incident, merge, dispositions, findings, SLA pause and breach, the roster.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@kanshi/calendar';
import { ContractEntitlementsBody, IncidentResolved, IncidentSeverityConfirmed, IncidentSlaBreached, IncidentUpdated, AnalysisReportRequested } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { gqlRequest, isolatedDatabaseUrl, startSubgraph, SubgraphKit, tokenFor } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { coreSpecConfig } from '../incident.int-kit';
import { CustomerTermsRepository } from '../customer-terms/customer-terms.repository';
import { SlaScheduler } from './sla-scheduler';

jest.setTimeout(90_000);

const clock = new ManualClock(new Date('2026-12-02T01:00:00Z')); // Wednesday 10:00 JST
let kit: SubgraphKit;
beforeAll(async () => {
  kit = await startSubgraph({ service: 'incident', schema: 'incident', loadConfig: coreSpecConfig(await isolatedDatabaseUrl()), module: (config, opts) => AppModule.forRoot(config, { ...opts, clock }) });
  // severity decisions queue notification mail (the notification specs deliver it)
  await kit.app.get(JobQueue).start();
});
afterAll(() => kit?.close());
beforeEach(() => clock.set('2026-12-02T01:00:00Z'));

const FIELDS = `id customerId severity status title version tier1Assignee tier2Assignee mergedInto disposition dispositionReason duplicateOf acknowledgedAt
  findings { whatIsHappening howDangerous whatToDo }
  sla { analysisDueAt firstReportDueAt detailedReportDueAt analysisMetAt breached pausedAt pauseReason nextDueAt pauses { startedAt endedAt reason } clocks { clock dueAt metAt breached } }
  timeline { at kind actor text }`;
const OPEN = `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { ${FIELDS} } }`;
const ONE = `query($id: ID!) { incident(id: $id) { ${FIELDS} } }`;
const CONFIRM = `mutation($id: ID!, $s: Severity!, $r: String!, $v: Int) { confirmSeverity(id: $id, severity: $s, rationale: $r, expectedVersion: $v) { ${FIELDS} } }`;
const MOVE = `mutation($id: ID!, $s: IncidentStatus!, $n: String) { transitionIncident(id: $id, status: $s, note: $n) { id status } }`;

async function customer(plan: ContractEntitlementsBody['plan'] = 'MDR', serviceHours: ContractEntitlementsBody['serviceHours'] = 'ALWAYS', partnerId: string | null = null) {
  const c = await kit.createCustomer({ partnerId });
  await kit.app.get(CustomerTermsRepository).apply(
    kit.ds.manager,
    {
      contractId: randomUUID(),
      customerId: c.customerId,
      partnerId,
      plan,
      serviceHours,
      options: [],
      livenessMonitoring: false,
      monitoredProducts: [],
      escalationContacts: [
        { order: 2, name: 'Sato', phone: '+81-3-0000-0002', email: 'sato@example.jp', language: 'ja' },
        { order: 1, name: 'Tanaka', phone: '+81-3-0000-0001', email: 'tanaka@example.jp', language: 'ja' },
      ],
      isolationPreApproved: true,
      logRetentionMonths: 3,
      status: 'active',
      startDate: '2026-01-01',
      endDate: null,
    },
    '2026-01-01T00:00:00Z',
  );
  return c;
}
const open = async (customerId: string, severity = 'HIGH', title = 'Emotet on pc-001') => (await kit.ok('analyst', OPEN, { i: { customerId, severity, title } })).openIncident;
const updates = async (customerId: string, incidentId: string) => (await kit.outbox(IncidentUpdated.subject, customerId)).filter((e) => e.body.incidentId === incidentId);
const as = async (role: Parameters<typeof tokenFor>[0], sub: string, query: string, variables: Record<string, unknown>, ids: { customerId?: string; partnerId?: string } = {}) =>
  gqlRequest<any>(kit.graphqlUrl, await tokenFor(role, { ...ids, sub }), query, variables); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('opening and confirming severity', () => {
  it('starts the analysis clock from the contract and stops it on confirmSeverity, starting the MDR report clocks', async () => {
    const { customerId } = await customer('MDR');
    const i = await open(customerId, 'MEDIUM');
    expect(i).toMatchObject({ status: 'NEW', version: 1, sla: { analysisDueAt: '2026-12-02T01:30:00.000Z', firstReportDueAt: null, breached: false, nextDueAt: '2026-12-02T01:30:00.000Z' } });
    clock.set('2026-12-02T01:12:00Z');
    const { confirmSeverity: c } = await kit.ok('analyst', CONFIRM, { id: i.id, s: 'HIGH', r: 'C2 beacons confirmed' });
    expect(c).toMatchObject({ severity: 'HIGH', status: 'TRIAGED', version: 2 });
    expect(c.sla).toMatchObject({
      analysisMetAt: '2026-12-02T01:12:00.000Z',
      firstReportDueAt: '2026-12-02T02:12:00.000Z',
      detailedReportDueAt: '2026-12-03T08:30:00.000Z', // Thursday 17:30 JST
      nextDueAt: '2026-12-02T02:12:00.000Z',
    });
    expect(c.timeline.map((t: { kind: string; text: string }) => `${t.kind}: ${t.text}`)).toEqual(
      expect.arrayContaining(['SEVERITY: severity confirmed HIGH (was MEDIUM): C2 beacons confirmed', 'STATUS: NEW -> TRIAGED: severity confirmed']),
    );
    expect((await kit.outbox(IncidentSeverityConfirmed.subject, customerId)).map((e) => e.body)).toEqual([{ incidentId: i.id, severity: 'HIGH', status: 'TRIAGED', title: 'Emotet on pc-001' }]);
    const snapshots = await updates(customerId, i.id);
    expect(snapshots.map((e) => e.body.version)).toEqual([1, 2]);
    expect(snapshots[1].body).toMatchObject({ status: 'TRIAGED', severity: 'HIGH', sla: expect.arrayContaining([expect.objectContaining({ clock: 'FIRST_REPORT', dueAt: '2026-12-02T02:12:00.000Z', metAt: null })]) });
  });

  it('runs the business-hours plan’s analysis clock to 17:30 of the next business day for an alert after hours', async () => {
    const { customerId } = await customer('FE_ALERT_ANALYSIS', 'BUSINESS_HOURS');
    clock.set('2026-12-04T10:00:00Z'); // Friday 19:00 JST
    const i = await open(customerId);
    expect(i.sla.analysisDueAt).toBe('2026-12-07T08:30:00.000Z'); // Monday 17:30 JST
  });

  it('gives the second of two analysts confirming the same version a CONFLICT, and changes nothing for it', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    const [a, b] = await Promise.all([
      kit.gql('analyst', CONFIRM, { id: i.id, s: 'HIGH', r: 'first', v: 1 }),
      kit.gql('analyst', CONFIRM, { id: i.id, s: 'MEDIUM', r: 'second', v: 1 }),
    ]);
    const errors = [a, b].filter((r) => r.errors?.length);
    expect(errors).toHaveLength(1);
    expect(errors[0].errors![0]).toMatchObject({ extensions: { code: 'CONFLICT', reason: 'VERSION_CONFLICT' } });
    expect(errors[0].errors![0].message).toMatch(/changed it|changed by someone else/);
    const now = (await kit.ok('analyst', ONE, { id: i.id })).incident;
    expect(now.version).toBe(2);
    expect(now.timeline.filter((t: { kind: string }) => t.kind === 'SEVERITY')).toHaveLength(1);
  });

  it('refuses a stale expectedVersion with CONFLICT naming both versions', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    await kit.ok('analyst', CONFIRM, { id: i.id, s: 'HIGH', r: 'ok', v: 1 });
    const r = await kit.gql('analyst', CONFIRM, { id: i.id, s: 'LOW', r: 'late', v: 1 });
    expect(r.errors?.[0]).toMatchObject({ message: `incident ${i.id} is at version 2, not 1: someone else changed it; read it again and retry`, extensions: { code: 'CONFLICT', field: 'expectedVersion' } });
  });

  it('is FORBIDDEN to engineers and customers', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    for (const [role, ids] of [['engineer', {}], ['customer_admin', { customerId }]] as const) {
      const r = await kit.gql(role, CONFIRM, { id: i.id, s: 'HIGH', r: 'x' }, ids);
      expect(r.errors?.[0]).toMatchObject({ message: `role ${role} may not confirm incident severity`, extensions: { code: 'FORBIDDEN' } });
    }
  });
});

describe('the status workflow', () => {
  it('moves NEW -> TRIAGED -> NOTIFIED -> CONTAINED -> RESOLVED -> CLOSED and reopens, with incident.resolved', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    for (const s of ['TRIAGED', 'NOTIFIED', 'CONTAINED']) expect((await kit.ok('engineer', MOVE, { id: i.id, s })).transitionIncident.status).toBe(s);
    const resolved = await kit.ok('analyst', `mutation($id: ID!) { resolveIncident(id: $id, summary: "host rebuilt") { status } }`, { id: i.id });
    expect(resolved.resolveIncident.status).toBe('RESOLVED');
    expect((await kit.outbox(IncidentResolved.subject, customerId)).map((e) => e.body.incidentId)).toEqual([i.id]);
    expect((await kit.ok('engineer', MOVE, { id: i.id, s: 'CLOSED' })).transitionIncident.status).toBe('CLOSED');
    expect((await kit.ok('engineer', MOVE, { id: i.id, s: 'TRIAGED', n: 'it came back' })).transitionIncident.status).toBe('TRIAGED');
    const { incident } = await kit.ok('analyst', ONE, { id: i.id });
    expect(incident.timeline.filter((t: { kind: string }) => t.kind === 'STATUS').map((t: { text: string }) => t.text)).toEqual([
      'NEW -> TRIAGED',
      'TRIAGED -> NOTIFIED',
      'NOTIFIED -> CONTAINED',
      'CONTAINED -> RESOLVED: host rebuilt',
      'RESOLVED -> CLOSED',
      'reopened (CLOSED -> TRIAGED): it came back',
    ]);
  });

  it('answers an unknown transition with BAD_USER_INPUT naming the current and requested status', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    const r = await kit.gql('engineer', MOVE, { id: i.id, s: 'CLOSED' });
    expect(r.errors?.[0]).toMatchObject({
      message: 'an incident cannot move from NEW to CLOSED (from NEW it may move to TRIAGED, RESOLVED)',
      extensions: { code: 'BAD_USER_INPUT', field: 'status' },
    });
    expect((await kit.ok('analyst', ONE, { id: i.id })).incident).toMatchObject({ status: 'NEW', version: 1 });
  });
});

describe('who may act on which incident', () => {
  it('lets a customer acknowledge and comment on its own; another customer’s is NOT_FOUND for actions and null for reads', async () => {
    const mine = await customer();
    const theirs = await customer();
    const i = await open(mine.customerId);
    const ack = `mutation($id: ID!) { acknowledgeIncident(id: $id) { acknowledgedAt timeline { kind actor text } } }`;
    const comment = `mutation($id: ID!, $t: String!) { commentOnIncident(id: $id, text: $t) { timeline { kind actor text } } }`;
    const r = await as('customer_admin', 'cust-yamada', ack, { id: i.id }, { customerId: mine.customerId });
    expect(r.data.acknowledgeIncident.acknowledgedAt).toBe('2026-12-02T01:00:00.000Z');
    const c = await as('customer_viewer', 'cust-suzuki', comment, { id: i.id, t: 'pc-001 is unplugged' }, { customerId: mine.customerId });
    expect(c.data.commentOnIncident.timeline).toEqual(
      expect.arrayContaining([
        { kind: 'ACKNOWLEDGED', actor: 'cust-yamada', text: 'acknowledged by the customer' },
        { kind: 'COMMENT', actor: 'cust-suzuki', text: 'pc-001 is unplugged' },
      ]),
    );
    for (const [q, v] of [[ack, { id: i.id }], [comment, { id: i.id, t: 'x' }]] as const) {
      const other = await kit.gql('customer_admin', q, v, { customerId: theirs.customerId });
      expect(other.errors?.[0]).toMatchObject({ message: `incident ${i.id} not found`, extensions: { code: 'NOT_FOUND', reason: 'INCIDENT_NOT_FOUND' } });
    }
    expect((await kit.ok('customer_admin', ONE, { id: i.id }, { customerId: theirs.customerId })).incident).toBeNull();
    expect((await kit.ok('analyst', ONE, { id: i.id })).incident.version).toBe(3);
  });

  it('keeps internal entries from customers and partners: analysts’ comments are internal unless marked for the customer', async () => {
    const partnerId = randomUUID();
    const c = await customer('MDR', 'ALWAYS', partnerId);
    const i = await open(c.customerId);
    const COMMENT = `mutation($id: ID!, $t: String!, $v: TimelineVisibility) { commentOnIncident(id: $id, text: $t, visibility: $v) { id } }`;
    await kit.ok('analyst', COMMENT, { id: i.id, t: 'looks like the red team again' });
    await kit.ok('analyst', COMMENT, { id: i.id, t: 'We are checking pc-001 now', v: 'CUSTOMER' });
    await kit.ok('analyst', `mutation($id: ID!) { assignIncident(id: $id, tier: 2, assignee: "ana-ito") { id } }`, { id: i.id });
    await as('customer_admin', 'cust-yamada', COMMENT, { id: i.id, t: 'pc-001 belongs to accounting' }, { customerId: c.customerId });
    const T = `query($id: ID!) { incident(id: $id) { timeline { kind actor text visibility } } }`;
    const staff = (await kit.ok('analyst', T, { id: i.id })).incident.timeline;
    expect(staff.filter((t: { kind: string }) => t.kind === 'COMMENT')).toEqual([
      { kind: 'COMMENT', actor: expect.any(String), text: 'looks like the red team again', visibility: 'INTERNAL' },
      { kind: 'COMMENT', actor: expect.any(String), text: 'We are checking pc-001 now', visibility: 'CUSTOMER' },
      { kind: 'COMMENT', actor: 'cust-yamada', text: 'pc-001 belongs to accounting', visibility: 'CUSTOMER' },
    ]);
    expect(staff).toContainEqual(expect.objectContaining({ kind: 'ASSIGNMENT', visibility: 'INTERNAL' }));
    for (const [role, ids] of [['customer_viewer', { customerId: c.customerId }], ['partner_admin', { partnerId }]] as const) {
      const seen = (await kit.ok(role, T, { id: i.id }, ids)).incident.timeline;
      expect(seen.map((t: { text: string }) => t.text)).toEqual(['opened by hand: Emotet on pc-001', 'We are checking pc-001 now', 'pc-001 belongs to accounting']);
      expect(seen.every((t: { visibility: string }) => t.visibility === 'CUSTOMER')).toBe(true);
    }
    // the snapshot event (webhooks, the analysis report) carries only what the customer may read
    const last = (await updates(c.customerId, i.id)).pop()!;
    expect(last.body.timeline.map((t: { text: string }) => t.text)).not.toContain('looks like the red team again');
    expect(last.body.timeline.map((t: { text: string }) => t.text)).toContain('We are checking pc-001 now');
    const r = await as('customer_admin', 'cust-yamada', COMMENT, { id: i.id, t: 'secret', v: 'INTERNAL' }, { customerId: c.customerId });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'visibility' });
  });

  it('lets a partner read its customers’ incidents but not act on them', async () => {
    const partnerId = randomUUID();
    const c = await customer('MDR', 'ALWAYS', partnerId);
    const i = await open(c.customerId);
    expect((await kit.ok('partner_admin', ONE, { id: i.id }, { partnerId })).incident.id).toBe(i.id);
    const r = await kit.gql('partner_admin', `mutation($id: ID!) { commentOnIncident(id: $id, text: "hi") { id } }`, { id: i.id }, { partnerId });
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('treats an engineer acting on a malformed or unknown id as NOT_FOUND', async () => {
    for (const id of [randomUUID()]) {
      const r = await kit.gql('engineer', MOVE, { id, s: 'TRIAGED' });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    }
  });
});

describe('merging, dispositions and findings', () => {
  it('merges one incident into another of the same customer: the source CLOSED pointing at the target, timelines joined, severity raised', async () => {
    const { customerId } = await customer();
    const target = await open(customerId, 'MEDIUM', 'Phishing on pc-2');
    const source = await open(customerId, 'HIGH', 'Emotet on pc-2');
    const M = `mutation($s: ID!, $t: ID!) { mergeIncidents(sourceId: $s, targetId: $t, reason: "same host") { ${FIELDS} } }`;
    const { mergeIncidents: merged } = await kit.ok('analyst', M, { s: source.id, t: target.id });
    expect(merged).toMatchObject({ id: target.id, severity: 'HIGH' });
    expect(merged.timeline.map((t: { text: string }) => t.text)).toEqual(expect.arrayContaining(['opened by hand: Emotet on pc-2', `incident ${source.id} (Emotet on pc-2) merged into this one: same host`]));
    const { incident: s } = await kit.ok('analyst', ONE, { id: source.id });
    expect(s).toMatchObject({ status: 'CLOSED', mergedInto: target.id });
    expect(s.timeline.map((t: { text: string }) => t.text)).toEqual([`merged into incident ${target.id}: same host`, 'NEW -> CLOSED']);
    const other = await customer();
    const foreign = await open(other.customerId);
    const r = await kit.gql('analyst', M, { s: foreign.id, t: target.id });
    expect(r.errors?.[0]).toMatchObject({ message: 'only incidents of the same customer can be merged', extensions: { code: 'BAD_USER_INPUT', field: 'targetId' } });
  });

  it('closes an incident as a duplicate or a false positive with the reason', async () => {
    const { customerId } = await customer();
    const a = await open(customerId);
    const b = await open(customerId);
    const c = await open(customerId);
    const dup = await kit.ok('engineer', `mutation($id: ID!, $d: ID!) { markIncidentDuplicate(id: $id, duplicateOf: $d, reason: "same alert twice") { status disposition duplicateOf dispositionReason } }`, { id: b.id, d: a.id });
    expect(dup.markIncidentDuplicate).toEqual({ status: 'CLOSED', disposition: 'DUPLICATE', duplicateOf: a.id, dispositionReason: 'same alert twice' });
    const fp = await kit.ok('engineer', `mutation($id: ID!) { markIncidentFalsePositive(id: $id, reason: "admin's own scan") { status disposition dispositionReason sla { nextDueAt } } }`, { id: c.id });
    expect(fp.markIncidentFalsePositive).toEqual({ status: 'CLOSED', disposition: 'FALSE_POSITIVE', dispositionReason: "admin's own scan", sla: { nextDueAt: null } });
  });

  it('keeps the analysts’ findings and says which were written', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    const W = `mutation($id: ID!) { writeIncidentFindings(id: $id, whatIsHappening: "Emotet dropper", whatToDo: "rebuild pc-001") { findings { whatIsHappening howDangerous whatToDo } timeline { text } } }`;
    const { writeIncidentFindings: w } = await kit.ok('analyst', W, { id: i.id });
    expect(w.findings).toEqual({ whatIsHappening: 'Emotet dropper', howDangerous: null, whatToDo: 'rebuild pc-001' });
    expect(w.timeline.map((t: { text: string }) => t.text)).toContain('findings written: what is happening, what to do');
    const snapshot = (await updates(customerId, i.id)).pop()!.body;
    expect(snapshot.findings).toEqual({ whatIsHappening: 'Emotet dropper', howDangerous: null, whatToDo: 'rebuild pc-001' });
  });
});

describe('SLA pause and breach', () => {
  it('pauses the clocks with a reason and moves the due time by the pause', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    clock.set('2026-12-02T01:10:00Z');
    const P = `mutation($id: ID!) { pauseIncidentSla(id: $id, reason: "waiting for the customer's logs") { sla { pausedAt pauseReason nextDueAt } } }`;
    expect((await kit.ok('analyst', P, { id: i.id })).pauseIncidentSla.sla).toEqual({ pausedAt: '2026-12-02T01:10:00.000Z', pauseReason: "waiting for the customer's logs", nextDueAt: null });
    const again = await kit.gql('analyst', P, { id: i.id });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PAUSE_STATE' });
    clock.set('2026-12-02T02:10:00Z');
    const R = `mutation($id: ID!) { resumeIncidentSla(id: $id) { sla { analysisDueAt pausedAt nextDueAt pauses { startedAt endedAt reason } } timeline { text } } }`;
    const { resumeIncidentSla: r } = await kit.ok('analyst', R, { id: i.id });
    expect(r.sla).toEqual({
      analysisDueAt: '2026-12-02T02:30:00.000Z',
      pausedAt: null,
      nextDueAt: '2026-12-02T02:30:00.000Z',
      pauses: [{ startedAt: '2026-12-02T01:10:00.000Z', endedAt: '2026-12-02T02:10:00.000Z', reason: "waiting for the customer's logs" }],
    });
    expect(r.timeline.map((t: { text: string }) => t.text)).toContain('SLA clocks resumed after 60 min');
  });

  it('reports a breached clock once: sla-breached in the outbox, breached in GraphQL, on the timeline', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    const scheduler = kit.app.get(SlaScheduler);
    clock.set('2026-12-02T01:29:59Z');
    await scheduler.tick();
    expect(await kit.outbox(IncidentSlaBreached.subject, customerId)).toEqual([]);
    clock.set('2026-12-02T01:31:00Z');
    await scheduler.tick();
    await scheduler.tick();
    expect((await kit.outbox(IncidentSlaBreached.subject, customerId)).map((e) => e.body)).toEqual([
      { incidentId: i.id, clock: 'ANALYSIS', dueAt: '2026-12-02T01:30:00.000Z', detectedAt: '2026-12-02T01:31:00.000Z' },
    ]);
    const { incident } = await kit.ok('analyst', ONE, { id: i.id });
    expect(incident.sla).toMatchObject({ breached: true, nextDueAt: null, clocks: [{ clock: 'ANALYSIS', breached: true, metAt: null }] });
    expect(incident.timeline.map((t: { text: string }) => t.text)).toContain('analysis SLA breached (due 2026-12-02T01:30:00.000Z)');
  });

  it('lists the analysts’ queue by SLA due time, soonest first', async () => {
    const { customerId } = await customer();
    clock.set('2026-12-02T01:00:00Z');
    const later = await open(customerId, 'HIGH', 'later');
    clock.set('2026-12-02T00:50:00Z');
    const sooner = await open(customerId, 'HIGH', 'sooner');
    const Q = `query($f: IncidentFilter) { incidents(filter: $f, orderBy: SLA_DUE, first: 10) { edges { node { id sla { nextDueAt } } } } }`;
    const { incidents } = await kit.ok('analyst', Q, { f: { customerId } });
    expect(incidents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sooner.id, later.id]);
  });
});

describe('the duty roster', () => {
  it('assigns new incidents to the tier-1 engineer on duty and escalates to the tier-2 analyst on duty', async () => {
    const { customerId } = await customer();
    const ADD = `mutation($i: AddDutyShiftInput!) { addDutyShift(input: $i) { id tier person } }`;
    const shift = (tier: number, person: string) => ({ i: { tier, person, name: person, startsAt: '2026-12-10T00:00:00Z', endsAt: '2026-12-10T09:00:00Z' } });
    expect((await kit.gql('analyst', ADD, shift(1, 'eng-kato'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await kit.ok('provider_admin', ADD, shift(1, 'eng-kato'));
    await kit.ok('provider_admin', ADD, shift(2, 'ana-ito'));
    clock.set('2026-12-10T03:00:00Z');
    const i = await open(customerId);
    expect(i.tier1Assignee).toBe('eng-kato');
    const E = `mutation($id: ID!) { escalateToTier2(id: $id, reason: "lateral movement suspected") { tier2Assignee timeline { kind text } } }`;
    const { escalateToTier2: e } = await kit.ok('engineer', E, { id: i.id });
    expect(e.tier2Assignee).toBe('ana-ito');
    expect(e.timeline).toContainEqual({ kind: 'ESCALATION', text: 'escalated to tier 2 (ana-ito): lateral movement suspected' });
    const bad = await kit.gql('provider_admin', ADD, { i: { tier: 1, person: 'x', name: 'x', startsAt: '2026-12-10T09:00:00Z', endsAt: '2026-12-10T08:00:00Z' } });
    expect(bad.errors?.[0]).toMatchObject({ message: 'endsAt must be after startsAt', extensions: { code: 'BAD_USER_INPUT', field: 'endsAt' } });
  });
});

describe('analysis reports', () => {
  it('publishes the approved detailed report request with the contacts’ e-mails in calling order', async () => {
    const { customerId } = await customer();
    const i = await open(customerId);
    const A = `mutation($id: ID!) { approveDetailedReport(incidentId: $id) { timeline { kind actor text } } }`;
    const r = await as('analyst', 'ana-ito', A, { id: i.id });
    expect(r.data.approveDetailedReport.timeline).toContainEqual({ kind: 'REPORT', actor: 'ana-ito', text: 'detailed analysis report approved for mailing to 2 contact(s)' });
    expect((await kit.outbox(AnalysisReportRequested.subject, customerId)).map((e) => e.body)).toEqual([
      { requestId: expect.any(String), incidentId: i.id, edition: 'DETAILED', approvedBy: 'ana-ito', language: 'ja', recipients: ['tanaka@example.jp', 'sato@example.jp'] },
    ]);
    expect((await kit.gql('engineer', A, { id: i.id })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await customer();
    const D = `mutation($id: ID!) { requestAnalysisReport(incidentId: $id, edition: FIRST) { id } }`;
    const foreign = await kit.gql('analyst', D, { id: randomUUID() });
    expect(foreign.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'incidentId' });
    expect(other.customerId).toBeTruthy();
  });
});
