// `npm run bench -- response`: 500 isolation requests at once across the four local vendor
// consoles (FakeCrowdStrikeServer, FakeCarbonBlackServer, FakeCybereasonServer,
// FakeFireEyeHxServer: the vendors' own API shapes, tokens and sessions included), one MDR customer
// per console, every answer after 200 ms and a containment confirmed 200 ms after it was accepted.
// The endpoint-response service runs in this process with the real adapters on a throwaway database
// and NATS namespace, consumers, job queue and relay on; the commands go through JetStream as the
// incident service sends them. Measured: the time until the last isolation is ISOLATED and each
// isolation's time from its command to ISOLATED (p50/p99). Asserted: no duplicate vendor action
// (the consoles' duplicateActions()), no console ever had more requests in flight than the
// per-vendor limit (EDR_MAX_CONCURRENCY). Baseline in the same run: 500 other hosts contained by
// the same adapters directly (contain, then status reads until confirmed) under the same limits,
// without the state machine, the database or the bus.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { EdrProductCode, EventEnvelope, IsolationCommandBody, IsolationRequested } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { createServiceApp } from '@kanshi/platform';
import { FakeEdrServer, FakeEdrTenant } from '@kanshi/testing';
import { AppModule } from '../services/endpoint-response/src/app.module';
import { loadConfig } from '../services/endpoint-response/src/config';
import { ConnectorRuntime } from '../services/endpoint-response/src/connectors/connector-runtime';
import { connectorSettingsOf } from '../services/endpoint-response/src/connectors/connectors.module';
import { CredentialsCipher } from '../services/endpoint-response/src/connectors/credentials-cipher';
import { ADAPTERS, credentialsOf } from '../services/endpoint-response/src/connectors/edr-adapters.harness';
import { secretContext } from '../services/endpoint-response/src/connectors/edr-connector.factory';
import { ensureInfra } from '../scripts/infra';
import { appendBenchmark, table } from './report';

const ISOLATIONS = 500;
const LATENCY_MS = 200;
const CONFIRM_AFTER_MS = 200;
const CONCURRENCY = 40;
const TARGET_S = 30;
const PRODUCTS: EdrProductCode[] = ADAPTERS.map((h) => h.product);

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

