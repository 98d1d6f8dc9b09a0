import { signDevToken } from '@kanshi/auth';
import { toTokyoDate } from '@kanshi/calendar';
import { OptionCode, PlanCode, ServiceHours } from '@kanshi/events';
import { addDemoDetection, DEMO_EDR_HOSTS, DEMO_EDR_VICTIM, DemoEdrConsole } from './demo-edr';

// Demo data through the public API, so every service learns it the way it would in production.
// Idempotent: running it again finds what is there.

export interface DemoData {
  partnerId: string;
  partnerCustomerId: string;
  directCustomerId: string;
  // The MDR customer whose endpoint the demo isolates, and where its EDR lives.
  mdr: DemoMdr;
}

export interface DemoMdr {
  customerId: string;
  sensorId: string;
  edrUrl: string;
  hostName: string;
  agentId: string;
  // Whether this start added the demo detection (false when an earlier start already isolated).
  detectionAdded: boolean;
}

export async function gql<T = Record<string, unknown>>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const e = new Error(body.errors.map((x) => `${x.extensions?.code ?? ''} ${x.message}`.trim()).join('; '));
    (e as Error & { codes?: string[] }).codes = body.errors.map((x) => x.extensions?.code ?? '');
    throw e;
  }
  return body.data as T;
}

// Other services learn customers from events: retry while they catch up.
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

interface DemoCustomer {
  name: string;
  nameKana: string;
  partnerId: string | null;
  plan: PlanCode;
  serviceHours: ServiceHours;
  options: OptionCode[];
  endpointCount?: number;
  sensor: { product: string; name: string; sourceIp: string; firstEvent: string };
  contact: { name: string; phone: string; email: string };
}

const FORTIGATE_LINE =
  '<185>date=2026-11-20 time=11:02:33 devname="FGT-HONTEN" devid="FGT60F0000000001" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" severity="high" srcip=10.20.30.41 srcport=51544 dstip=198.51.100.23 dstport=443 action="dropped" attack="Demo.Backdoor.Beacon" attackid=12345 incidentserialno=1001 msg="demo: backdoor beacon blocked"';
const FIREEYE_JSON = JSON.stringify({
  msg: 'extended',
  product: 'Network Security',
  version: '9.0.2',
  appliance: 'nx-honsha',
  'appliance-id': '0025900000001',
  alert: { id: 90001, name: 'MALWARE-CALLBACK', occurred: '2026-11-20T02:00:00Z', severity: 'majr', action: 'notified', src: { ip: '10.1.2.12', host: 'TOTO-PC-0012' }, dst: { ip: '203.0.113.50', port: 443 }, explanation: { 'malware-detected': { malware: { name: 'Demo.Trojan' } } } },
});

// The MDR customer's Falcon sensor's first event: an audit event of the console (no alert).
const FALCON_AUDIT_EVENT = JSON.stringify({
  metadata: { customerIDString: 'hokuto-logistics', offset: 1, eventType: 'AuthActivityAuditEvent', eventCreationTime: 1795140000000, version: '1.0' },
  event: { UserId: 'it-admin@hokuto-logistics.example', UserIp: '203.0.113.40', OperationName: 'userAuthenticate', ServiceName: 'CrowdStrike Authentication', Success: true, UTCTimestamp: 1795140000 },
});

function todayInTokyo(): string {
  return toTokyoDate(new Date(), 'now');
}

// A signed contract (onboarding): what ingestion needs before it registers a customer's sensors.
export async function signContract(gatewayUrl: string, token: string, customerId: string, plan: PlanCode = 'FE_ALERT_ANALYSIS', serviceHours: ServiceHours = 'ALWAYS'): Promise<string> {
  const { createQuote } = await gql<{ createQuote: { id: string } }>(gatewayUrl, token, `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, {
    i: { customerId, plan, serviceHours, startDate: todayInTokyo() },
  });
  await gql(gatewayUrl, token, `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: createQuote.id });
  const { acceptQuote } = await gql<{ acceptQuote: { id: string } }>(gatewayUrl, token, `mutation($id: ID!) { acceptQuote(id: $id, termsVersion: "1.1") { id } }`, { id: createQuote.id });
  return acceptQuote.id;
}

