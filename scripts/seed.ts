import { signDevToken } from '@kanshi/auth';

// Demo data through the public API, so every service learns it the way it would in production.
// Idempotent: running it again finds what is there.

export interface DemoData {
  partnerId: string;
  partnerCustomerId: string;
  directCustomerId: string;
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

export async function seedDemo(gatewayUrl: string, secret: string): Promise<DemoData> {
  const admin = await signDevToken({ sub: 'seed@kanshi.local', role: 'provider_admin' }, secret, 600);
  const engineer = await signDevToken({ sub: 'seed-engineer@kanshi.local', role: 'engineer' }, secret, 600);
  const { partners } = await gql<{ partners: { id: string; name: string }[] }>(gatewayUrl, admin, '{ partners { id name } }');
  let partner = partners.find((p) => p.name === 'さくらネットワークス株式会社');
  if (!partner) {
    partner = (
      await gql<{ createPartner: { id: string; name: string } }>(
        gatewayUrl,
        admin,
        `mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id name } }`,
        { i: { name: 'さくらネットワークス株式会社', nameKana: 'サクラネットワークス', discountBps: 1500, billingEmail: 'billing@sakura-net.example' } },
      )
    ).createPartner;
  }
  const { customers } = await gql<{ customers: { id: string; name: string }[] }>(gatewayUrl, admin, '{ customers { id name } }');
  const ensureCustomer = async (name: string, nameKana: string, partnerId: string | null) => {
    const found = customers.find((c) => c.name === name);
    if (found) return { id: found.id, created: false };
    const { createCustomer } = await gql<{ createCustomer: { id: string } }>(gatewayUrl, admin, `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }`, {
      i: { name, nameKana, partnerId, postalCode: '100-0005', address: '東京都千代田区丸の内1-1-1', billingContact: { name: '経理部', email: 'billing@example.co.jp' } },
    });
    return { id: createCustomer.id, created: true };
  };
  const partnerCustomer = await ensureCustomer('東都製作所株式会社', 'トウトセイサクショ', partner.id);
  const directCustomer = await ensureCustomer('みなと銀行株式会社', 'ミナトギンコウ', null);
  if (partnerCustomer.created) {
    await eventually(() =>
      gql(gatewayUrl, admin, `mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }`, {
        i: { customerId: partnerCustomer.id, product: 'FIREEYE_NX', name: 'FireEye NX 本社', allowedSourceIps: ['192.0.2.10'] },
      }),
    );
    await eventually(() =>
      gql(gatewayUrl, engineer, `mutation($i: RegisterEndpointInput!) { registerEndpoint(input: $i) { id } }`, {
        i: { customerId: partnerCustomer.id, hostName: 'TOTO-PC-0012', ipAddresses: ['10.1.2.12'], os: 'Windows 11', edrProduct: 'CROWDSTRIKE_FALCON', edrAgentId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      }),
    );
  }
  if (directCustomer.created) {
    await eventually(() =>
      gql(gatewayUrl, admin, `mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } } }`, {
        i: { customerId: directCustomer.id, product: 'FORTIGATE', name: 'FortiGate 本店', allowedSourceIps: ['192.0.2.20'] },
      }),
    );
    await eventually(() =>
      gql(gatewayUrl, admin, `mutation($i: OpenIncidentInput!) { openIncident(input: $i) { id } }`, {
        i: { customerId: directCustomer.id, severity: 'MEDIUM', title: 'FortiGate IPS: 不審な通信を遮断', description: 'Demo incident' },
      }),
    );
  }
  return { partnerId: partner.id, partnerCustomerId: partnerCustomer.id, directCustomerId: directCustomer.id };
}