// The same containments without Kanshi: the adapters called directly, contain then status reads.
async function baseline(runtime: ConnectorRuntime, servers: Map<EdrProductCode, FakeEdrServer>, tenants: Map<EdrProductCode, FakeEdrTenant>, agents: { product: EdrProductCode; agentId: string }[]): Promise<{ totalMs: number; p99: number }> {
  const started = Date.now();
  const lat: number[] = [];
  await Promise.all(
    agents.map(async (a) => {
      const h = ADAPTERS.find((x) => x.product === a.product)!;
      const c = h.connector(runtime, `baseline-${a.product}`, credentialsOf(h, servers.get(a.product)!, tenants.get(a.product)!));
      await c.contain(a.agentId, { isolationId: randomUUID(), incidentId: randomUUID() });
      for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
        await new Promise((r) => setTimeout(r, delay));
        if ((await c.findHost({ agentId: a.agentId }))?.containment === 'CONTAINED') break;
      }
      lat.push(Date.now() - started);
    }),
  );
  lat.sort((x, y) => x - y);
  return { totalMs: Date.now() - started, p99: pct(lat, 99) };
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const dbUrl = withDatabase(infra.databaseUrl, `kanshi_bench_response_${randomBytes(4).toString('hex')}`);
  const namespace = `benchresponse${randomBytes(3).toString('hex')}`;
  await ensureDatabase(dbUrl);
  await migrateSchema(dbUrl, 'endpoint_response');
  const servers = new Map<EdrProductCode, FakeEdrServer>(ADAPTERS.map((h) => [h.product, h.server({ latencyMs: LATENCY_MS, confirmAfterMs: CONFIRM_AFTER_MS })]));
  for (const s of servers.values()) await s.start();
  const bus = await NatsBus.connect({ url: infra.natsUrl, name: 'bench-response', namespace });
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const config = loadConfig({
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl,
    NATS_URL: infra.natsUrl,
    NATS_NAMESPACE: namespace,
    JWT_SECRET: randomBytes(24).toString('hex'),
    AUTH_MODE: 'hs256',
    LOG_LEVEL: 'warn',
    JOBS_POLL_INTERVAL_MS: '500',
    ISOLATION_POLL_INITIAL_MS: '250',
    ISOLATION_WORKERS: '200',
    EDR_MAX_CONCURRENCY: String(CONCURRENCY),
  });
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'endpoint-response', port: 0 });
  try {
    await app.init();
    // one MDR customer per EDR, ISOLATIONS endpoints across them
    const customers = new Map<EdrProductCode, string>(PRODUCTS.map((p) => [p, randomUUID()]));
    const tenants = new Map<EdrProductCode, FakeEdrTenant>(PRODUCTS.map((p) => [p, servers.get(p)!.addTenant()]));
    const cipher = app.get(CredentialsCipher);
    for (const [p, c] of customers) {
      const t = tenants.get(p)!;
      await db.query(`INSERT INTO endpoint_response.tenant_customer (customer_id, partner_id, name) VALUES ($1, NULL, $2)`, [c, `Bench ${p}`]);
      await db.query(`INSERT INTO endpoint_response.edr_connector (customer_id, product, base_url, client_id, secret_ciphertext, org_key) VALUES ($1, $2, $3, $4, $5, $6)`, [
        c,
        p,
        servers.get(p)!.url,
        t.clientId,
        cipher.encrypt(t.secret, secretContext(c, p)),
        p === 'CARBON_BLACK' ? t.orgKey : null,
      ]);
    }
    const hostsOf = (tag: string) =>
      Array.from({ length: ISOLATIONS }, (_, i) => {
        const product = PRODUCTS[i % PRODUCTS.length];
        const hostName = `${tag}-${String(i).padStart(4, '0')}`;
        return { product, hostName, agentId: servers.get(product)!.addHost(tenants.get(product)!.id, { hostName }).agentId, endpointId: randomUUID() };
      });
    const agents = hostsOf('PC');
    const baselineAgents = hostsOf('BASE');
    await db.query(
      `INSERT INTO endpoint_response.endpoint (id, customer_id, host_name, edr_product, edr_agent_id, source)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [agents.map((a) => a.endpointId), agents.map((a) => customers.get(a.product)!), agents.map((a) => a.hostName), agents.map((a) => a.product), agents.map((a) => a.agentId), agents.map(() => 'EDR')],
    );
    await bus.ensureStreams(['INCIDENT']);

    const commands: EventEnvelope<IsolationCommandBody>[] = agents.map((a) => ({
      eventId: randomUUID(),
      subject: IsolationRequested.subject,
      occurredAt: new Date().toISOString(),
      customerId: customers.get(a.product)!,
      body: { isolationId: randomUUID(), incidentId: randomUUID(), endpointId: a.endpointId, reason: 'bench', requestedBy: 'bench' },
    }));
    const started = Date.now();
    await Promise.all(commands.map((c) => bus.js.publish(bus.subjectOf(IsolationRequested), Buffer.from(JSON.stringify(c)), { msgID: c.eventId })));
    const published = Date.now();
    let done = 0;
    const deadline = started + 180_000;
    while (Date.now() < deadline) {
      done = (await db.query(`SELECT count(*)::int AS n FROM endpoint_response.isolation WHERE status IN ('ISOLATED', 'FAILED')`)).rows[0].n;
      if (done >= ISOLATIONS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const recorded: number = (await db.query(`SELECT (extract(epoch FROM max(requested_at)) * 1000)::float8 - $1 AS ms FROM endpoint_response.isolation`, [started])).rows[0].ms;
    const rows: { status: string; ms: number }[] = (
      await db.query(`SELECT status, (extract(epoch FROM coalesce(isolated_at, failed_at)) * 1000)::float8 - $1 AS ms FROM endpoint_response.isolation`, [started])
    ).rows;
    const isolated = rows.filter((r) => r.status === 'ISOLATED');
    const lat = isolated.map((r) => r.ms).sort((x, y) => x - y);
    const totalMs = lat.length ? lat[lat.length - 1] : NaN;
    const duplicates = [...servers.values()].reduce((n, s) => n + s.duplicateActions().length, 0);
    const containCalls = [...servers.values()].reduce((n, s) => n + s.actions.filter((x) => x.action === 'contain').length, 0);
    const peaks = PRODUCTS.map((p) => servers.get(p)!.peakConcurrency);
    const maxInFlight = Math.max(...peaks);
    const requests = [...servers.values()].reduce((n, s) => n + s.requests.length, 0);
    const base = await baseline(new ConnectorRuntime(connectorSettingsOf(config)), servers, tenants, baselineAgents);

    const ok = isolated.length === ISOLATIONS && duplicates === 0 && containCalls === ISOLATIONS && maxInFlight <= CONCURRENCY;
    const lines = [
      `Run ${new Date().toISOString().slice(0, 10)} on this ${cpus().length}-core machine (shared with other work: load average at the end ${loadavg()[0].toFixed(2)}). endpoint-response in the bench's process (consumers, job queue with ${config.ISOLATION_WORKERS} isolation workers, relay), on a throwaway database and NATS namespace; ${ISOLATIONS} \`incident.isolation.requested.v1\` published at once on JetStream (${published - started} ms to publish) for ${ISOLATIONS} endpoints of 4 MDR customers, one per EDR product; the real adapters against the four local vendor consoles (CrowdStrike, Carbon Black, Cybereason, FireEye HX shapes, one tenant each, token/session logins included) answering every request in ${LATENCY_MS} ms and confirming a containment ${CONFIRM_AFTER_MS} ms after accepting it; at most ${CONCURRENCY} requests in flight per vendor (\`EDR_MAX_CONCURRENCY\`).`,
      '',
      table(
        ['', 'all confirmed', 'p50 per isolation', 'p99 per isolation', 'vendor requests', 'target'],
        [
          [`Kanshi (command on JetStream to ISOLATED)`, `${(totalMs / 1000).toFixed(1)} s`, `${(pct(lat, 50) / 1000).toFixed(2)} s`, `${(pct(lat, 99) / 1000).toFixed(2)} s`, String(requests), `${TARGET_S} s: ${totalMs <= TARGET_S * 1000 ? 'PASS' : 'FAIL'}`],
          [`baseline: the same adapters called directly (contain, status reads), same limits`, `${(base.totalMs / 1000).toFixed(1)} s`, '', `${(base.p99 / 1000).toFixed(2)} s`, '', ''],
        ],
      ),
      '',
      `All 500 commands recorded (consumer) ${(recorded / 1000).toFixed(1)} s after the first was published. Isolated ${isolated.length}/${ISOLATIONS} (failed ${rows.length - isolated.length}); contain calls ${containCalls}, endpoints contained more than once: ${duplicates}; most requests in flight per console: ${PRODUCTS.map((p, i) => `${p} ${peaks[i]}`).join(', ')} (limit ${CONCURRENCY}). ${ok ? 'Checks PASS.' : 'Checks FAIL.'}`,
    ];
    console.log(lines.join('\n'));
    appendBenchmark('response', lines);
    if (!ok) throw new Error('response bench checks failed (see above)');
  } finally {
    await app.close();
    for (const s of servers.values()) await s.stop();
    for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${namespace}_`)) await bus.jsm.streams.delete(s.config.name);
    await bus.drain().catch(() => undefined);
    await db.end();
    await dropDatabase(dbUrl).catch(() => undefined);
  }
}
