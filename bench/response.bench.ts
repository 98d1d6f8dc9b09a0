// `npm run bench -- response`: 500 isolation requests at once across four local EDR servers (one
// per product, one MDR customer each) that answer every request in 200 ms and report a host
// CONTAINED 200 ms after accepting the containment. The endpoint-response service runs in this
// process on a throwaway database and NATS namespace with its consumers, job queue and relay on;
// the commands go through JetStream as the incident service would send them. Measured: the time
// until the last isolation is ISOLATED, and each isolation's time from its command to ISOLATED
// (p50/p99). Asserted: one containment per endpoint (no duplicate vendor action), no EDR server
// ever had more requests in flight than EDR_MAX_CONCURRENT_REQUESTS. Baseline in the same run: the
// same 500 containments as raw HTTP round trips (contain, then one status read once confirmed)
// under the same per-vendor concurrency, without Kanshi.
//
// The EDR servers here are minimal local stand-ins speaking one simple JSON API (not the vendors'
// own): the vendor adapters and their local servers are another branch's work.
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { EdrProductCode, EventEnvelope, IsolationCommandBody, IsolationRequested } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { createServiceApp } from '@kanshi/platform';
import { VendorServer } from '@kanshi/testing';
import { AppModule } from '../services/endpoint-response/src/app.module';
import { loadConfig } from '../services/endpoint-response/src/config';
import { EdrConnector, VendorHost } from '../services/endpoint-response/src/connectors/edr-connector';
import { EdrConnectorFactory } from '../services/endpoint-response/src/connectors/edr-connector.factory';
import { ensureInfra } from '../scripts/infra';
import { appendBenchmark, table } from './report';

const ISOLATIONS = 500;
const LATENCY_MS = 200;
const CONFIRM_AFTER_MS = 200;
const CONCURRENCY = 8;
const TARGET_S = 30;
const PRODUCTS: EdrProductCode[] = ['CROWDSTRIKE_FALCON', 'CARBON_BLACK', 'CYBEREASON', 'FIREEYE_HX'];

// One local EDR: hosts by agent id, contain with delayed confirmation, requests in flight counted.
class BenchEdrServer {
  readonly server = new VendorServer({ name: 'bench-edr', idempotency: false });
  readonly contains = new Map<string, number>();
  private readonly containedAt = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;

  constructor() {
    const slow = async <T>(work: () => T): Promise<T> => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        await new Promise((r) => setTimeout(r, LATENCY_MS));
        return work();
      } finally {
        this.inFlight--;
      }
    };
    this.server.post('/hosts/:id/contain', (req) =>
      slow(() => {
        const id = req.params.id;
        this.contains.set(id, (this.contains.get(id) ?? 0) + 1);
        if (!this.containedAt.has(id)) this.containedAt.set(id, Date.now() + CONFIRM_AFTER_MS);
        return { status: 202, json: { accepted: true } };
      }),
    );
    this.server.get('/hosts/:id', (req) =>
      slow(() => {
        const at = this.containedAt.get(req.params.id);
        return { json: { agentId: req.params.id, hostName: `host-${req.params.id.slice(0, 8)}`, containment: at === undefined ? 'NORMAL' : at <= Date.now() ? 'CONTAINED' : 'PENDING' } };
      }),
    );
  }

  reset(): void {
    this.contains.clear();
    this.containedAt.clear();
    this.maxInFlight = 0;
  }
}

// A connector over plain HTTP to a BenchEdrServer.
class BenchConnectors extends EdrConnectorFactory {
  constructor(private readonly urls: Map<EdrProductCode, string>) {
    super();
  }

  forCustomer(_customerId: string, product: EdrProductCode): Promise<EdrConnector> {
    const base = this.urls.get(product)!;
    const host = async (agentId: string): Promise<VendorHost | null> => {
      const r = await fetch(`${base}/hosts/${agentId}`);
      if (r.status === 404) return null;
      const b = (await r.json()) as { agentId: string; hostName: string; containment: VendorHost['containment'] };
      return { agentId: b.agentId, hostName: b.hostName, ips: [], os: null, lastSeenAt: null, containment: b.containment };
    };
    const act = async (agentId: string, action: string) => {
      const started = Date.now();
      const r = await fetch(`${base}/hosts/${agentId}/${action}`, { method: 'POST' });
      await r.arrayBuffer();
      return { accepted: r.status < 300, message: null, exchanges: [{ at: new Date(started).toISOString(), method: 'POST', path: `/hosts/${agentId}/${action}`, status: r.status, summary: `${action} accepted`, durationMs: Date.now() - started }] };
    };
    const connector: EdrConnector = {
      product,
      findHost: (q) => host(q.agentId!),
      listHosts: () => Promise.resolve([]),
      contain: (agentId) => act(agentId, 'contain'),
      release: (agentId) => act(agentId, 'release'),
      pullDetections: () => Promise.resolve({ detections: [], nextCursor: null }),
    };
    return Promise.resolve(connector);
  }

