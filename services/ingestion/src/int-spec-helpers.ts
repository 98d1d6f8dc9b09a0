// Test support for the ingestion integration specs (not a spec itself): the service booted in
// process on the real PostgreSQL and NATS, tenants and contracts fed through its event consumers,
// and readers for what it published on JetStream. Specs run in parallel on one database, so
// every spec makes its own customers and sensors and never truncates.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import dgram from 'node:dgram';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ContractActivated, ContractEntitlementsBody, CustomerUpserted, EventDefinition, EventEnvelope, PlanCode } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { createServiceApp, listenPublic } from '@kanshi/platform';
import { connect } from 'nats';
import { eventually, gqlOk, testNatsUrl, testPlatformEnv, tokenFor } from '@kanshi/testing';
import { AppModule } from './app.module';
import { loadConfig, PUBLIC_ROUTES } from './config';

export interface TestService {
  app: NestFastifyApplication;
  // The public port (sensors' /ingest); GraphQL, metrics and health are on `internalUrl`.
  url: string;
  internalUrl: string;
  graphql: string;
  ds: DataSource;
  bus: NatsBus;
  close(): Promise<void>;
}

export async function bootIngestion(env: Record<string, string> = {}, bodyLimitBytes?: number): Promise<TestService> {
  const config = loadConfig(testPlatformEnv({ LIVENESS_CHECK_INTERVAL_MS: '3600000', RETENTION_INTERVAL_MS: '3600000', JOBS_POLL_INTERVAL_MS: '500', LOG_LEVEL: 'warn', INTAKE_ALLOW_LOOPBACK_SOURCES: 'true', ...env }));
  const app = await createServiceApp(AppModule.forRoot(config, {}), { service: 'ingestion', port: 0, bodyLimitBytes, publicRoutes: PUBLIC_ROUTES, gatewaySecret: config.SUBGRAPH_SECRET });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const base = url.replace('[::1]', '127.0.0.1');
  const publicUrl = await listenPublic(app, 0);
  const bus = app.get(NatsBus);
  const close = async () => {
    // INGESTION_LOGS reserves 2 GB of JetStream storage: free this spec's streams at once.
    const streams: string[] = [];
    for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${bus.namespace}_`)) streams.push(s.config.name);
    await app.close();
    const nc = await connect({ servers: new URL(testNatsUrl()).host });
    const jsm = await nc.jetstreamManager();
    for (const name of streams) await jsm.streams.delete(name).catch(() => undefined);
    await nc.close();
  };
  return { app, url: publicUrl, internalUrl: base, graphql: `${base}/graphql`, ds: app.get(DataSource), bus, close };
}

async function publish<T extends object>(bus: NatsBus, def: EventDefinition<T>, customerId: string | null, body: T, occurredAt = new Date()): Promise<void> {
  const envelope: EventEnvelope<T> = { eventId: randomUUID(), subject: def.subject, occurredAt: occurredAt.toISOString(), customerId, body };
  await bus.ensureStreams([def.stream]);
  await bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(envelope)), { msgID: envelope.eventId });
}

export interface TestCustomer {
  customerId: string;
  partnerId: string | null;
  contractId: string;
}

// A customer known to the service's tenant directory, with a contract in the given state.
export async function createCustomer(
  svc: TestService,
  opts: { partnerId?: string | null; contract?: boolean; plan?: PlanCode; liveness?: boolean; retentionMonths?: number; status?: ContractEntitlementsBody['status'] } = {},
): Promise<TestCustomer> {
  const customerId = randomUUID();
  const contractId = randomUUID();
  const partnerId = opts.partnerId ?? null;
  await publish(svc.bus, CustomerUpserted, customerId, { customerId, partnerId, name: `Customer ${customerId.slice(0, 6)}` });
  if (opts.contract !== false) {
    await setContract(svc, { customerId, partnerId, contractId }, { plan: opts.plan, liveness: opts.liveness, retentionMonths: opts.retentionMonths, status: opts.status ?? 'active' });
  }
  await eventually(async () => {
    const rows = await svc.ds.query(`SELECT 1 FROM ingestion.tenant_customer WHERE customer_id = $1`, [customerId]);
    if (rows.length === 0) throw new Error('customer not yet known');
  });
  return { customerId, partnerId, contractId };
}

export async function setContract(
  svc: TestService,
  c: TestCustomer,
  opts: { plan?: PlanCode; liveness?: boolean; retentionMonths?: number; status?: ContractEntitlementsBody['status'] } = {},
  def: EventDefinition<ContractEntitlementsBody> = ContractActivated,
): Promise<void> {
  const occurredAt = new Date();
  await publish(
    svc.bus,
    def,
    c.customerId,
    {
      contractId: c.contractId,
      customerId: c.customerId,
      partnerId: c.partnerId,
      plan: opts.plan ?? 'FE_ALERT_ANALYSIS',
      serviceHours: 'ALWAYS',
      options: opts.liveness ? ['LIVENESS_MONITORING'] : [],
      livenessMonitoring: opts.liveness ?? false,
      monitoredProducts: [],
      escalationContacts: [],
      isolationPreApproved: false,
      logRetentionMonths: opts.retentionMonths ?? 3,
      status: opts.status ?? 'active',
      startDate: '2026-11-01',
      endDate: null,
    },
    occurredAt,
  );
  await eventually(async () => {
    const rows: { status: string }[] = await svc.ds.query(`SELECT status FROM ingestion.customer_contract WHERE contract_id = $1 AND updated_at >= $2`, [c.contractId, occurredAt]);
    if (rows[0]?.status !== (opts.status ?? 'active')) throw new Error('contract not yet applied');
  });
}

export interface RegisteredSensor {
  sensorId: string;
  token: string;
}

export async function registerSensor(svc: TestService, customerId: string, input: Record<string, unknown> = {}): Promise<RegisteredSensor> {
  const admin = await tokenFor('provider_admin');
  const { registerSensor } = await gqlOk<{ registerSensor: { sensor: { id: string }; ingestToken: string } }>(
    svc.graphql,
    admin,
    'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }',
    { i: { customerId, product: 'FORTIGATE', name: 'FGT test', ...input } },
  );
  return { sensorId: registerSensor.sensor.id, token: registerSensor.ingestToken };
}

// Messages of one event published on the service's JetStream since the test began, matching `where`.
export async function published<T>(svc: TestService, def: EventDefinition<T>, where: (e: EventEnvelope<T>) => boolean, opts: { atLeast?: number; timeoutMs?: number } = {}): Promise<EventEnvelope<T>[]> {
  return eventually(
    async () => {
      const consumer = await svc.bus.js.consumers.get(svc.bus.streamNameOf(def.stream), { filterSubjects: svc.bus.subjectOf(def) });
      const out: EventEnvelope<T>[] = [];
      const info = await svc.bus.jsm.streams.info(svc.bus.streamNameOf(def.stream));
      if (info.state.messages > 0) {
        const batch = await consumer.fetch({ max_messages: 10_000, expires: 1000 });
        for await (const m of batch) {
          const e = JSON.parse(Buffer.from(m.data).toString('utf8')) as EventEnvelope<T>;
          if (where(e)) out.push(e);
          if (m.info.pending === 0) break;
        }
      }
      if (out.length < (opts.atLeast ?? 1)) throw new Error(`expected ${opts.atLeast ?? 1} ${def.subject}, found ${out.length}`);
      return out;
    },
    { timeoutMs: opts.timeoutMs ?? 10_000, intervalMs: 200 },
  );
}

export async function freePort(kind: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
    const port = s.address().port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
  }
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
