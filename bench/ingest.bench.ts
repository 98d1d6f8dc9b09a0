import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { connect } from 'nats';
import { Client } from 'pg';
import { signDevToken } from '@kanshi/auth';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { ContractActivated, CustomerUpserted, EventDefinition } from '@kanshi/events';
import { ensureInfra } from '../scripts/infra';
import { distDir } from '../scripts/services';
import { parseBatch } from '../services/ingestion/src/intake/pipeline/parse-batch';
import { appendBenchmark, table } from './report';

// Intake throughput of the ingestion service, in its own process: mixed vendor lines over syslog
// TCP and as HTTPS batches, each run counted until every event is durably stored (the HTTPS
// answer comes after the commit; for syslog, which has no acknowledgement, until the rows are in
// PostgreSQL). In the same run the same rows are COPYed straight into the same table (psql
// \copy, the text built before the clock starts; median of three runs), and with an unnest INSERT
// (the statement the service used before it wrote with COPY) from one client: the baselines.
const SECRET = 'bench-secret-bench-secret-bench-secret';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const HTTP_BATCH = Number(process.env.BENCH_HTTP_BATCH ?? 1000);
const HTTP_CONCURRENCY = Number(process.env.BENCH_HTTP_CONCURRENCY ?? 8);

const ROOT = path.resolve(distDir(), '..');
const OWN = path.join(ROOT, 'services', 'ingestion', 'src', 'parsers', '__fixtures__');

interface Feed {
  product: string;
  // share of all events
  weight: number;
  source: string;
  line(n: number): string;
}

function fixture(dir: string, name: string, index = 0): string {
  return readFileSync(path.join(dir, name), 'utf8').trim().split('\n')[index];
}

// Firewalls send mostly traffic logs, with a few alerts; the endpoint products send alerts.
// Every line differs (session ids, ports, serials), so every alert is new.
function feeds(): Feed[] {
  const fgtTraffic = fixture(OWN, 'fortigate-more.log', 0);
  const fgtAlert = fixture(OWN, 'fortigate-utm.log', 0);
  const paTraffic = fixture(OWN, 'paloalto-panos10.log', 0);
  const paThreat = fixture(OWN, 'paloalto-threat.log', 0);
  const sep = fixture(OWN, 'symantec-sep.log', 0);
  const trend = fixture(OWN, 'trendmicro-cef.log', 0);
  return [
    {
      product: 'FORTIGATE',
      weight: 0.475,
      source: '127.0.0.21',
      line: (n) =>
        n % 50 === 0
          ? fgtAlert.replace('incidentserialno=318840177', `incidentserialno=${300000000 + n}`).replace('sessionid=3310827', `sessionid=${n}`)
          : fgtTraffic.replace('sessionid=885000', `sessionid=${n}`).replace('srcport=50000', `srcport=${1024 + (n % 60000)}`),
    },
    {
      product: 'PALO_ALTO',
      weight: 0.475,
      source: '127.0.0.22',
      // a threat log is one alert per sequence number (the vendor event id is serial:seqno)
      line: (n) => (n % 50 === 0 ? paThreat.replace(',771302,', `,${n},`).replace(',7320051230000000042,', `,${7320051230000000000n + BigInt(n)},`) : paTraffic.replace(',600123,', `,${n},`).replace(',50500,', `,${1024 + (n % 60000)},`)),
    },
    { product: 'SYMANTEC_SEP', weight: 0.03, source: '127.0.0.23', line: (n) => sep.replace('Occurrences: 1', `Occurrences: ${n}`) },
    { product: 'TREND_MICRO', weight: 0.02, source: '127.0.0.24', line: (n) => trend.replace(/dvchost=\S+/, `dvchost=PC-${n}`) },
  ];
}

const MIX = 'FortiGate 47.5% and Palo Alto 47.5% (traffic, 1 in 50 an alert), Symantec SEP 3% and Trend Micro CEF 2% (alerts)';
const ALERT_SHARE = '~7% alerts';