  markUnhealthy(): Promise<void> {
    return Promise.resolve();
  }
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

// The same containments without Kanshi: contain, wait for the confirmation, read the status once.
async function baseline(servers: Map<EdrProductCode, BenchEdrServer>, agents: { product: EdrProductCode; agentId: string }[]): Promise<{ totalMs: number; p99: number }> {
  for (const s of servers.values()) s.reset();
  const started = Date.now();
  const lat: number[] = [];
  await Promise.all(
    PRODUCTS.map(async (product) => {
      const mine = agents.filter((a) => a.product === product);
      const url = servers.get(product)!.server.url;
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < mine.length) {
            const a = mine[next++];
            await (await fetch(`${url}/hosts/${a.agentId}/contain`, { method: 'POST' })).arrayBuffer();
            await new Promise((r) => setTimeout(r, CONFIRM_AFTER_MS));
            await (await fetch(`${url}/hosts/${a.agentId}`)).json();
            lat.push(Date.now() - started);
          }
        }),
      );
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
  const servers = new Map<EdrProductCode, BenchEdrServer>(PRODUCTS.map((p) => [p, new BenchEdrServer()]));
  for (const s of servers.values()) await s.server.start();
  const urls = new Map<EdrProductCode, string>([...servers].map(([p, s]) => [p, s.server.url]));
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
    ISOLATION_WORKERS: '64',
    EDR_MAX_CONCURRENT_REQUESTS: String(CONCURRENCY),
  });
  const app = await createServiceApp(AppModule.forRoot(config, { edrConnectors: new BenchConnectors(urls) }), { service: 'endpoint-response', port: 0 });
  try {
    await app.init();
    // one MDR customer per EDR, ISOLATIONS endpoints across them
    const customers = new Map<EdrProductCode, string>(PRODUCTS.map((p) => [p, randomUUID()]));
    for (const [p, c] of customers) await db.query(`INSERT INTO endpoint_response.tenant_customer (customer_id, partner_id, name) VALUES ($1, NULL, $2)`, [c, `Bench ${p}`]);
    const agents = Array.from({ length: ISOLATIONS }, (_, i) => ({ product: PRODUCTS[i % PRODUCTS.length], agentId: randomUUID().replace(/-/g, ''), endpointId: randomUUID() }));
    await db.query(
      `INSERT INTO endpoint_response.endpoint (id, customer_id, host_name, edr_product, edr_agent_id, source)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [agents.map((a) => a.endpointId), agents.map((a) => customers.get(a.product)!), agents.map((a) => `host-${a.agentId.slice(0, 8)}`), agents.map((a) => a.product), agents.map((a) => a.agentId), agents.map(() => 'EDR')],
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
    const duplicates = [...servers.values()].reduce((n, s) => n + [...s.contains.values()].filter((v) => v > 1).length, 0);
    const containCalls = [...servers.values()].reduce((n, s) => n + [...s.contains.values()].reduce((x, y) => x + y, 0), 0);
    const maxInFlight = Math.max(...[...servers.values()].map((s) => s.maxInFlight));
    const requests = [...servers.values()].reduce((n, s) => n + s.server.requests.length, 0);
    const base = await baseline(servers, agents);

    const ok = isolated.length === ISOLATIONS && duplicates === 0 && containCalls === ISOLATIONS && maxInFlight <= CONCURRENCY;
    const lines = [
      `Run ${new Date().toISOString().slice(0, 10)} on this ${cpus().length}-core machine (shared with other work: load average at the end ${loadavg()[0].toFixed(2)}). endpoint-response in the bench's process (consumers, job queue with ${config.ISOLATION_WORKERS} isolation workers, relay), on a throwaway database and NATS namespace; ${ISOLATIONS} \`incident.isolation.requested.v1\` published at once on JetStream (${published - started} ms to publish) for ${ISOLATIONS} endpoints of 4 MDR customers, one per EDR product; four local EDR servers (minimal stand-ins: one JSON API, not the vendors' own; the vendor adapters are another branch) answering every request in ${LATENCY_MS} ms and confirming a containment ${CONFIRM_AFTER_MS} ms after accepting it; at most ${CONCURRENCY} requests in flight per customer's EDR (\`EDR_MAX_CONCURRENT_REQUESTS\`).`,
      '',
      table(
        ['', 'all confirmed', 'p50 per isolation', 'p99 per isolation', 'vendor requests', 'target'],
        [
          [`Kanshi (command on JetStream to ISOLATED)`, `${(totalMs / 1000).toFixed(1)} s`, `${(pct(lat, 50) / 1000).toFixed(2)} s`, `${(pct(lat, 99) / 1000).toFixed(2)} s`, String(requests), `${TARGET_S} s: ${totalMs <= TARGET_S * 1000 ? 'PASS' : 'FAIL'}`],
          [`baseline: raw HTTP contain + one status read, same concurrency`, `${(base.totalMs / 1000).toFixed(1)} s`, '', `${(base.p99 / 1000).toFixed(2)} s`, String(ISOLATIONS * 2), ''],
        ],
      ),
      '',
      `All 500 commands recorded (consumer) ${(recorded / 1000).toFixed(1)} s after the first was published. Isolated ${isolated.length}/${ISOLATIONS} (failed ${rows.length - isolated.length}); contain calls ${containCalls}, endpoints contained more than once: ${duplicates}; most requests in flight at one EDR server: ${maxInFlight} (limit ${CONCURRENCY}). ${ok ? 'Checks PASS.' : 'Checks FAIL.'}`,
    ];
    console.log(lines.join('\n'));
    appendBenchmark('response', lines);
    if (!ok) throw new Error('response bench checks failed (see above)');
  } finally {
    await app.close();
    for (const s of servers.values()) await s.server.stop();
    for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${namespace}_`)) await bus.jsm.streams.delete(s.config.name);
    await bus.drain().catch(() => undefined);
    await db.end();
    await dropDatabase(dbUrl).catch(() => undefined);
  }
}
