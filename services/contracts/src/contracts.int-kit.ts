// Shared set-up of the contracts integration specs: the real service in-process (PostgreSQL,
// NATS, the local Stripe server), a hand-moved clock, and helpers that drive it through GraphQL
// the way sales, partners, customers and provider staff do.
import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { Role } from '@kanshi/auth';
import { EventDefinition } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { createServiceApp, listenPublic } from '@kanshi/platform';
import { FakeStripeServer, gqlRequest, GqlResult, isolatedDatabaseUrl, testPlatformEnv, tokenFor } from '@kanshi/testing';
import { ManualClock } from '@kanshi/calendar';
import { AppModule } from './app.module';
import { loadConfig, PUBLIC_ROUTES } from './config';
import { StripeSyncService } from './stripe-sync/stripe-sync.service';

export const STRIPE_API_KEY = 'sk_test_kanshi_contracts_int';
export const STRIPE_WEBHOOK_SECRET = 'whsec_kanshi_contracts_int';

export interface ContractsKit {
  app: NestFastifyApplication;
  // The public port, where Stripe posts /webhooks/stripe (GraphQL is on graphqlUrl, the internal port).
  baseUrl: string;
  graphqlUrl: string;
  ds: DataSource;
  clock: ManualClock;
  namespace: string;
  stripe: FakeStripeServer | null;
  // GraphQL as a role (ids for partner/customer roles).
  gql<T = any>(role: Role, query: string, variables?: Record<string, unknown>, ids?: { partnerId?: string; customerId?: string }): Promise<GqlResult<T>>;
  ok<T = any>(role: Role, query: string, variables?: Record<string, unknown>, ids?: { partnerId?: string; customerId?: string }): Promise<T>;
  sync(): Promise<{ synced: number; retrying: number; failed: number }>;
  publish<T>(def: EventDefinition<T>, body: T, customerId: string | null, occurredAt?: Date): Promise<string>;
  // The last event published on JetStream under the definition's subject.
  lastPublished<T>(def: EventDefinition<T>): Promise<{ eventId: string; customerId: string | null; body: T } | null>;
  close(): Promise<void>;
}