interface Sensor {
  feed: Feed;
  sensorId: string;
  token: string;
}

interface Service {
  child: ChildProcess;
  // internal port (GraphQL, metrics, health); intakeUrl: the public port (/ingest)
  url: string;
  intakeUrl: string;
  peakRssBytes(): number;
  // user + system CPU seconds the service used so far (all its threads)
  cpuSeconds(): number;
  stop(): Promise<void>;
}

// Free ports picked by the kernel: other benchmarks (the gateway's suite on 41xx+offset) may run
// at the same time on this machine.
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startService(env: Record<string, string>): Promise<Service> {
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // Not the suite's --max-semi-space-size=32: measured here, it costs ingestion (three isolates)
  // about 100 MB of RSS for no throughput (its parse workers size their own young generation).
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, path.join(distDir(), 'services', 'ingestion', 'src', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_SERVICE_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  const intakeUrl = `http://127.0.0.1:${env.PUBLIC_PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ingestion exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('ingestion was not ready within 60 s');
    await sleep(100);
  }
  // VmHWM: the process's peak resident set size, kept by the kernel.
  const peakRssBytes = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { child, url, intakeUrl, peakRssBytes, cpuSeconds, stop };
}

async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

async function seed(natsUrl: string, namespace: string, customerId: string): Promise<void> {
  const nc = await connect({ servers: new URL(natsUrl).host });
  const js = nc.jetstream();
  const send = async <T>(def: EventDefinition<T>, body: T) => {
    const eventId = randomUUID();
    const envelope = { eventId, subject: def.subject, occurredAt: new Date().toISOString(), customerId, body };
    await js.publish(`${namespace}.${def.subject}`, Buffer.from(JSON.stringify(envelope)), { msgID: eventId });
  };
  await send(CustomerUpserted, { customerId, partnerId: null, name: 'Bench customer' });
  await send(ContractActivated, {
    contractId: randomUUID(),
    customerId,
    partnerId: null,
    plan: 'INTEGRATED_MANAGEMENT',
    serviceHours: 'ALWAYS',
    options: [],
    livenessMonitoring: true,
    monitoredProducts: [],
    escalationContacts: [],
    isolationPreApproved: false,
    logRetentionMonths: 3,
    status: 'active',
    startDate: '2026-11-01',
    endDate: null,
  });
  await nc.close();
}

async function registerSensors(url: string, customerId: string): Promise<Sensor[]> {
  const admin = await signDevToken({ sub: 'bench', role: 'provider_admin' }, SECRET, 3600);
  const out: Sensor[] = [];
  for (const feed of feeds()) {
    for (let attempt = 0; ; attempt++) {
      try {
        const { registerSensor } = await gql<{ registerSensor: { sensor: { id: string }; ingestToken: string } }>(
          url,
          admin,
          'mutation($i: RegisterSensorInput!) { registerSensor(input: $i) { sensor { id } ingestToken } }',
          { i: { customerId, product: feed.product, name: `bench ${feed.product}`, allowedSourceIps: [feed.source] } },
        );
        out.push({ feed, sensorId: registerSensor.sensor.id, token: registerSensor.ingestToken });
        break;
      } catch (err) {
        // the contract arrives through NATS
        if (attempt > 200) throw err;
        await sleep(100);
      }
    }
  }
  return out;
}

// How many events each sensor sends out of `total`, by weight.
function shares(sensors: Sensor[], total: number): number[] {
  const counts = sensors.map((s) => Math.floor(total * s.feed.weight));
  counts[0] += total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

async function storedCount(db: Client, transport: string): Promise<number> {
  const [row] = (await db.query(`SELECT count(*)::int AS n FROM ingestion.raw_event WHERE transport = $1`, [transport])).rows;
  return row.n;
}

// Records the service counts once their transaction committed (kanshi_ingest_records_total);
// polling the table with count(*) instead would cost PostgreSQL more than the inserts.
async function committedCount(url: string, transport: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^kanshi_ingest_records_total\{([^}]*)\} (\d+)/gm)) if (m[1].includes(`transport="${transport}"`)) n += Number(m[2]);
  return n;
}

async function waitCommitted(url: string, transport: string, expected: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await committedCount(url, transport);
    if (n >= expected) return;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${expected} ${transport} events stored`);
    await sleep(200);
  }
}