// A customer the way onboarding goes: quote, acceptance under terms 1.1, a sensor that sends its
// first event, contacts confirmed, activation by provider staff.
async function onboard(gatewayUrl: string, ingestUrl: string, admin: string, customerId: string, c: DemoCustomer): Promise<void> {
  const { createQuote } = await gql<{ createQuote: { id: string } }>(gatewayUrl, admin, `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { id } }`, {
    i: { customerId, plan: c.plan, serviceHours: c.serviceHours, options: c.options, endpointCount: c.endpointCount, startDate: todayInTokyo(), termMonths: 12 },
  });
  await gql(gatewayUrl, admin, `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: createQuote.id });
  const { acceptQuote } = await gql<{ acceptQuote: { id: string } }>(gatewayUrl, admin, `mutation($id: ID!, $s: ContractSetupInput) { acceptQuote(id: $id, termsVersion: "1.1", setup: $s) { id } }`, {
    id: createQuote.id,
    s: { monitoredProducts: [c.sensor.product], escalationContacts: [{ ...c.contact, language: 'JA' }], isolationPreApproved: c.plan === 'MDR', isolationOnAutomaticVerdicts: c.plan === 'MDR' },
  });
  const { registerSensor } = await eventually(() =>
    gql<{ registerSensor: { sensor: { id: string }; ingestToken: string } }>(gatewayUrl, admin, `mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }`, {
      i: { customerId, product: c.sensor.product, name: c.sensor.name, allowedSourceIps: [c.sensor.sourceIp] },
    }),
  );
  const res = await fetch(`${ingestUrl}/ingest/v1/sensors/${registerSensor.sensor.id}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${registerSensor.ingestToken}`, 'content-type': c.sensor.firstEvent.startsWith('{') ? 'application/json' : 'text/plain' },
    body: c.sensor.firstEvent,
  });
  if (!res.ok) throw new Error(`demo sensor ${c.sensor.name}: intake answered ${res.status} ${await res.text()}`);
  await gql(gatewayUrl, admin, `mutation($id: ID!) { confirmEscalationContacts(id: $id) { id } }`, { id: acceptQuote.id });
  await eventually(() => gql(gatewayUrl, admin, `mutation($id: ID!) { activateContract(id: $id) { id status } }`, { id: acceptQuote.id }), 30000);
}

export async function seedDemo(gatewayUrl: string, ingestUrl: string, secret: string, edr: DemoEdrConsole): Promise<DemoData> {
  const admin = await signDevToken({ sub: 'seed@kanshi.local', role: 'provider_admin' }, secret, 600);
  const engineer = await signDevToken({ sub: 'seed-engineer@kanshi.local', role: 'engineer' }, secret, 600);
  const { partners } = await gql<{ partners: { id: string; name: string }[] }>(gatewayUrl, admin, '{ partners { id name } }');
  let partner = partners.find((p) => p.name === 'さくらネットワークス株式会社');
  if (!partner) {
    partner = (
      await gql<{ createPartner: { id: string; name: string } }>(gatewayUrl, admin, `mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id name } }`, {
        i: { name: 'さくらネットワークス株式会社', nameKana: 'サクラネットワークス', discountBps: 1500, billingEmail: 'billing@sakura-net.example' },
      })
    ).createPartner;
  }
  const { customers } = await gql<{ customers: { id: string; name: string }[] }>(gatewayUrl, admin, '{ customers { id name } }');
  const ensureCustomer = async (c: DemoCustomer) => {
    const found = customers.find((x) => x.name === c.name);
    if (found) return found.id;
    const { createCustomer } = await gql<{ createCustomer: { id: string } }>(gatewayUrl, admin, `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }`, {
      i: { name: c.name, nameKana: c.nameKana, partnerId: c.partnerId, postalCode: '100-0005', address: '東京都千代田区丸の内1-1-1', billingContact: { name: '経理部', email: 'billing@example.co.jp' } },
    });
    await onboard(gatewayUrl, ingestUrl, admin, createCustomer.id, c);
    return createCustomer.id;
  };
  const partnerCustomerId = await ensureCustomer({
    name: '東都製作所株式会社',
    nameKana: 'トウトセイサクショ',
    partnerId: partner.id,
    plan: 'FE_SECURITY_MONITORING',
    serviceHours: 'ALWAYS',
    options: [],
    sensor: { product: 'FIREEYE_NX', name: 'FireEye NX 本社', sourceIp: '192.0.2.10', firstEvent: FIREEYE_JSON },
    contact: { name: '情報システム部 山田', phone: '+81-3-0000-0001', email: 'it@toto-mfg.example' },
  });
  const directCustomerId = await ensureCustomer({
    name: 'みなと銀行株式会社',
    nameKana: 'ミナトギンコウ',
    partnerId: null,
    plan: 'FE_ALERT_ANALYSIS',
    serviceHours: 'BUSINESS_HOURS',
    options: ['LIVENESS_MONITORING'],
    sensor: { product: 'FORTIGATE', name: 'FortiGate 本店', sourceIp: '192.0.2.20', firstEvent: FORTIGATE_LINE },
    contact: { name: 'システム統括部 佐藤', phone: '+81-3-0000-0002', email: 'soc@minato-bank.example' },
  });
  // An endpoint and a hand-opened incident, so every subgraph has something to show.
  const { endpoints } = await gql<{ endpoints: unknown[] }>(gatewayUrl, admin, '{ endpoints { id } }');
  if (endpoints.length === 0) {
    await eventually(() =>
      gql(gatewayUrl, engineer, `mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id } }`, {
        i: { customerId: partnerCustomerId, hostName: 'TOTO-PC-0012', ipAddresses: ['10.1.2.12'], os: 'Windows 11', edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      }),
    );
    await eventually(() =>
      gql(gatewayUrl, admin, `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }`, {
        i: { customerId: directCustomerId, severity: 'MEDIUM', title: 'FortiGate IPS: 不審な通信を遮断', description: 'Demo incident' },
      }),
    );
  }
  await seedMaintenanceWindow(gatewayUrl, admin, engineer, directCustomerId);
  const mdrCustomerId = await ensureCustomer({
    name: '北斗物流株式会社',
    nameKana: 'ホクトブツリュウ',
    partnerId: null,
    plan: 'MDR',
    serviceHours: 'ALWAYS',
    options: [],
    endpointCount: DEMO_EDR_HOSTS.length,
    sensor: { product: 'CROWDSTRIKE_FALCON', name: 'CrowdStrike Falcon (北斗物流)', sourceIp: '192.0.2.30', firstEvent: FALCON_AUDIT_EVENT },
    contact: { name: '情報システム課 高橋', phone: '+81-3-0000-0003', email: 'security@hokuto-logistics.example' },
  });
  const mdr = await seedMdrEdr(gatewayUrl, admin, engineer, mdrCustomerId, edr);
  return { partnerId: partner.id, partnerCustomerId, directCustomerId, mdr };
}

// A planned maintenance window (the bank's FortiGate upgraded on the next Saturday night, 22:00-02:00
// Tokyo time, at least a day ahead, so it suppresses nothing in the demo), so the maintenance views
// and the monthly report have one to show. Once: a second start finds it.
async function seedMaintenanceWindow(gatewayUrl: string, admin: string, engineer: string, customerId: string): Promise<void> {
  const { maintenanceWindows } = await gql<{ maintenanceWindows: unknown[] }>(gatewayUrl, admin, `query($c: ID) { maintenanceWindows(customerId: $c) { id } }`, { c: customerId });
  if (maintenanceWindows.length) return;
  const { sensors } = await gql<{ sensors: { id: string; product: string }[] }>(gatewayUrl, admin, `query($c: ID) { sensors(customerId: $c) { id product } }`, { c: customerId });
  const sensor = sensors.find((x) => x.product === 'FORTIGATE');
  if (!sensor) throw new Error('the demo bank has no FortiGate sensor');
  const now = new Date();
  // Saturday 13:00 UTC is Saturday 22:00 in Tokyo
  const startsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 13));
  while (startsAt.getUTCDay() !== 6 || startsAt.getTime() < now.getTime() + 86_400_000) startsAt.setUTCDate(startsAt.getUTCDate() + 1);
  const endsAt = new Date(startsAt.getTime() + 4 * 3_600_000);
  // (the incident service learns the sensor from ingestion's event: it may take a moment)
  await eventually(() =>
    gql(gatewayUrl, engineer, `mutation($i: CreateMaintenanceWindowInput!) { createMaintenanceWindow(input: $i) { id } }`, {
      i: { customerId, sensorId: sensor.id, reason: 'VERSION_UPGRADE', startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), note: 'FortiOS 7.4 へのバージョンアップ（リモート作業）' },
    }),
  );
}

// The MDR customer's EDR: its connector (re)configured against this start's local console through
// `configureEdrConnector` (the secret stored encrypted, as for any customer), the endpoints learned
// by the inventory sync, then the demo detection on the console, which the detection pull hands
// to ingestion as an alert of the customer's Falcon sensor. The rest is the product's own loop:
// verdict HIGH -> incident -> mail and call task -> isolation (pre-approved) -> ISOLATED.
async function seedMdrEdr(gatewayUrl: string, admin: string, engineer: string, customerId: string, edr: DemoEdrConsole): Promise<DemoMdr> {
  const { sensors } = await gql<{ sensors: { id: string; product: string }[] }>(gatewayUrl, admin, `query($c: ID) { sensors(customerId: $c) { id product } }`, { c: customerId });
  const sensor = sensors.find((s) => s.product === 'CROWDSTRIKE_FALCON');
  if (!sensor) throw new Error('the demo MDR customer has no CrowdStrike Falcon sensor');
  type Ep = { hostName: string; edrAgentId: string | null; isolated: boolean };
  const endpointsOf = async () => (await gql<{ endpoints: Ep[] }>(gatewayUrl, admin, `query($c: ID) { endpoints(customerId: $c) { hostName edrAgentId isolated } }`, { c: customerId })).endpoints;
  // A second start: what Kanshi isolated before is contained on this start's console too.
  const before = await endpointsOf();
  const tenant = edr.tenant(new Set(before.filter((e) => e.isolated && e.edrAgentId).map((e) => e.edrAgentId!)));
  await eventually(() =>
    gql(gatewayUrl, engineer, `mutation($i: ConfigureEdrConnectorInput!) { configureEdrConnector(input: $i) { product } }`, {
      i: { customerId, product: 'CROWDSTRIKE_FALCON', baseUrl: edr.url, clientId: tenant.clientId, secret: tenant.secret, sensorId: sensor.id },
    }),
  );
  // configureEdrConnector syncs the inventory at once.
  await eventually(async () => {
    const known = new Set((await endpointsOf()).map((e) => e.edrAgentId));
    const missing = DEMO_EDR_HOSTS.filter((h) => !known.has(h.agentId));
    if (missing.length) throw new Error(`the inventory sync has not learned ${missing.map((h) => h.hostName).join(', ')} from the demo EDR console yet`);
  }, 60000);
  const { isolations } = await gql<{ isolations: { status: string }[] }>(gatewayUrl, admin, `query($c: ID) { isolations(customerId: $c) { status } }`, { c: customerId });
  const detectionAdded = isolations.length === 0;
  if (detectionAdded) {
    // The incident service learns the endpoints from the inventory's events: a moment for them to land.
    await new Promise((r) => setTimeout(r, 2000));
    addDemoDetection(edr);
  }
  return { customerId, sensorId: sensor.id, edrUrl: edr.url, hostName: DEMO_EDR_VICTIM.hostName, agentId: DEMO_EDR_VICTIM.agentId, detectionAdded };
}
