// Outbound webhooks through the subgraph against the real database and job queue, delivering to
// a local receiver over real HTTP: who may subscribe where, SSRF refusals, the signature checked
// with the documented algorithm, retries with back-off, replay, and tenant isolation.
import { createHmac, randomUUID } from 'node:crypto';
import { EventEnvelope } from '@kanshi/events';
import { JobQueue } from '@kanshi/jobs';
import { eventually, isolatedDatabaseUrl, startSubgraph, SubgraphKit, VendorRequest, VendorServer } from '@kanshi/testing';
import { AppModule } from '../app.module';
import { loadConfig } from '../config';
import { WebhooksService } from './webhooks.service';

jest.setTimeout(90_000);

let kit: SubgraphKit;
let service: WebhooksService;
const receiver = new VendorServer({ name: 'WebhookReceiver', idempotency: false });
receiver.post('/hooks/:who', () => ({ status: 204 }));

beforeAll(async () => {
  await receiver.start();
  const databaseUrl = await isolatedDatabaseUrl();
  kit = await startSubgraph({
    service: 'incident',
    schema: 'incident',
    // a database of its own: its job queue and SLA scheduler (on the real clock) never touch other specs' incidents
    loadConfig: (env) => loadConfig({ ...env, DATABASE_URL: databaseUrl, WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_RETRY_LIMIT: '2', WEBHOOK_RETRY_DELAY_SECONDS: '1', JOBS_POLL_INTERVAL_MS: '500' }),
    module: (config, opts) => AppModule.forRoot(config, opts),
  });
  service = kit.app.get(WebhooksService);
  await kit.app.get(JobQueue).start();
});
afterAll(async () => {
  await kit?.close();
  await receiver.stop();
});

const CREATE = `mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret subscription { id ownerKind customerId partnerId url eventTypes active } } }`;
const DELIVERIES = `query($s: ID!) { webhookDeliveries(subscriptionId: $s) { id eventType status payload attempts { statusCode durationMs error replay } } }`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id status } }`;
const hook = (who: string) => `${receiver.url}/hooks/${who}`;

// The receiver's side, from the Standard Webhooks specification (not the signing code).
function verified(secret: string, r: VendorRequest): boolean {
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${r.headers['webhook-id']}.${r.headers['webhook-timestamp']}.${r.rawBody}`)
    .digest('base64');
  return r.headers['webhook-signature'].split(' ').includes(`v1,${expected}`);
}

function opened(customerId: string, eventId = randomUUID()): EventEnvelope<object> {
  return { eventId, subject: 'incident.incident.opened.v1', occurredAt: new Date().toISOString(), customerId, body: { incidentId: randomUUID(), severity: 'HIGH', status: 'NEW', title: 'Emotet on pc-001' } };
}
const fanOut = (e: EventEnvelope<object>, kind: 'INCIDENT_OPENED' | 'INCIDENT_RESOLVED' = 'INCIDENT_OPENED') => kit.ds.transaction((em) => service.fanOut(em, kind, e));
const received = (who: string) => receiver.findRequests({ path: `/hooks/${who}` });

async function subscribe(role: 'customer_admin' | 'partner_admin' | 'provider_admin', ids: { customerId?: string; partnerId?: string }, who: string, extra: Record<string, unknown> = {}) {
  return (await kit.ok(role, CREATE, { i: { url: hook(who), eventTypes: ['INCIDENT_OPENED'], ...extra } }, ids)).createWebhookSubscription as { secret: string; subscription: { id: string } };
}

