// Ingestion with every process running: two tenants' sensors post batches over HTTPS intake
// (TLS ends in front of the service, so the suite speaks plain HTTP to its port), then each role
// looks through the gateway at what was stored. A direct customer (A) has a FortiGate, a
// partner's customer (B) a Palo Alto; each batch holds alerts, ordinary logs and one bad line.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { eventually, gqlOk, gqlRequest, GqlResult, tokenFor } from '@kanshi/testing';
import { signContract } from '../../scripts/seed';
import { Suite } from '../../scripts/suite';
import { bootSuite } from './suite.fixture';

jest.setTimeout(120000);

const OWN_FIXTURES = path.resolve(__dirname, '../../services/ingestion/src/parsers/__fixtures__');
const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');

const [FGT_IPS, FGT_VIRUS] = linesOf(path.join(OWN_FIXTURES, 'fortigate-utm.log'));
const FGT_MORE = linesOf(path.join(OWN_FIXTURES, 'fortigate-more.log'));
const [FGT_TRAFFIC, FGT_ADMIN_LOGIN, FGT_NO_LOGID] = [FGT_MORE[0], FGT_MORE[2], FGT_MORE[7]];
const [PA_THREAT] = linesOf(path.join(OWN_FIXTURES, 'paloalto-threat.log'));
const PA_MORE = linesOf(path.join(OWN_FIXTURES, 'paloalto-panos10.log'));
const [PA_TRAFFIC, PA_WILDFIRE, PA_SYSTEM] = [PA_MORE[0], PA_MORE[4], PA_MORE[6]];
// A THREAT line cut off after 12 columns, as a lossy relay would deliver it.
const PA_TRUNCATED = PA_THREAT.split(',').slice(0, 12).join(',');

const BATCH_A = [FGT_IPS, FGT_TRAFFIC, FGT_NO_LOGID, FGT_ADMIN_LOGIN, FGT_VIRUS];
const BATCH_B = [PA_THREAT, PA_TRAFFIC, PA_TRUNCATED, PA_SYSTEM, PA_WILDFIRE];
const REASON_A = 'FortiGate: missing key "logid"';
const REASON_B = 'Palo Alto: THREAT line has 12 columns, expected at least 33';

interface Sensor {
  id: string;
  token: string;
}
interface IntakeAnswer {
  status: number;
  wwwAuthenticate: string | null;
  body: unknown;
}

let suite: Suite;
let url: string;
let intakeUrl: string;
// Everything this file stores is received after this instant (the raw event search needs a range).
let since: string;
const ids = { partner: '', customerA: '', customerB: '' };
let sensorA: Sensor;
let sensorB: Sensor;
let answerA: IntakeAnswer;
let answerB: IntakeAnswer;