// The load is built before the clock starts, so the generator does not compete with the
// service for the two cores.
interface SyslogLoad {
  sensor: Sensor;
  chunks: Buffer[];
}

function syslogLoad(sensors: Sensor[], total: number, offset: number): SyslogLoad[] {
  const counts = shares(sensors, total);
  return sensors.map((sensor, i) => {
    const chunks: Buffer[] = [];
    for (let n = 0; n < counts[i]; n += 500) {
      const lines: string[] = [];
      for (let k = n; k < Math.min(counts[i], n + 500); k++) lines.push(sensor.feed.line(offset + k));
      chunks.push(Buffer.from(`${lines.join('\n')}\n`));
    }
    return { sensor, chunks };
  });
}

// One TCP connection per sensor, written as fast as flow control lets it.
async function sendSyslog(port: number, load: SyslogLoad[]): Promise<void> {
  await Promise.all(
    load.map(
      ({ sensor, chunks }) =>
        new Promise<void>((resolve, reject) => {
          const socket = net.connect({ host: '127.0.0.1', port, localAddress: sensor.feed.source });
          socket.on('error', reject);
          socket.on('connect', () => {
            void (async () => {
              for (const chunk of chunks) if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
              socket.end(() => resolve());
            })().catch(reject);
          });
        }),
    ),
  );
}

interface HttpJob {
  sensor: Sensor;
  lines: number;
  body: Buffer;
}

function httpsLoad(sensors: Sensor[], total: number, offset: number): HttpJob[] {
  const counts = shares(sensors, total);
  const jobs: HttpJob[] = [];
  sensors.forEach((sensor, i) => {
    for (let n = 0; n < counts[i]; n += HTTP_BATCH) {
      const lines: string[] = [];
      for (let k = n; k < Math.min(counts[i], n + HTTP_BATCH); k++) lines.push(sensor.feed.line(offset + k));
      jobs.push({ sensor, lines: lines.length, body: Buffer.from(lines.join('\n')) });
    }
  });
  // interleave the sensors, as concurrent senders would
  return jobs.sort((a, b) => (a.body.length * 7919 + a.lines) % 101 - ((b.body.length * 7919 + b.lines) % 101));
}