describe('createWebhookSubscription', () => {
  it('gives a customer a subscription for itself and its secret once', async () => {
    const { customerId } = await kit.createCustomer();
    const { secret, subscription } = await subscribe('customer_admin', { customerId }, 'c1');
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({ ownerKind: 'CUSTOMER', customerId, partnerId: null, eventTypes: ['INCIDENT_OPENED'], active: true });
    const { webhookSubscriptions } = await kit.ok('customer_admin', `{ webhookSubscriptions { id } }`, {}, { customerId });
    expect(webhookSubscriptions).toEqual([{ id: subscription.id }]);
  });

  it.each([
    ['a private address', 'https://10.0.0.8/hook', /url points at 10\.0\.0\.8, which is not a public address/],
    ['the cloud metadata address', 'http://169.254.169.254/latest', /url points at 169\.254\.169\.254, which is not a public address/],
    ['a CGNAT address', 'https://100.64.1.1/x', /not a public address/],
    ['an IPv6 unique local address', 'https://[fd00::1]/x', /not a public address/],
    ['a name that does not resolve', 'https://no-such-host.invalid/x', /url cannot be resolved/],
  ])('refuses %s as BAD_USER_INPUT on url', async (_, url, message) => {
    const { customerId } = await kit.createCustomer();
    const r = await kit.gql('customer_admin', CREATE, { i: { url, eventTypes: ['INCIDENT_OPENED'] } }, { customerId });
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field: 'url' } });
  });

  it('refuses a customer subscribing for another customer, and a viewer or an analyst subscribing at all', async () => {
    const mine = await kit.createCustomer();
    const theirs = await kit.createCustomer();
    const r = await kit.gql('customer_admin', CREATE, { i: { url: hook('x'), eventTypes: ['INCIDENT_OPENED'], customerId: theirs.customerId } }, { customerId: mine.customerId });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'customerId' });
    for (const role of ['customer_viewer', 'analyst'] as const) {
      const f = await kit.gql(role, CREATE, { i: { url: hook('x'), eventTypes: ['INCIDENT_OPENED'] } }, { customerId: mine.customerId });
      expect(f.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('deliveries', () => {
  it('delivers an incident event signed the Standard Webhooks way, once even when the event comes twice', async () => {
    const { customerId } = await kit.createCustomer();
    const { secret, subscription } = await subscribe('customer_admin', { customerId }, 'signed');
    const e = opened(customerId);
    expect(await fanOut(e)).toBe(1);
    expect(await fanOut(e)).toBe(0);
    const [req] = await eventually(async () => {
      const got = received('signed');
      expect(got).toHaveLength(1);
      return got;
    });
    expect(verified(secret, req)).toBe(true);
    expect(Math.abs(Number(req.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(JSON.parse(req.rawBody)).toEqual({ type: 'incident.opened', timestamp: e.occurredAt, data: { customerId, ...e.body } });
    const { webhookDeliveries } = await kit.ok('customer_admin', DELIVERIES, { s: subscription.id }, { customerId });
    expect(webhookDeliveries).toEqual([{ id: req.headers['webhook-id'], eventType: 'incident.opened', status: 'SUCCEEDED', payload: req.rawBody, attempts: [{ statusCode: 204, durationMs: expect.any(Number), error: null, replay: false }] }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(received('signed')).toHaveLength(1);
  });

  it('sends an event only to its customer’s, its partner’s and the provider’s subscriptions', async () => {
    const partnerId = randomUUID();
    const a = await kit.createCustomer({ partnerId });
    const b = await kit.createCustomer({ partnerId: randomUUID() });
    const tag = randomUUID().slice(0, 8);
    await subscribe('customer_admin', { customerId: a.customerId }, `a-${tag}`);
    await subscribe('customer_admin', { customerId: b.customerId }, `b-${tag}`);
    await subscribe('partner_admin', { partnerId }, `pa-${tag}`);
    await subscribe('partner_admin', { partnerId: b.partnerId! }, `pb-${tag}`);
    await subscribe('provider_admin', {}, `noc-${tag}`, { customerId: a.customerId });
    await subscribe('provider_admin', {}, `noc-b-${tag}`, { customerId: b.customerId });
    // a partner cannot aim a subscription at another partner's customer
    const r = await kit.gql('partner_admin', CREATE, { i: { url: hook('x'), eventTypes: ['INCIDENT_OPENED'], customerId: b.customerId } }, { partnerId });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'customerId' });

    expect(await fanOut(opened(a.customerId))).toBe(3);
    await eventually(async () => {
      for (const who of [`a-${tag}`, `pa-${tag}`, `noc-${tag}`]) expect(received(who)).toHaveLength(1);
    });
    for (const who of [`b-${tag}`, `pb-${tag}`, `noc-b-${tag}`]) expect(received(who)).toHaveLength(0);
    // nor an event type it did not ask for
    expect(await fanOut(opened(a.customerId), 'INCIDENT_RESOLVED')).toBe(0);
  });

  it('retries a failing endpoint with growing pauses, logging each answer, then succeeds', async () => {
    const { customerId } = await kit.createCustomer();
    const { subscription } = await subscribe('customer_admin', { customerId }, 'flaky');
    receiver.failNext(2, { kind: 'error', status: 503 }, { path: '/hooks/flaky' });
    await fanOut(opened(customerId));
    const d = await eventually(
      async () => {
        const [x] = (await kit.ok('customer_admin', DELIVERIES, { s: subscription.id }, { customerId })).webhookDeliveries;
        expect(x.status).toBe('SUCCEEDED');
        return x;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(d.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 204]);
    expect(d.attempts[0].error).toBe('answered 503');
    const times = received('flaky').map((r) => r.receivedAt.getTime());
    expect(times).toHaveLength(3);
    // the same webhook-id on every attempt
    expect(new Set(received('flaky').map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(500);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(times[1] - times[0] - 600);
  });

  it('leaves a delivery FAILED after its last attempt, and replays it on the owner’s request only', async () => {
    const { customerId } = await kit.createCustomer();
    const other = await kit.createCustomer();
    const { secret, subscription } = await subscribe('customer_admin', { customerId }, 'down');
    receiver.failNext(3, { kind: 'error', status: 500 }, { path: '/hooks/down' });
    await fanOut(opened(customerId));
    const failed = await eventually(
      async () => {
        const [x] = (await kit.ok('customer_admin', DELIVERIES, { s: subscription.id }, { customerId })).webhookDeliveries;
        expect(x.status).toBe('FAILED');
        return x;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(failed.attempts).toHaveLength(3);
    // another tenant's delivery looks missing
    const r = await kit.gql('customer_admin', REPLAY, { id: failed.id }, { customerId: other.customerId });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'WEBHOOK_DELIVERY_NOT_FOUND' });
    expect((await kit.gql('customer_admin', DELIVERIES, { s: subscription.id }, { customerId: other.customerId })).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    expect((await kit.ok('customer_admin', REPLAY, { id: failed.id }, { customerId })).replayWebhookDelivery).toEqual({ id: failed.id, status: 'PENDING' });
    const replayed = await eventually(async () => {
      const [x] = (await kit.ok('customer_admin', DELIVERIES, { s: subscription.id }, { customerId })).webhookDeliveries;
      expect(x.status).toBe('SUCCEEDED');
      return x;
    });
    expect(replayed.attempts.at(-1)).toMatchObject({ statusCode: 204, replay: true });
    const last = received('down').at(-1)!;
    expect(last.headers['webhook-id']).toBe(failed.id);
    expect(verified(secret, last)).toBe(true);
  });

  it('stops delivering to a deleted subscription', async () => {
    const { customerId } = await kit.createCustomer();
    const { subscription } = await subscribe('customer_admin', { customerId }, 'gone');
    await kit.ok('customer_admin', `mutation($id: ID!) { deleteWebhookSubscription(id: $id) { active } }`, { id: subscription.id }, { customerId });
    expect(await fanOut(opened(customerId))).toBe(0);
  });
});