async function intake(sensorId: string, token: string | null, lines: string[]): Promise<IntakeAnswer> {
  const res = await fetch(`${intakeUrl}/ingest/v1/sensors/${sensorId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: lines.join('\n'),
  });
  return { status: res.status, wwwAuthenticate: res.headers.get('www-authenticate'), body: await res.json() };
}

// The raw event search wants a bounded range: from the start of this file's run to an hour ahead.
const range = () => ({ from: since, to: new Date(Date.now() + 3600_000).toISOString() });

beforeAll(async () => {
  suite = await bootSuite();
  url = suite.gatewayUrl;
  intakeUrl = suite.intake.https;
  since = new Date(Date.now() - 1000).toISOString();
  const admin = await tokenFor('provider_admin');
  ids.partner = (await gqlOk<{ createPartner: { id: string } }>(url, admin, 'mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id } }', { i: { name: 'E2E 取込パートナー' } })).createPartner.id;
  const createCustomer = async (name: string, partnerId: string | null) =>
    (await gqlOk<{ createCustomer: { id: string } }>(url, admin, 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }', { i: { name, partnerId } })).createCustomer.id;
  ids.customerA = await createCustomer('E2E 直販銀行株式会社', null);
  ids.customerB = await createCustomer('E2E パートナー製作所株式会社', ids.partner);
  await signContract(url, admin, ids.customerA);
  await signContract(url, admin, ids.customerB);
  // Ingestion learns of the contracts (and B's partner) from events: retry until it has.
  const register = (token: string, customerId: string, product: string, name: string) =>
    eventually(
      async () => {
        const { registerSensor } = await gqlOk<{ registerSensor: { sensor: { id: string }; ingestToken: string } }>(
          url,
          token,
          'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }',
          { i: { customerId, product, name } },
        );
        return { id: registerSensor.sensor.id, token: registerSensor.ingestToken };
      },
      { timeoutMs: 30000, intervalMs: 200 },
    );
  sensorA = await register(admin, ids.customerA, 'FORTIGATE', 'FortiGate 本店');
  // B's partner manages its customer's sensor itself.
  sensorB = await register(await tokenFor('partner_admin', { partnerId: ids.partner }), ids.customerB, 'PALO_ALTO', 'PA-3220 大阪');
  answerA = await intake(sensorA.id, sensorA.token, BATCH_A);
  answerB = await intake(sensorB.id, sensorB.token, BATCH_B);
}, 180000);

afterAll(async () => {
  await suite?.stop();
});

// One tenant's objects as a caller sees them, looked up by that tenant's ids.
const VIEW = `query($c: ID!, $s: ID!) {
  customer(id: $c) { name sensors { name } }
  sensors(customerId: $c) { name product }
  byCustomer: alerts(filter: { customerId: $c }) { edges { node { ruleName } } }
  bySensor: alerts(filter: { sensorId: $s }) { edges { node { ruleName } } }
}`;
type View = { customer: { name: string; sensors: { name: string }[] } | null; sensors: { name: string; product: string }[]; byCustomer: { edges: { node: { ruleName: string } }[] }; bySensor: { edges: { node: { ruleName: string } }[] } };
const view = async (token: string, customerId: string, sensorId: string) => gqlOk<View>(url, token, VIEW, { c: customerId, s: sensorId });
const ruleNames = (c: { edges: { node: { ruleName: string } }[] }) => c.edges.map((e) => e.node.ruleName).sort();
// What any caller gets for ids nobody has.
const NOTHING: View = { customer: null, sensors: [], byCustomer: { edges: [] }, bySensor: { edges: [] } };
const missing = (token: string) => view(token, randomUUID(), randomUUID());

const A_RULES = ['Atlassian.Confluence.OGNL.Injection', 'JS/Nemucod.AB!tr'];
const B_RULES = ['Microsoft Windows SMBv1 Remote Code Execution Vulnerability', 'WildFire malicious: Windows Executable (EXE)'];
const seesA = (v: View) =>
  expect({ ...v, byCustomer: ruleNames(v.byCustomer), bySensor: ruleNames(v.bySensor) }).toEqual({
    customer: { name: 'E2E 直販銀行株式会社', sensors: [{ name: 'FortiGate 本店' }] },
    sensors: [{ name: 'FortiGate 本店', product: 'FORTIGATE' }],
    byCustomer: A_RULES,
    bySensor: A_RULES,
  });
const seesB = (v: View) =>
  expect({ ...v, byCustomer: ruleNames(v.byCustomer), bySensor: ruleNames(v.bySensor) }).toEqual({
    customer: { name: 'E2E パートナー製作所株式会社', sensors: [{ name: 'PA-3220 大阪' }] },
    sensors: [{ name: 'PA-3220 大阪', product: 'PALO_ALTO' }],
    byCustomer: B_RULES,
    bySensor: B_RULES,
  });

const ALERTS = `query($f: AlertFilter) { alerts(filter: $f) { edges { node {
  customerId product ruleName severity vendorSeverity blocked groupKey sourceIp fileName repeatCount raw sensor { id name }
} } } }`;
type AlertNode = { customerId: string; ruleName: string; [field: string]: unknown };
const alertsOf = async (token: string, filter: Record<string, unknown> = {}) =>
  (await gqlOk<{ alerts: { edges: { node: AlertNode }[] } }>(url, token, ALERTS, { f: filter })).alerts.edges.map((e) => e.node).sort((x, y) => x.ruleName.localeCompare(y.ruleName));

const RAW_EVENTS = `query($f: RawEventFilter!) { rawEvents(filter: $f, first: 100) { edges { node { customerId sensorId product transport kind severityScore raw } } } }`;
type RawNode = { customerId: string; sensorId: string; kind: string; raw: string };
const rawEventsOf = async (token: string, filter: Record<string, unknown>) =>
  (await gqlOk<{ rawEvents: { edges: { node: RawNode }[] } }>(url, token, RAW_EVENTS, { f: { ...range(), ...filter } })).rawEvents.edges.map((e) => e.node);

const QUARANTINE = `query($f: QuarantineFilter) { quarantinedEvents(filter: $f) { edges { node {
  id sensorId customerId product transport reason status rawText replayAttempts lastReplayedAt
} } } }`;
type QuarantineNode = { id: string; customerId: string; reason: string; replayAttempts: number; lastReplayedAt: string | null };
const quarantineOf = async (token: string, filter: Record<string, unknown>) =>
  (await gqlOk<{ quarantinedEvents: { edges: { node: QuarantineNode }[] } }>(url, token, QUARANTINE, { f: filter })).quarantinedEvents.edges.map((e) => e.node);

const REPLAY = 'mutation($id: ID!) { replayQuarantined(id: $id) { accepted events reason entry { id status reason replayAttempts } } }';
const codeOf = (r: GqlResult<unknown>) => r.errors?.[0]?.extensions?.code;

describe('HTTPS intake', () => {
  it("answers A's FortiGate batch line by line: alerts and logs stored, the line without logid quarantined with the reason", () => {
    expect(answerA).toEqual({
      status: 200,
      wwwAuthenticate: null,
      body: {
        accepted: 4,
        quarantined: 1,
        results: [
          { index: 0, status: 'accepted', events: 1, alerts: 1 },
          { index: 1, status: 'accepted', events: 1, alerts: 0 },
          { index: 2, status: 'quarantined', reason: REASON_A },
          { index: 3, status: 'accepted', events: 1, alerts: 0 },
          { index: 4, status: 'accepted', events: 1, alerts: 1 },
        ],
      },
    });
  });

  it("answers B's Palo Alto batch line by line: the truncated THREAT line quarantined with its column count", () => {
    expect(answerB).toEqual({
      status: 200,
      wwwAuthenticate: null,
      body: {
        accepted: 4,
        quarantined: 1,
        results: [
          { index: 0, status: 'accepted', events: 1, alerts: 1 },
          { index: 1, status: 'accepted', events: 1, alerts: 0 },
          { index: 2, status: 'quarantined', reason: REASON_B },
          { index: 3, status: 'accepted', events: 1, alerts: 0 },
          { index: 4, status: 'accepted', events: 1, alerts: 1 },
        ],
      },
    });
  });

  it('shows each sensor UP once its first batch is noted', async () => {
    const token = await tokenFor('analyst');
    // Liveness is written about once a second after the batch.
    const sensors = await eventually(
      async () => {
        const { sensors } = await gqlOk<{ sensors: { id: string; status: string; lastSeenAt: string | null }[] }>(url, token, '{ sensors { id status lastSeenAt } }');
        expect(sensors.map((s) => s.status)).toEqual(['UP', 'UP']);
        return sensors;
      },
      { timeoutMs: 10000, intervalMs: 200 },
    );
    expect(sensors.map((s) => s.id).sort()).toEqual([sensorA.id, sensorB.id].sort());
    for (const s of sensors) expect(Date.parse(s.lastSeenAt!)).toBeGreaterThanOrEqual(Date.parse(since));
  });
});

describe('what customer A sees through the gateway', () => {
  it('its alerts with the rule, severity and whether the FortiGate blocked them', async () => {
    const token = await tokenFor('customer_viewer', { customerId: ids.customerA });
    const sensor = { id: sensorA.id, name: 'FortiGate 本店' };
    expect(await alertsOf(token)).toEqual([
      {
        customerId: ids.customerA,
        product: 'FORTIGATE',
        ruleName: 'Atlassian.Confluence.OGNL.Injection',
        severity: 'CRITICAL',
        vendorSeverity: 'critical',
        blocked: true,
        groupKey: '318840177',
        sourceIp: '10.60.12.25',
        fileName: null,
        repeatCount: 1,
        raw: FGT_IPS,
        sensor,
      },
      {
        customerId: ids.customerA,
        product: 'FORTIGATE',
        ruleName: 'JS/Nemucod.AB!tr',
        severity: 'MEDIUM',
        vendorSeverity: 'warning',
        blocked: true,
        groupKey: null,
        sourceIp: '192.0.2.201',
        fileName: 'shipping_notice.zip',
        repeatCount: 1,
        raw: FGT_VIRUS,
        sensor,
      },
    ]);
    seesA(await view(token, ids.customerA, sensorA.id));
  });

  it("nothing of B's: B's customer, sensor and alerts look exactly like ids nobody has", async () => {
    const token = await tokenFor('customer_admin', { customerId: ids.customerA });
    const ofB = await view(token, ids.customerB, sensorB.id);
    expect(ofB).toEqual(NOTHING);
    expect(ofB).toEqual(await missing(token));
    expect((await alertsOf(token)).map((a) => a.customerId)).toEqual([ids.customerA, ids.customerA]);
    // Nor can it act on B's sensor: the same NOT_FOUND as for a sensor that does not exist.
    const rotate = (sensorId: string) => gqlRequest(url, token, 'mutation($s: ID!) { rotateIngestToken(sensorId: $s) { ingestToken } }', { s: sensorId });
    const onB = await rotate(sensorB.id);
    expect([codeOf(onB), onB.data ?? null]).toEqual(['NOT_FOUND', null]);
    expect(codeOf(await rotate(randomUUID()))).toBe('NOT_FOUND');
  });

  it('no raw events or quarantine, its own or B’s: those are provider staff’s (FORBIDDEN, whatever the customer id)', async () => {
    const token = await tokenFor('customer_admin', { customerId: ids.customerA });
    for (const customerId of [ids.customerA, ids.customerB]) {
      const raw = await gqlRequest(url, token, RAW_EVENTS, { f: { ...range(), customerId, text: 'Confluence' } });
      expect([codeOf(raw), raw.data ?? null]).toEqual(['FORBIDDEN', null]);
      const quarantine = await gqlRequest(url, token, QUARANTINE, { f: { customerId } });
      expect([codeOf(quarantine), quarantine.data ?? null]).toEqual(['FORBIDDEN', null]);
    }
  });
});

describe('what customer B and its partner see through the gateway', () => {
  it("B sees its Palo Alto alerts, with WildFire's verdict not blocked, and nothing of A's", async () => {
    const token = await tokenFor('customer_viewer', { customerId: ids.customerB });
    expect(await alertsOf(token)).toEqual([
      expect.objectContaining({ customerId: ids.customerB, product: 'PALO_ALTO', ruleName: B_RULES[0], severity: 'CRITICAL', vendorSeverity: 'critical', blocked: true, sourceIp: '10.60.14.33', raw: PA_THREAT }),
      expect.objectContaining({ customerId: ids.customerB, product: 'PALO_ALTO', ruleName: B_RULES[1], severity: 'HIGH', vendorSeverity: 'high', blocked: false, fileName: '請求書_2026.exe', raw: PA_WILDFIRE }),
    ]);
    seesB(await view(token, ids.customerB, sensorB.id));
    const ofA = await view(token, ids.customerA, sensorA.id);
    expect(ofA).toEqual(NOTHING);
    expect(ofA).toEqual(await missing(token));
  });

  it("B's partner sees B's alerts and sensor, and nothing of the direct customer A", async () => {
    const token = await tokenFor('partner_admin', { partnerId: ids.partner });
    expect((await alertsOf(token)).map((a) => [a.customerId, a.ruleName])).toEqual(B_RULES.map((r) => [ids.customerB, r]));
    seesB(await view(token, ids.customerB, sensorB.id));
    const ofA = await view(token, ids.customerA, sensorA.id);
    expect(ofA).toEqual(NOTHING);
    expect(ofA).toEqual(await missing(token));
    const raw = await gqlRequest(url, token, RAW_EVENTS, { f: { ...range(), customerId: ids.customerB } });
    expect(codeOf(raw)).toBe('FORBIDDEN');
  });
});

describe('what provider staff see through the gateway', () => {
  it("both customers' alerts and sensors", async () => {
    const token = await tokenFor('analyst');
    expect((await alertsOf(token)).map((a) => [a.customerId, a.ruleName])).toEqual(
      [...A_RULES.map((r) => [ids.customerA, r]), ...B_RULES.map((r) => [ids.customerB, r])].sort((x, y) => x[1].localeCompare(y[1])),
    );
    seesA(await view(token, ids.customerA, sensorA.id));
    seesB(await view(token, ids.customerB, sensorB.id));
  });

  it('raw events by text search, each within its own customer', async () => {
    const token = await tokenFor('analyst');
    expect(await rawEventsOf(token, { text: 'confluence.ognl' })).toEqual([
      { customerId: ids.customerA, sensorId: sensorA.id, product: 'FORTIGATE', transport: 'https', kind: 'alert', severityScore: 99, raw: FGT_IPS },
    ]);
    expect(await rawEventsOf(token, { text: 'confluence.ognl', customerId: ids.customerB })).toEqual([]);
    // Every accepted line is kept as received; the quarantined ones are not raw events.
    expect((await rawEventsOf(token, { customerId: ids.customerA })).map((e) => e.raw).sort()).toEqual([FGT_IPS, FGT_TRAFFIC, FGT_ADMIN_LOGIN, FGT_VIRUS].sort());
    expect((await rawEventsOf(token, { customerId: ids.customerB })).map((e) => e.raw).sort()).toEqual([PA_THREAT, PA_TRAFFIC, PA_SYSTEM, PA_WILDFIRE].sort());
    expect((await rawEventsOf(token, { text: 'User admin logged in via Web' })).map((e) => [e.customerId, e.kind])).toEqual([[ids.customerB, 'event']]);
  });

  it("each customer's quarantined line with the parser's reason", async () => {
    const token = await tokenFor('analyst');
    const entry = (customerId: string, sensorId: string, product: string, reason: string, rawText: string) => ({
      id: expect.any(String),
      sensorId,
      customerId,
      product,
      transport: 'https',
      reason,
      status: 'QUARANTINED',
      rawText,
      replayAttempts: 0,
      lastReplayedAt: null,
    });
    expect(await quarantineOf(token, { customerId: ids.customerA })).toEqual([entry(ids.customerA, sensorA.id, 'FORTIGATE', REASON_A, FGT_NO_LOGID)]);
    expect(await quarantineOf(token, { customerId: ids.customerB })).toEqual([entry(ids.customerB, sensorB.id, 'PALO_ALTO', REASON_B, PA_TRUNCATED)]);
  });
});

describe("a sensor token used on another tenant's sensor", () => {
  it("is refused with 401 like a wrong token, and nothing reaches B's data", async () => {
    const analyst = await tokenFor('analyst');
    const ofB = async () => ({
      raw: (await rawEventsOf(analyst, { customerId: ids.customerB })).length,
      alerts: (await alertsOf(analyst, { customerId: ids.customerB })).length,
      quarantine: (await quarantineOf(analyst, { customerId: ids.customerB })).length,
    });
    const before = await ofB();
    expect(before).toEqual({ raw: 4, alerts: 2, quarantine: 1 });
    // A new THREAT (its own sequence number) and a bad line: either would be stored if accepted.
    const smuggled = [PA_THREAT.replace('7320051230000000042', '7320051230000004711'), 'smuggled line'];

    const refused = await intake(sensorB.id, sensorA.token, smuggled);

    expect(refused).toEqual({ status: 401, wwwAuthenticate: 'Bearer realm="kanshi-ingest"', body: { error: 'unknown sensor or invalid ingest token' } });
    // The same answer as for a sensor that does not exist or no token at all: nothing to probe.
    expect(await intake(randomUUID(), sensorA.token, smuggled)).toEqual(refused);
    expect(await intake(sensorB.id, null, smuggled)).toEqual(refused);
    const heartbeat = await fetch(`${intakeUrl}/ingest/v1/sensors/${sensorB.id}/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${sensorA.token}` } });
    expect(heartbeat.status).toBe(401);
    expect(await ofB()).toEqual(before);
    expect(await rawEventsOf(analyst, { text: '7210044120000004711' })).toEqual([]);
    expect(await quarantineOf(analyst, { sensorId: sensorB.id })).toEqual([expect.objectContaining({ reason: REASON_B })]);
  });
});

describe('replaying a quarantined line through the gateway', () => {
  it("is refused to B's customer and partner, and to A itself, as FORBIDDEN whether or not the entry exists", async () => {
    const [entryA] = await quarantineOf(await tokenFor('analyst'), { customerId: ids.customerA });
    for (const token of [
      await tokenFor('customer_admin', { customerId: ids.customerB }),
      await tokenFor('partner_admin', { partnerId: ids.partner }),
      await tokenFor('customer_admin', { customerId: ids.customerA }),
    ]) {
      const onA = await gqlRequest(url, token, REPLAY, { id: entryA.id });
      const onMissing = await gqlRequest(url, token, REPLAY, { id: randomUUID() });
      expect([codeOf(onA), onA.data ?? null]).toEqual(['FORBIDDEN', null]);
      expect(codeOf(onMissing)).toBe('FORBIDDEN');
    }
    const [after] = await quarantineOf(await tokenFor('analyst'), { customerId: ids.customerA });
    expect(after).toMatchObject({ id: entryA.id, status: 'QUARANTINED', replayAttempts: 0, lastReplayedAt: null });
  });

  it("is done by provider staff: A's line without logid is still refused today, with the reason, and the attempt counted", async () => {
    const analyst = await tokenFor('analyst');
    const [entryA] = await quarantineOf(analyst, { customerId: ids.customerA });

    const { replayQuarantined } = await gqlOk<{ replayQuarantined: unknown }>(url, analyst, REPLAY, { id: entryA.id });

    expect(replayQuarantined).toEqual({ accepted: false, events: 0, reason: REASON_A, entry: { id: entryA.id, status: 'QUARANTINED', reason: REASON_A, replayAttempts: 1 } });
    const [after] = await quarantineOf(analyst, { customerId: ids.customerA });
    expect(after).toMatchObject({ id: entryA.id, replayAttempts: 1, lastReplayedAt: expect.any(String) });
    // Nothing new was stored for A, and B's entry was not touched.
    expect(await rawEventsOf(analyst, { customerId: ids.customerA })).toHaveLength(4);
    expect(await quarantineOf(analyst, { customerId: ids.customerB })).toEqual([expect.objectContaining({ replayAttempts: 0 })]);
    const unknown = await gqlRequest(url, analyst, REPLAY, { id: randomUUID() });
    expect(codeOf(unknown)).toBe('NOT_FOUND');
  });
});

// Analysis runs in the suite too: each alert above gets a verdict, which its tenant reads on the
// alert through the gateway, and which another tenant cannot reach.
describe("analysis' verdicts on the same alerts", () => {
  const VERDICTS = `query($f: AlertFilter) { alerts(filter: $f) { edges { node { id ruleName verdict {
    severity blocked reasons { kind text textJa } recommendedActions { text textJa } group { id alertCount } } } } } }`;
  type VerdictNode = { id: string; ruleName: string; verdict: { severity: string; blocked: boolean | null; reasons: { kind: string; text: string; textJa: string }[]; recommendedActions: unknown[]; group: { alertCount: number } | null } | null };
  const verdictsOf = async (token: string, customerId: string) =>
    (await gqlOk<{ alerts: { edges: { node: VerdictNode }[] } }>(url, token, VERDICTS, { f: { customerId } })).alerts.edges.map((e) => e.node);

  it("gives A's alerts verdicts with reasons in English and Japanese, in an alert group, seen by A", async () => {
    const token = await tokenFor('customer_admin', { customerId: ids.customerA });
    const nodes = await eventually(
      async () => {
        const n = await verdictsOf(token, ids.customerA);
        expect(n.map((x) => x.ruleName).sort()).toEqual(A_RULES);
        expect(n.every((x) => x.verdict !== null)).toBe(true);
        return n;
      },
      { timeoutMs: 30000, intervalMs: 300 },
    );
    for (const n of nodes) {
      expect(['HIGH', 'MEDIUM', 'LOW']).toContain(n.verdict!.severity);
      expect(n.verdict!.reasons.length).toBeGreaterThan(0);
      for (const r of n.verdict!.reasons) expect(r.textJa).toMatch(/[ぁ-んァ-ン一-龯]/);
      expect(n.verdict!.group?.alertCount).toBeGreaterThanOrEqual(1);
    }
    // the FortiGate dropped the IPS attack: the verdict says it was blocked
    expect(nodes.find((n) => n.ruleName === 'Atlassian.Confluence.OGNL.Injection')!.verdict!.blocked).toBe(true);
  });

  it("shows B's partner B's verdicts, and A nothing of B's: B's alerts read as absent, not as verdict-less", async () => {
    const partner = await tokenFor('partner_admin', { partnerId: ids.partner });
    await eventually(
      async () => {
        const n = await verdictsOf(partner, ids.customerB);
        expect(n.map((x) => x.ruleName).sort()).toEqual(B_RULES);
        expect(n.every((x) => x.verdict !== null)).toBe(true);
      },
      { timeoutMs: 30000, intervalMs: 300 },
    );
    expect(await verdictsOf(await tokenFor('customer_admin', { customerId: ids.customerA }), ids.customerB)).toEqual([]);
  });
});