export async function startContracts(opts: { now: string; stripe?: boolean; messaging?: boolean; env?: Record<string, string> }): Promise<ContractsKit> {
  const clock = new ManualClock(new Date(opts.now));
  let stripe: FakeStripeServer | null = null;
  if (opts.stripe) {
    stripe = new FakeStripeServer({ apiKey: STRIPE_API_KEY });
    await stripe.start();
  }
  // Billing runs bill every contract in service: each spec file gets a database of its own.
  const env = testPlatformEnv({
    DATABASE_URL: await isolatedDatabaseUrl(),
    ...(stripe ? { STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE: stripe.url, STRIPE_RETRY_BASE_MS: '1', STRIPE_TIMEOUT_MS: '2000' } : {}),
    ...opts.env,
  });
  const config = loadConfig(env);
  const app = await createServiceApp(AppModule.forRoot(config, { clock, startWorkers: false, startMessaging: opts.messaging ?? false }), { service: 'contracts', port: 0, rawBody: true, publicRoutes: PUBLIC_ROUTES, gatewaySecret: config.SUBGRAPH_SECRET });
  await app.listen(0, '127.0.0.1');
  const graphqlUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/graphql`;
  const baseUrl = await listenPublic(app, 0);
  const ds = app.get(DataSource);
  let bus: NatsBus | null = null;

  const gql = async <T>(role: Role, query: string, variables: Record<string, unknown> = {}, ids: { partnerId?: string; customerId?: string } = {}) =>
    gqlRequest<T>(graphqlUrl, await tokenFor(role, ids), query, variables);

  return {
    app,
    baseUrl,
    graphqlUrl,
    ds,
    clock,
    namespace: config.NATS_NAMESPACE,
    stripe,
    gql,
    async ok<T>(role: Role, query: string, variables: Record<string, unknown> = {}, ids: { partnerId?: string; customerId?: string } = {}) {
      const r = await gql<T>(role, query, variables, ids);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${r.errors.map((e) => `${String(e.extensions?.code)} ${String(e.extensions?.field ?? '')}: ${e.message}`).join('; ')}`);
      return r.data as T;
    },
    sync: () => app.get(StripeSyncService).syncDue(),
    // Another service's event, as it arrives on JetStream.
    async publish<T>(def: EventDefinition<T>, body: T, customerId: string | null, occurredAt = new Date()) {
      bus ??= await NatsBus.connect({ url: config.NATS_URL, name: 'contracts-int-kit', namespace: config.NATS_NAMESPACE });
      await bus.ensureStreams([def.stream]);
      const eventId = randomUUID();
      const envelope = { eventId, subject: def.subject, occurredAt: occurredAt.toISOString(), customerId, body };
      await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(envelope)), { msgID: eventId });
      return eventId;
    },
    async lastPublished<T>(def: EventDefinition<T>) {
      bus ??= await NatsBus.connect({ url: config.NATS_URL, name: 'contracts-int-kit', namespace: config.NATS_NAMESPACE });
      const msg = await bus.jsm.streams.getMessage(bus.streamNameOf(def.stream), { last_by_subj: bus.subjectOf(def) }).catch(() => null);
      return msg ? (JSON.parse(Buffer.from(msg.data).toString('utf8')) as { eventId: string; customerId: string | null; body: T }) : null;
    },
    async close() {
      await app.close();
      if (bus) {
        for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${config.NATS_NAMESPACE}_`)) await bus.jsm.streams.delete(s.config.name);
        await bus.drain();
      }
      await stripe?.stop();
    },
  };
}

// ----- fixtures through the API -----

export const CUSTOMER_FIELDS = 'id name partnerId';

export async function createPartner(kit: ContractsKit, input: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const { createPartner } = await kit.ok('provider_admin', `mutation($i: CreatePartnerInput!) { createPartner(input: $i) { id name } }`, {
    i: { name: `パートナー ${randomUUID().slice(0, 8)}`, billingEmail: 'billing@partner.example.jp', ...input },
  });
  return createPartner;
}

export async function createCustomer(kit: ContractsKit, input: Record<string, unknown> = {}): Promise<{ id: string; name: string; partnerId: string | null }> {
  const { createCustomer } = await kit.ok('sales', `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { ${CUSTOMER_FIELDS} } }`, {
    i: {
      name: `顧客 ${randomUUID().slice(0, 8)}株式会社`,
      postalCode: '100-0005',
      address: '東京都千代田区丸の内1-1-1',
      billingContact: { name: '経理部', email: 'billing@customer.example.jp' },
      ...input,
    },
  });
  return createCustomer;
}

export const QUOTE_FIELDS = `id number customerId plan planVersion serviceHours options endpointCount termMonths startDate status validUntil quoteDate
  subtotal tax total oneTimeTotal monthlyTotal taxByRate { rate taxable tax }
  lines { code description descriptionJa quantity unitPrice amount taxRate recurring months }`;

export async function createQuote(kit: ContractsKit, input: Record<string, unknown>, role: Role = 'sales', ids: { partnerId?: string; customerId?: string } = {}) {
  const { createQuote } = await kit.ok<{ createQuote: any }>(role, `mutation($i: CreateQuoteInput!) { createQuote(input: $i) { ${QUOTE_FIELDS} } }`, { i: input }, ids);
  return createQuote;
}

export const CONTRACT_FIELDS = `id customerId quoteId plan status startDate endDate serviceStartDate options monitoredProducts isolationPreApproved logRetentionMonths
  escalationContacts { order name phone email language }
  onboarding { sensorsRegistered firstEventsReceived contactsConfirmed complete missing }
  termsAcceptances { termsVersion sha256 acceptedBy acceptedByRole acceptedAt }`;

// Sends the quote (only a sent quote can be accepted; sending a sent one changes nothing), then accepts it.
export async function acceptQuote(kit: ContractsKit, quoteId: string, setup: Record<string, unknown> | null = null, role: Role = 'sales', ids = {}) {
  await kit.ok(role === 'customer_admin' ? 'sales' : role, `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: quoteId }, role === 'customer_admin' ? {} : ids);
  const { acceptQuote } = await kit.ok<{ acceptQuote: any }>(
    role,
    `mutation($id: ID!, $v: String!, $s: ContractSetupInput) { acceptQuote(id: $id, termsVersion: $v, setup: $s) { ${CONTRACT_FIELDS} } }`,
    { id: quoteId, v: '1.1', s: setup },
    ids,
  );
  return acceptQuote;
}