async function sendHttps(url: string, jobs: HttpJob[], latencies: number[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const started = performance.now();
        const res = await fetch(`${url}/ingest/v1/sensors/${job.sensor.sensorId}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${job.sensor.token}`, 'content-type': 'text/plain' },
          body: job.body,
        });
        const body = (await res.json()) as { accepted?: number };
        latencies.push(performance.now() - started);
        if (res.status !== 200 || body.accepted !== job.lines) throw new Error(`HTTPS batch answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      }
    }),
  );
}

// The rows as the service stores them, for the baselines.
interface Row {
  receivedAt: string;
  occurredAt: string;
  customerId: string;
  sensorId: string;
  product: string;
  kind: string;
  severity: number;
  raw: string;
}

function baselineRows(sensors: Sensor[], customerId: string, total: number): Row[] {
  const counts = shares(sensors, total);
  const now = new Date().toISOString();
  const rows: Row[] = [];
  sensors.forEach((s, i) => {
    for (let n = 0; n < counts[i]; n++) rows.push({ receivedAt: now, occurredAt: now, customerId, sensorId: s.sensorId, product: s.feed.product, kind: 'event', severity: 0, raw: s.feed.line(n) });
  });
  return rows;
}

const COLUMNS = 'received_at, retention_months, occurred_at, customer_id, sensor_id, product, transport, kind, severity, raw';

// COPY FROM STDIN through psql, the standard way to load rows into PostgreSQL. The COPY text is
// built before the clock starts, as the service's load is; the median of three runs.
async function copyBaseline(databaseUrl: string, rows: Row[]): Promise<number> {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const chunks: Buffer[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    chunks.push(
      Buffer.from(
        rows
          .slice(i, i + 5000)
          .map((r) => `${r.receivedAt}\t3\t${r.occurredAt}\t${r.customerId}\t${r.sensorId}\t${r.product}\tcopy\t${r.kind}\t${r.severity}\t${esc(r.raw)}\n`)
          .join(''),
      ),
    );
  }
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const psql = spawn('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy ingestion.raw_event (${COLUMNS}) FROM STDIN`], { stdio: ['pipe', 'ignore', 'inherit'] });
    const done = new Promise<void>((resolve, reject) => psql.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`)))));
    for (const chunk of chunks) if (!psql.stdin.write(chunk)) await new Promise((r) => psql.stdin.once('drain', r));
    psql.stdin.end();
    await done;
    rates.push(rows.length / ((performance.now() - started) / 1000));
  }
  return rates.sort((x, y) => x - y)[1];
}

// The service's statement (arrays unnested by the server), 1000-row batches from one client.
async function unnestBaseline(db: Client, rows: Row[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) {
    const b = rows.slice(i, i + 1000);
    await db.query(
      `INSERT INTO ingestion.raw_event (${COLUMNS})
       SELECT t.r, 3, t.o, $1, $2, $3, 'unnest', t.k, t.s, t.raw FROM unnest($4::timestamptz[], $5::timestamptz[], $6::text[], $7::int2[], $8::text[]) AS t(r, o, k, s, raw)`,
      [b[0].customerId, b[0].sensorId, b[0].product, b.map((r) => r.receivedAt), b.map((r) => r.occurredAt), b.map((r) => r.kind), b.map((r) => r.severity), b.map((r) => r.raw)],
    );
  }
  return rows.length / ((performance.now() - started) / 1000);
}

// CPU seconds (user + system) used so far by every process named `comm` (PostgreSQL's backends,
// the NATS server): what the service's work costs outside its own process. A backend that has
// exited (psql's, after its COPY) is counted through its parent's reaped-children times.
export function cpuSecondsOf(comm: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== comm) continue;
      const fields = stat.slice(close + 2).split(' ');
      // utime, stime, and cutime, cstime of the children it has waited for
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100;
}

interface CpuShares {
  service: number;
  postgres: number;
  nats: number;
}

// The CPU one thread spends parsing, normalizing and serializing the same mix (parseBatch, what
// a parse worker runs per batch), in this process, median of three passes after a warm-up: the
// part of intake's cost no storage design removes.
function parseCpuPerEvent(sensors: Sensor[], customerId: string, total: number): number {
  const counts = shares(sensors, total);
  const jobs = sensors.flatMap((s, i) => {
    const out = [];
    for (let n = 0; n < counts[i]; n += 1000) {
      const lines: Buffer[] = [];
      for (let k = n; k < Math.min(counts[i], n + 1000); k++) lines.push(Buffer.from(s.feed.line(30_000_000 + k)));
      out.push({ sensor: s, lines });
    }
    return out;
  });
  const pass = () => {
    for (const { sensor, lines } of jobs) {
      const ends = new Uint32Array(lines.length);
      let at = 0;
      lines.forEach((l, i) => (ends[i] = at += l.length));
      parseBatch({
        product: sensor.feed.product as Parameters<typeof parseBatch>[0]['product'],
        timeZone: 'Asia/Tokyo',
        input: { kind: 'frames', data: Buffer.concat(lines), ends, receivedAt: new Float64Array(lines.length).fill(Date.now()) },
        logs: { subject: 'logs.received', sensorId: sensor.sensorId, customerId, maxPayloadBytes: 8 * 1024 * 1024 },
        store: { transport: 'tcp', retentionMonths: 3 },
      });
    }
  };
  pass();
  const runs = [0, 1, 2].map(() => {
    const before = process.cpuUsage();
    pass();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / total;
  });
  return runs.sort((a, b) => a - b)[1];
}

function cpuMeter(svc: Service): () => CpuShares {
  const before = { service: svc.cpuSeconds(), postgres: cpuSecondsOf('postgres'), nats: cpuSecondsOf('nats-server') };
  return () => ({ service: svc.cpuSeconds() - before.service, postgres: cpuSecondsOf('postgres') - before.postgres, nats: cpuSecondsOf('nats-server') - before.nats });
}

const perEvent = (seconds: number) => ((seconds * 1e6) / EVENTS).toFixed(0);
const cpuText = (c: CpuShares) => `CPU per event: service ${perEvent(c.service)} us, PostgreSQL ${perEvent(c.postgres)} us, NATS ${perEvent(c.nats)} us`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

// p99 of the service's batch commit time for one transport, from its Prometheus histogram.
async function batchP99FromMetrics(url: string, transport: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets: [number, number][] = [];
  for (const m of text.matchAll(new RegExp(`kanshi_ingest_batch_seconds_bucket\\{[^}]*le="([^"]+)"[^}]*transport="${transport}"[^}]*\\} (\\d+)|kanshi_ingest_batch_seconds_bucket\\{[^}]*transport="${transport}"[^}]*le="([^"]+)"[^}]*\\} (\\d+)`, 'g'))) {
    const le = m[1] ?? m[3];
    buckets.push([le === '+Inf' ? Infinity : Number(le), Number(m[2] ?? m[4])]);
  }
  if (buckets.length === 0) return NaN;
  const total = buckets.find(([le]) => le === Infinity)?.[1] ?? 0;
  return (buckets.sort((a, b) => a[0] - b[0]).find(([, n]) => n >= total * 0.99)?.[0] ?? NaN) * 1000;
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const dbUrl = withDatabase(infra.databaseUrl, `kanshi_bench_${randomBytes(4).toString('hex')}`);
  const namespace = `benchingest${randomBytes(3).toString('hex')}`;
  await ensureDatabase(dbUrl);
  await migrateSchema(dbUrl, 'ingestion');
  const [httpPort, syslogPort] = [await freePort(), await freePort()];
  const svc = await startService({
    NODE_ENV: 'development',
    PORT: String(httpPort),
    PUBLIC_PORT: String(await freePort()),
    DATABASE_URL: dbUrl,
    NATS_URL: infra.natsUrl,
    NATS_NAMESPACE: namespace,
    JWT_SECRET: SECRET,
    AUTH_MODE: 'hs256',
    LOG_LEVEL: 'warn',
    SYSLOG_HOST: '127.0.0.1',
    SYSLOG_TCP_PORT: String(syslogPort),
    // the simulated devices send from loopback addresses of their own
    INTAKE_ALLOW_LOOPBACK_SOURCES: 'true',
    INGEST_MAX_BODY_BYTES: String(16 * 1024 * 1024),
    INGEST_RATE_PER_SENSOR: '10000000',
    INGEST_BURST_PER_SENSOR: '100000000',
    ...(process.env.BENCH_PARSE_WORKERS ? { INGEST_PARSE_WORKERS: process.env.BENCH_PARSE_WORKERS } : {}),
  });
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const customerId = randomUUID();
    await seed(infra.natsUrl, namespace, customerId);
    const sensors = await registerSensors(svc.url, customerId);
    console.log(`ingest benchmark: ${EVENTS} events per transport from ${sensors.length} sensors (${MIX}), ${ALERT_SHARE}`);

    // Warm-up (JIT, pools, partitions), not measured.
    await sendSyslog(syslogPort, syslogLoad(sensors, 20_000, 10_000_000));
    await sendHttps(svc.intakeUrl, httpsLoad(sensors, 20_000, 20_000_000), []);
    await waitCommitted(svc.url, 'tcp', 20_000);

    const tcpBefore = await committedCount(svc.url, 'tcp');
    const syslog = syslogLoad(sensors, EVENTS, 0);
    let meter = cpuMeter(svc);
    let started = performance.now();
    await sendSyslog(syslogPort, syslog);
    await waitCommitted(svc.url, 'tcp', tcpBefore + EVENTS);
    const syslogSeconds = (performance.now() - started) / 1000;
    const syslogRate = EVENTS / syslogSeconds;
    const syslogCpu = meter();
    const syslogBatchP99 = await batchP99FromMetrics(svc.url, 'tcp');
    console.log(`  syslog TCP   ${syslogRate.toFixed(0).padStart(7)} events/s  (${syslogSeconds.toFixed(1)} s; p99 batch store <= ${syslogBatchP99} ms; ${cpuText(syslogCpu)})`);

    const latencies: number[] = [];
    const https = httpsLoad(sensors, EVENTS, 1_000_000);
    meter = cpuMeter(svc);
    started = performance.now();
    await sendHttps(svc.intakeUrl, https, latencies);
    const httpsSeconds = (performance.now() - started) / 1000;
    const httpsRate = EVENTS / httpsSeconds;
    const httpsCpu = meter();
    const httpsP99 = percentile(latencies, 99);
    console.log(
      `  HTTPS batch  ${httpsRate.toFixed(0).padStart(7)} events/s  (${httpsSeconds.toFixed(1)} s; ${HTTP_BATCH} lines per request, ${HTTP_CONCURRENCY} in flight; ack p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${httpsP99.toFixed(0)} ms; ${cpuText(httpsCpu)})`,
    );
    const peakRss = svc.peakRssBytes();
    const stored = { tcp: await storedCount(db, 'tcp'), https: await storedCount(db, 'https') };
    if (stored.tcp !== EVENTS + 20_000 || stored.https !== EVENTS + 20_000) throw new Error(`stored ${JSON.stringify(stored)}, expected ${EVENTS + 20_000} each`);
    // every alert line is a new alert (the load varies the vendor ids), none a repeat
    const [alerts] = (await db.query(`SELECT count(*)::int AS n, coalesce(sum(repeat_count), 0)::int AS seen FROM ingestion.alert`)).rows;
    if (alerts.n !== alerts.seen) throw new Error(`${alerts.seen - alerts.n} alert lines were counted as repeats; the load should make each alert new`);
    console.log(`  stored ${stored.tcp + stored.https} raw events and ${alerts.n} alerts; service peak RSS ${(peakRss / 1024 ** 2).toFixed(0)} MB`);

    const rows = baselineRows(sensors, customerId, EVENTS);
    const pgBefore = cpuSecondsOf('postgres');
    const copyRate = await copyBaseline(dbUrl, rows);
    // three runs of EVENTS rows
    const copyPgUsPerRow = ((cpuSecondsOf('postgres') - pgBefore) * 1e6) / (3 * EVENTS);
    const copyPgUs = copyPgUsPerRow.toFixed(0);
    const unnestRate = await unnestBaseline(db, rows);
    // The least CPU an event can cost here whatever the storage design: parsing and serializing
    // it, PostgreSQL's COPY of its row, JetStream's storing of its record; two cores divided by it.
    const parseUs = parseCpuPerEvent(sensors, customerId, 20_000);
    const natsUs = (syslogCpu.nats * 1e6) / EVENTS;
    const floorUs = parseUs + copyPgUsPerRow + natsUs;
    const ceiling = (availableParallelism() * 1e6) / floorUs;
    const ceilingText = `ceiling: parsing and serializing alone take ${parseUs.toFixed(0)} us of CPU per event (one thread, same mix); with PostgreSQL's COPY of the row (${copyPgUsPerRow.toFixed(0)} us) and JetStream's storing of the record (${natsUs.toFixed(0)} us) that is ${floorUs.toFixed(0)} us before any socket I/O, alert or GC: at most ${ceiling.toFixed(0)} events/s on ${availableParallelism()} cores, ${(ceiling / copyRate).toFixed(2)} of the COPY baseline`;
    console.log(`  baseline: COPY (psql \\copy) ${copyRate.toFixed(0)} rows/s (PostgreSQL CPU ${copyPgUs} us/row); unnest INSERT, 1000-row batches, one client ${unnestRate.toFixed(0)} rows/s`);
    const ratios = [
      `syslog TCP / COPY baseline: ${(syslogRate / copyRate).toFixed(2)} (target >= 0.5)`,
      `HTTPS / COPY baseline: ${(httpsRate / copyRate).toFixed(2)} (target >= 0.5)`,
      `targets: >= 20,000 events/s sustained (syslog ${syslogRate >= 20_000 ? 'met' : 'NOT met'}, HTTPS ${httpsRate >= 20_000 ? 'met' : 'NOT met'}); peak RSS < 512 MB (${peakRss < 512 * 1024 ** 2 ? 'met' : 'NOT met'})`,
    ];
    ratios.forEach((l) => console.log(`  ${l}`));
    console.log(`  ${ceilingText}`);
    appendBenchmark('ingest', [
      `Run ${new Date().toISOString().slice(0, 10)} on this 2-core machine: ${EVENTS} events per transport, mixed vendor lines (${MIX}; ${ALERT_SHARE}, each new), ingestion as its own process (default V8 young generation for the main thread) with ${process.env.BENCH_PARSE_WORKERS ? `${process.env.BENCH_PARSE_WORKERS} parse workers (BENCH_PARSE_WORKERS)` : `its default parse workers (${Math.min(8, Math.max(2, availableParallelism() - 1))})`}; figures from the first line sent until every event was durably stored; the load is generated before the clock starts.`,
      '',
      table(
        ['case', 'events/s', 'acknowledgement latency', 'ratio to COPY'],
        [
          ['syslog TCP, 4 connections', syslogRate.toFixed(0), `p99 batch store <= ${syslogBatchP99} ms (no ack in syslog)`, (syslogRate / copyRate).toFixed(2)],
          [`HTTPS, ${HTTP_BATCH} lines per request, ${HTTP_CONCURRENCY} in flight`, httpsRate.toFixed(0), `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${httpsP99.toFixed(0)} ms`, (httpsRate / copyRate).toFixed(2)],
          ['baseline: COPY FROM STDIN (psql \\copy), raw rows only', copyRate.toFixed(0), '-', '1.00'],
          ['baseline: unnest INSERT, 1000-row batches, one client', unnestRate.toFixed(0), '-', (unnestRate / copyRate).toFixed(2)],
        ],
      ),
      '',
      `- service peak RSS (VmHWM): ${(peakRss / 1024 ** 2).toFixed(0)} MB (target < 512 MB)`,
      `- CPU per event: syslog: ${cpuText(syslogCpu).replace('CPU per event: ', '')}; HTTPS: ${cpuText(httpsCpu).replace('CPU per event: ', '')}; the COPY baseline's PostgreSQL: ${copyPgUs} us per row. Load average at the end ${loadavg()[0].toFixed(2)} (other work on the machine skews the rates)`,
      ...ratios.map((r) => `- ${r}`),
      `- ${ceilingText}`,
      '- where the time goes: the parse workers read every line, normalize it to ECS (`npm run bench -- parse`), serialize the document for logs.received and write the COPY rows; the main thread streams the rows to PostgreSQL (COPY) and the messages to JetStream and runs the alert upserts and the outbox relay; V8 collects garbage on its helper threads. The COPY baseline writes pre-built rows of the raw table only, with no parsing, alerts, outbox or JetStream; everything shares the two cores with the load generator.',
    ]);
  } finally {
    await db.end().catch(() => undefined);
    await svc.stop();
    await dropDatabase(dbUrl).catch(() => undefined);
    const nc = await connect({ servers: new URL(infra.natsUrl).host }).catch(() => null);
    if (nc) {
      const jsm = await nc.jetstreamManager();
      for await (const s of jsm.streams.list()) if (s.config.name.startsWith(`${namespace}_`)) await jsm.streams.delete(s.config.name);
      await nc.close();
    }
    await infra.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