// A contract in service from `startDate`: quote, acceptance, and activation with onboarding done
// directly in the read model (the onboarding spec goes through the real events).
export async function activeContract(kit: ContractsKit, customerId: string, quote: Record<string, unknown>, activateOn?: string): Promise<any> {
  const q = await createQuote(kit, { customerId, ...quote });
  const contract = await acceptQuote(kit, q.id, { escalationContacts: [{ name: '情報システム部 山田', phone: '03-1234-5678', email: 'yamada@customer.example.jp' }] });
  await kit.ok('customer_admin', `mutation($id: ID!) { confirmEscalationContacts(id: $id) { id } }`, { id: contract.id }, { customerId });
  await kit.ds.query(
    `INSERT INTO contracts.customer_sensor (sensor_id, customer_id, product, name, registered_at, first_event_at) VALUES ($1, $2, 'FIREEYE_NX', 'NX', now(), now())`,
    [randomUUID(), customerId],
  );
  const before = kit.clock.now();
  if (activateOn) kit.clock.set(`${activateOn}T09:00:00+09:00`);
  const { activateContract } = await kit.ok('engineer', `mutation($id: ID!) { activateContract(id: $id) { ${CONTRACT_FIELDS} } }`, { id: contract.id });
  kit.clock.set(before);
  return activateContract;
}

export const INVOICE_FIELDS = `id number period customerId partnerId status transactionDate dueDate subtotal tax total taxRate stripeInvoiceId stripeSyncStatus
  taxByRate { rate taxable tax } issuer { name registrationNumber } recipient { kind id name } customerSubtotals { customerId name subtotal }
  lines { lineKey customerId contractId code description descriptionJa quantity unitPrice amount taxRate servicePeriod { from to } proration { billableDays daysInPeriod fullAmount } }`;

export async function runBilling(kit: ContractsKit, period: string, draft = false) {
  const { runBilling } = await kit.ok<{ runBilling: any }>(
    'provider_admin',
    `mutation($p: String!, $d: Boolean) { runBilling(period: $p, draft: $d) { id period draft invoicesCreated invoicesExisting invoices { ${INVOICE_FIELDS} } } }`,
    { p: period, d: draft },
  );
  return runBilling;
}

export async function outboxEvents(kit: ContractsKit, subject: string, customerId?: string): Promise<{ eventId: string; customerId: string | null; body: any; published: boolean }[]> {
  const rows: { payload: { eventId: string; customerId: string | null; body: unknown }; published_at: Date | null }[] = await kit.ds.query(
    `SELECT payload, published_at FROM contracts.outbox WHERE subject = $1 ${customerId ? `AND payload->>'customerId' = $2` : ''} ORDER BY seq`,
    customerId ? [subject, customerId] : [subject],
  );
  return rows.map((r) => ({ eventId: r.payload.eventId, customerId: r.payload.customerId, body: r.payload.body, published: r.published_at !== null }));
}

// Sends a draft quote as sales (only a sent quote can be accepted).
export async function sendQuote(kit: ContractsKit, quoteId: string): Promise<void> {
  await kit.ok('sales', `mutation($id: ID!) { sendQuote(id: $id) { id } }`, { id: quoteId });
}
