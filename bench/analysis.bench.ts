// `npm run bench -- analysis`: alerts per second through the analysis service end to end, from
// the AlertReceived event on JetStream until its verdict row and its outbox row (v2) are
// committed in PostgreSQL, and the per-alert latency at a steady 1,000 alerts/s. The service runs
// as its own process on a throwaway database and NATS namespace, with the shipped rule pack plus
// 200 generated Sigma rules, IOC lists (10,000 global indicators and a customer list), one
// customer's suppression, and VirusTotal (the fake server) answered from its cache. Baseline in the
// same run: the same alerts on the same stream consumed and committed by a batched consumer with
// an empty handler (no analysis), as `npm run bench -- consume` measures it; and the floor: that
// consumer writing only a verdict row and an outbox row per alert (copies of the run's verdicts)
// with the relay publishing them, what the target's writes cost before any analysis.
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { signDevToken } from '@kanshi/auth';
import { dropDatabase, ensureDatabase, messagingTablesV1, messagingTablesV2, migrateSchema, withDatabase } from '@kanshi/database';
import { VerdictIssuedV2, AlertReceived, AlertReceivedBody, CustomerUpserted, EventEnvelope, SensorProductCode } from '@kanshi/events';
import { ConsumerHost, NatsBus, Outbox, OutboxRelay, outboxChannel } from '@kanshi/messaging';
import { metricsRegistry } from '@kanshi/observability';
import { FAKE_VIRUSTOTAL_API_KEY, FakeVirusTotalServer } from '@kanshi/testing';
import { ensureInfra } from '../scripts/infra';
import { distDir } from '../scripts/services';
import { parseRecord } from '../services/ingestion/src/parsers/parse';
import type { NormalizedEvent } from '../services/ingestion/src/parsers/types';
import { cpuSecondsOf, freePort } from './ingest.bench';
import { appendBenchmark, table } from './report';

const SECRET = 'bench-secret-bench-secret-bench-secret';
const ALERTS = Number(process.env.BENCH_ALERTS ?? 50_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
// a second steady phase below the service's capacity: the pipeline's latency without a backlog
const LOW_RATE = Number(process.env.BENCH_LOW_RATE ?? 250);
const LOW_SECONDS = Number(process.env.BENCH_LOW_SECONDS ?? 10);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 20);
const GENERATED_RULES = Number(process.env.BENCH_RULES ?? 200);
const INDICATORS = Number(process.env.BENCH_INDICATORS ?? 10_000);
const CUSTOMERS = 5;
const HOSTS_PER_CUSTOMER = 400;
const SAMPLE_FILES = 60;
const TARGET_RATE = 5000;
const TARGET_P99_MS = 100;

// The alert products of the mix and their shares: firewalls' IPS/threat alerts, FireEye NX, EDR
// detections (hashes, command lines) and antivirus.
const MIX: [SensorProductCode, number][] = [
  ['FORTIGATE', 0.25],
  ['PALO_ALTO', 0.25],
  ['FIREEYE_NX', 0.1],
  ['CROWDSTRIKE_FALCON', 0.1],
  ['CARBON_BLACK', 0.05],
  ['CYBEREASON', 0.05],
  ['FIREEYE_HX', 0.05],
  ['SYMANTEC_SEP', 0.08],
  ['TREND_MICRO', 0.07],
];
const MIX_TEXT = MIX.map(([p, w]) => `${p} ${Math.round(w * 100)}%`).join(', ');

type Obj = Record<string, unknown>;
type Envelope = EventEnvelope<AlertReceivedBody>;

interface Service {
  child: ChildProcess;
  url: string;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function startService(env: Record<string, string>): Promise<Service> {
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, path.join(distDir(), 'services', 'analysis', 'src', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_SERVICE_LOG ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`analysis exited with ${child.exitCode}`);
    if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('analysis was not ready within 60 s');
    await sleep(100);
  }
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
  return { child, url, cpuSeconds, stop };
}

async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data as T;
}

// ----- the rules, IOCs and suppression -----

const FIELDS_BY_KIND: Record<string, { product: string; items: ((k: number) => string)[] }> = {
  windows: {
    product: 'windows',
    items: [
      (k) => `process.command_line|contains: ['-bench-marker-${k} ', 'invoke-benchpayload${k}']`,
      (k) => `process.name|startswith: 'benchtool${k}'`,
      (k) => `process.executable|re: '(?i)\\\\temp\\\\bench${k}[a-z]{3}\\.exe$'`,
      (k) => `file.name|endswith: ['.bench${k}', '.lock${k}x']`,
      (k) => `user.name|startswith: 'svc-bench${k}'`,
      (k) => `process.parent.name: 'benchparent${k}.exe'`,
    ],
  },
  fortinet: {
    product: 'fortinet',
    items: [
      (k) => `destination.ip|cidr: '198.18.${k % 250}.0/24'`,
      (k) => `rule.name|contains: 'BenchSig.${k}'`,
      (k) => `url.original|re: '^https?://bench${k}\\.example/'`,
      (k) => `source.port: ${60000 + k}`,
    ],
  },
  paloalto: {
    product: 'paloalto',
    items: [
      (k) => `destination.ip|cidr: ['203.0.${k % 250}.128/25', '2001:db8:${k.toString(16)}::/48']`,
      (k) => `rule.name|startswith: 'bench-threat-${k}'`,
      (k) => `url.domain|endswith: '.bench${k}.invalid'`,
      (k) => `destination.port: ${50000 + k}`,
    ],
  },
  fireeye: {
    product: 'fireeye',
    items: [
      (k) => `rule.name|contains: 'Bench.Callback.${k}'`,
      (k) => `destination.ip|cidr: '100.64.${k % 250}.0/24'`,
      (k) => `url.original|contains: '/bench-gate-${k}.php'`,
    ],
  },
  antivirus: {
    product: 'symantec',
    items: [(k) => `file.path|contains: '\\\\benchdrop${k}\\\\'`, (k) => `rule.name|startswith: 'Bench.Trojan.${k}'`, (k) => `host.name|re: '^benchhost${k}-[0-9]+$'`],
  },
};

function generatedRule(n: number): string {
  const kinds = Object.keys(FIELDS_BY_KIND);
  const kind = FIELDS_BY_KIND[kinds[n % kinds.length]];
  const product = kind.product === 'symantec' && n % 2 ? 'trendmicro' : kind.product;
  const a = kind.items[n % kind.items.length](n);
  const b = kind.items[(n + 1) % kind.items.length](n + 1000);
  const level = ['low', 'medium', 'high', 'critical'][n % 4];
  const condition = n % 3 === 0 ? 'first and second' : n % 3 === 1 ? 'first or second' : 'first and not second';
  return [
    `title: Bench generated rule ${n} (${product})`,
    `id: ${uuidOf(`rule-${n}`)}`,
    'status: experimental',
    `description: Generated for the analysis benchmark; matches no sample alert.`,
    `level: ${level}`,
    `tags: [attack.t${1000 + (n % 600)}]`,
    `logsource: { product: ${product} }`,
    'detection:',
    '  first:',
    `    ${a}`,
    '  second:',
    `    ${b}`,
    `  condition: ${condition}`,
    '',
  ].join('\n');
}

function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function configure(url: string, customers: string[]): Promise<{ suppressedCustomer: string; suppressedHost: string }> {
  const admin = await signDevToken({ sub: 'bench', role: 'provider_admin' }, SECRET, 3600);
  for (let n = 0; n < GENERATED_RULES; n++) {
    await gql(url, admin, `mutation($i: CreateDetectionRuleInput!) { createDetectionRule(input: $i) { id } }`, { i: { yaml: generatedRule(n) } });
  }
  // A global feed (10,000 indicators over addresses, domains and hashes, none of the sample's)
  // and a small list per customer with some of the addresses the load uses.
  const lines = ['type,value'];
  for (let i = 0; i < INDICATORS; i++) {
    const kind = i % 4;
    if (kind === 0) lines.push(`ipv4,198.19.${(i >> 8) & 255}.${i & 255}`);
    else if (kind === 1) lines.push(`domain,c2-${i}.bench.invalid`);
    else if (kind === 2) lines.push(`sha256,${createHash('sha256').update(`ioc-${i}`).digest('hex')}`);
    else lines.push(`md5,${createHash('md5').update(`ioc-${i}`).digest('hex')}`);
  }
  for (let from = 1; from < lines.length; from += 5000) {
    const content = [lines[0], ...lines.slice(from, from + 5000)].join('\n');
    await gql(url, admin, `mutation($i: ImportIocsInput!) { importIocs(input: $i) { listId } }`, { i: { name: 'bench global feed', source: 'BENCH', tlp: 'GREEN', defaultConfidence: 60, format: 'CSV', content } });
  }
  for (const [c, customerId] of customers.entries()) {
    const own = ['type,value', ...Array.from({ length: 200 }, (_, i) => `ipv4,203.0.113.${i}`), `ipv4,192.0.2.${10 + c}`];
    // the customers arrive through NATS
    for (let attempt = 0; ; attempt++) {
      try {
        await gql(url, admin, `mutation($i: ImportIocsInput!) { importIocs(input: $i) { listId } }`, { i: { name: `bench c2 ${c}`, customerId, source: 'BENCH', tlp: 'AMBER', defaultConfidence: 90, format: 'CSV', content: own.join('\n') } });
        break;
      } catch (err) {
        if (attempt > 300) throw err;
        await sleep(100);
      }
    }
  }
  // Customer 0 silences one noisy host (a vulnerability scanner).
  const suppressedHost = 'pc-10.c0.bench.example';
  await gql(url, admin, `mutation($i: CreateSuppressionInput!) { createSuppression(input: $i) { id } }`, {
    i: { customerId: customers[0], match: [{ field: 'host.name', equals: suppressedHost }], from: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: 'bench: the vulnerability scanner' },
  });
  return { suppressedCustomer: customers[0], suppressedHost };
}

// ----- the alerts -----

function setPath(o: Obj, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = o;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null || Array.isArray(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  node[keys[keys.length - 1]] = value;
}

function getPath(o: Obj, dotted: string): unknown {
  let node: unknown = o;
  for (const k of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Obj)[k];
  }
  return node;
}

interface Template {
  product: SensorProductCode;
  event: NormalizedEvent;
}

// The project's vendor samples of the mix's products (a JSON document is one record, a log file
// one per line), through ingestion's parsers: the ECS documents ingestion puts in AlertReceived.
const SAMPLES: Record<string, SensorProductCode> = {
  'fortigate-utm.log': 'FORTIGATE',
  'fortigate-more.log': 'FORTIGATE',
  'paloalto-threat.log': 'PALO_ALTO',
  'paloalto-panos10.log': 'PALO_ALTO',
  'fireeye-cef.log': 'FIREEYE_NX',
  'fireeye-nx-extended.json': 'FIREEYE_NX',
  'fireeye-nx-text-normal.txt': 'FIREEYE_NX',
  'crowdstrike-detection-summary.json': 'CROWDSTRIKE_FALCON',
  'crowdstrike-epp-alert.json': 'CROWDSTRIKE_FALCON',
  'carbonblack-alert-v7.json': 'CARBON_BLACK',
  'carbonblack-watchlist-v7.json': 'CARBON_BLACK',
  'cybereason-malop.json': 'CYBEREASON',
  'fireeye-hx.json': 'FIREEYE_HX',
  'symantec-sep.log': 'SYMANTEC_SEP',
  'symantec-sep-more.log': 'SYMANTEC_SEP',
  'trendmicro-cef.log': 'TREND_MICRO',
  'trendmicro-leef.log': 'TREND_MICRO',
};

function templates(): Template[] {
  const dir = path.join(path.resolve(distDir(), '..'), 'services', 'ingestion', 'src', 'parsers', '__fixtures__');
  const out: Template[] = [];
  for (const [file, product] of Object.entries(SAMPLES)) {
    const text = readFileSync(path.join(dir, file), 'utf8').trim();
    const records = file.endsWith('.json') ? [text] : text.split(/\r?\n/).filter((l) => l.trim() !== '');
    for (const record of records) {
      const parsed = parseRecord(product, record, { timeZone: 'Asia/Tokyo', receivedAt: new Date() });
      if (parsed.ok) for (const event of parsed.events) if (event.kind === 'alert') out.push({ product, event });
    }
  }
  for (const [product] of MIX) if (!out.some((t) => t.product === product)) throw new Error(`no ${product} alert among the vendor samples`);
  return out;
}

interface Load {
  envelopes: Envelope[];
  hashes: { md5: string; sha1: string; sha256: string }[];
}

// n alerts, each new (its own alert id), varied hosts, addresses and sample hashes.
function buildAlerts(total: number, customers: string[], sensors: Map<string, string>, hashes: Load['hashes'], seed: number): Envelope[] {
  const all = templates();
  const byProduct = new Map<SensorProductCode, Template[]>();
  for (const t of all) byProduct.set(t.product, [...(byProduct.get(t.product) ?? []), t]);
  const picks: SensorProductCode[] = [];
  for (const [p, w] of MIX) for (let i = 0; i < Math.round(w * 100); i++) picks.push(p);
  const out: Envelope[] = [];
  for (let n = 0; n < total; n++) {
    const i = seed + n;
    const product = picks[(i * 37) % picks.length];
    const list = byProduct.get(product)!;
    const t = list[i % list.length];
    const c = i % customers.length;
    const customerId = customers[c];
    const ecs = structuredClone(t.event.ecs) as Obj;
    const host = (i * 7919) % HOSTS_PER_CUSTOMER;
    const ip = `10.${c}.${(host >> 8) & 255}.${host & 255}`;
    if (getPath(ecs, 'host')) {
      setPath(ecs, 'host.name', `pc-${host}.c${c}.bench.example`);
      setPath(ecs, 'host.ip', [ip]);
    }
    if (getPath(ecs, 'source.ip') !== undefined) setPath(ecs, 'source.ip', ip);
    if (getPath(ecs, 'destination.ip') !== undefined) {
      // 1 in 50 talks to an address on the customer's IOC list
      setPath(ecs, 'destination.ip', i % 50 === 0 ? `203.0.113.${i % 200}` : `198.51.100.${i % 254}`);
    }
    const h = hashes[i % hashes.length];
    for (const f of ['file.hash', 'process.hash']) {
      const present = getPath(ecs, f) as Obj | undefined;
      if (!present || typeof present !== 'object') continue;
      for (const alg of ['md5', 'sha1', 'sha256'] as const) if (present[alg] !== undefined) present[alg] = h[alg];
    }
    const at = new Date(Date.now() - 60_000 + (n % 60_000)).toISOString();
    const event = t.event;
    const severity = typeof getPath(ecs, 'event.severity') === 'number' ? (getPath(ecs, 'event.severity') as number) : 47;
    out.push({
      eventId: randomUUID(),
      subject: AlertReceived.subject,
      occurredAt: at,
      customerId,
      body: {
        alertId: randomUUID(),
        sensorId: sensors.get(`${customerId}|${product}`)!,
        product,
        occurredAt: at,
        receivedAt: at,
        ruleName: event.ruleName,
        vendorSeverity: event.vendorSeverity,
        severity: Math.max(0, Math.min(100, Math.round(severity))),
        blocked: event.blocked,
        groupKey: event.groupKey,
        repeatCount: 1,
        ecs,
      },
    });
  }
  return out;
}

// ----- measuring -----

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function publishAll(bus: NatsBus, envelopes: Envelope[]): Promise<void> {
  const subject = bus.subjectOf(AlertReceived);
  const payloads = envelopes.map((e) => Buffer.from(JSON.stringify(e)));
  for (let i = 0; i < envelopes.length; i += 1000) {
    await Promise.all(payloads.slice(i, i + 1000).map((p, k) => bus.js.publish(subject, p, { msgID: envelopes[i + k].eventId })));
  }
}

async function counts(db: Client): Promise<{ verdicts: number; outbox: number }> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM analysis.verdict) AS verdicts, (SELECT count(*)::int FROM analysis.outbox WHERE subject LIKE 'analysis.verdict.issued.%') AS outbox`,
  );
  return rows[0];
}

// Alerts the service's consumer has committed and acked (it counts them after the commit);
// read from its /metrics, which costs PostgreSQL nothing, unlike a count(*) of growing tables.
async function committedAlerts(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^kanshi_events_processed_total\{([^}]*)\} (\d+)/gm)) if (m[1].includes('consumer="analysis-alerts"') && m[1].includes('outcome="ok"')) n += Number(m[2]);
  return n;
}

// Batches that failed twice (a deadlock between the batches in flight, say) and were applied alert by alert.
async function batchFallbacks(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = /^kanshi_event_batch_fallbacks_total\{[^}]*consumer="analysis-alerts"[^}]*\} (\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

// Until every alert is committed; then PostgreSQL must hold a verdict row for each and an
// outbox row (v2) for each verdict not suppressed.
async function waitAnalysed(url: string, db: Client, expected: number, timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await committedAlerts(url);
    if (n >= expected) break;
    if (Date.now() > deadline) throw new Error(`only ${n} of ${expected} alerts committed`);
    // /metrics renders every metric of the service: every 20 ms it cost the service ~2 % of its CPU
    await sleep(100);
  }
  const c = await counts(db);
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM analysis.verdict WHERE suppressed_by IS NULL`);
  if (c.verdicts !== expected || c.outbox !== rows[0].n) throw new Error(`${expected} alerts committed, but ${c.verdicts} verdicts and ${c.outbox} outbox rows for ${rows[0].n} not suppressed`);
}

interface CpuUse {
  service: number;
  postgres: number;
  nats: number;
}

function cpuMeter(svc: Service): () => CpuUse {
  const before = { service: svc.cpuSeconds(), postgres: cpuSecondsOf('postgres'), nats: cpuSecondsOf('nats-server') };
  return () => ({ service: svc.cpuSeconds() - before.service, postgres: cpuSecondsOf('postgres') - before.postgres, nats: cpuSecondsOf('nats-server') - before.nats });
}

// A steady `rate` alerts/s (all of `envelopes`); each alert's latency is from just before its publish
// until a poll (every few ms) sees its verdict row committed.
// The verdicts are looked for when the service commits a batch (the NOTIFY its outbox sends on
// commit) and at least every 25 ms: polling every 2 ms cost PostgreSQL about a sixth of a core,
// taken from the service being measured.
async function steady(bus: NatsBus, db: Client, dbUrl: string, envelopes: Envelope[], rate: number): Promise<number[]> {
  const subject = bus.subjectOf(AlertReceived);
  const payloads = envelopes.map((e) => Buffer.from(JSON.stringify(e)));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done = false;
  const listener = new Client({ connectionString: dbUrl });
  await listener.connect();
  let wake: (() => void) | null = null;
  listener.on('notification', () => wake?.());
  await listener.query(`LISTEN ${outboxChannel('analysis')}`);
  const committedOrTimeout = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 25);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const poller = (async () => {
    while (!done || sentAt.size) {
      const pending = [...sentAt.keys()];
      if (pending.length) {
        const { rows } = await db.query(`SELECT alert_id FROM analysis.verdict WHERE alert_id = ANY($1::uuid[])`, [pending]);
        const now = performance.now();
        for (const r of rows as { alert_id: string }[]) {
          latencies.push(now - sentAt.get(r.alert_id)!);
          sentAt.delete(r.alert_id);
        }
      }
      await committedOrTimeout();
    }
  })();
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < envelopes.length; i += perTick) {
    const due = started + (i / perTick) * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    for (let k = i; k < Math.min(envelopes.length, i + perTick); k++) {
      sentAt.set(envelopes[k].body.alertId, performance.now());
      inFlight.push(bus.js.publish(subject, payloads[k], { msgID: envelopes[k].eventId }));
    }
  }
  await Promise.all(inFlight);
  done = true;
  const deadline = Date.now() + 120_000;
  while (sentAt.size && Date.now() < deadline) await sleep(20);
  if (sentAt.size) throw new Error(`${sentAt.size} alerts of the steady phase got no verdict`);
  await poller;
  await listener.end();
  return latencies;
}

interface ConsumerRun {
  rate: number;
  // CPU seconds per alert: this process (consumer and, for the floor, relay), PostgreSQL, nats-server
  cpu: { consumer: number; postgres: number; nats: number };
}

// The writes the target asks for, with no analysis: what a batch must commit whatever the rules
// decide. Each alert gets a verdict row and a v2 outbox row copied from the verdicts the service
// wrote in this run (same sizes, same indexes), and the outbox relay publishes them to JetStream.
interface FloorSample {
  verdict: Record<string, unknown>;
  body: string;
}

// The baseline: the same stream, a batched consumer with an empty handler, in this process; with
// `floor`, the handler writes a verdict and an outbox row per alert and a relay publishes them.
async function baseline(dbUrl: string, natsUrl: string, namespace: string, total: number, floor?: FloorSample[], name = floor ? 'floor' : 'baseline'): Promise<ConsumerRun> {
  const ds = new DataSource({ type: 'postgres', url: dbUrl, poolSize: 4 });
  await ds.initialize();
  const bus = await NatsBus.connect({ url: natsUrl, name: 'bench-analysis-baseline', namespace });
  const schema = `bench_${name}`;
  const durable = `bench-${name}`;
  let relay: OutboxRelay | undefined;
  try {
    await ds.query(`CREATE SCHEMA ${schema}`);
    for (const sql of [...messagingTablesV1(schema).up, ...messagingTablesV2(schema).up]) await ds.query(sql);
    const host = new ConsumerHost(ds, bus, { schema });
    if (floor) {
      // the analysis schema's tables as they are (indexes, compression of the documents)
      await ds.query(`CREATE TABLE ${schema}.verdict (LIKE analysis.verdict INCLUDING ALL)`);
      const [{ m }] = await ds.query(`SELECT attcompression AS m FROM pg_attribute WHERE attrelid = 'analysis.outbox'::regclass AND attname = 'payload'`);
      if (m === 'l') await ds.query(`ALTER TABLE ${schema}.outbox ALTER COLUMN payload SET COMPRESSION lz4`);
      const outbox = new Outbox(schema);
      // on the analysis stream under a subject nobody reads
      const published = { ...VerdictIssuedV2, subject: 'analysis.bench.floor.v2' };
      relay = new OutboxRelay(ds, bus, { schema, databaseUrl: dbUrl });
      await relay.start();
      let k = 0;
      host.registerBatch({
        durable,
        event: AlertReceived,
        maxBatch: 500,
        handleBatch: async (events, { em }) => {
          const first = k;
          k += events.length;
          const rows = events.map((e, i) => ({ ...floor[(first + i) % floor.length].verdict, id: randomUUID(), alert_id: e.body.alertId }));
          await em.query(
            `INSERT INTO ${schema}.verdict SELECT * FROM jsonb_populate_recordset(NULL::${schema}.verdict, $1::jsonb) ON CONFLICT (alert_id) DO NOTHING`,
            [JSON.stringify(rows)],
          );
          await outbox.addMany(
            em,
            published,
            events.map((e, i) => ({ customerId: e.customerId, bodyJson: floor[(first + i) % floor.length].body })),
          );
        },
      });
    } else {
      host.registerBatch({ durable, event: AlertReceived, maxBatch: 500, handleBatch: async () => undefined });
    }
    const cpu0 = { consumer: processCpuSeconds(), postgres: cpuSecondsOf('postgres'), nats: cpuSecondsOf('nats-server') };
    const started = performance.now();
    await host.start();
    try {
      const deadline = Date.now() + 600_000;
      for (;;) {
        const metric = metricsRegistry.getSingleMetric('kanshi_events_processed_total');
        const values = metric ? (await metric.get()).values : [];
        const n = values.filter((v) => v.labels.consumer === durable && v.labels.outcome === 'ok').reduce((s, v) => s + v.value, 0);
        if (n >= total) break;
        if (Date.now() > deadline) throw new Error(`baseline: only ${n} of ${total} alerts committed`);
        await sleep(20);
      }
    } finally {
      await host.stop();
    }
    if (relay) {
      // every outbox row published
      for (;;) {
        const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ${schema}.outbox WHERE published_at IS NULL`);
        if (n === 0) break;
        await sleep(5);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      consumer: (processCpuSeconds() - cpu0.consumer) / total,
      postgres: (cpuSecondsOf('postgres') - cpu0.postgres) / total,
      nats: (cpuSecondsOf('nats-server') - cpu0.nats) / total,
    };
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ${schema}.inbox WHERE consumer = $1`, [durable]);
    if (n !== total) throw new Error(`baseline: ${n} inbox rows for ${total} alerts`);
    if (floor) {
      const [{ v }] = await ds.query(`SELECT count(*)::int AS v FROM ${schema}.verdict`);
      if (v !== total) throw new Error(`floor: ${v} verdict rows for ${total} alerts`);
    }
    return { rate: total / seconds, cpu };
  } finally {
    await relay?.stop();
    await bus.drain();
    await ds.destroy();
  }
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const dbUrl = withDatabase(infra.databaseUrl, `kanshi_bench_analysis_${randomBytes(4).toString('hex')}`);
  const namespace = `benchanalysis${randomBytes(3).toString('hex')}`;
  await ensureDatabase(dbUrl);
  await migrateSchema(dbUrl, 'analysis');
  const vt = new FakeVirusTotalServer({ requestsPerMinute: 1_000_000 });
  await vt.start();
  const files = Array.from({ length: SAMPLE_FILES }, (_, i) => (i % 3 === 0 ? vt.addDetectedFile({ detections: 10 + (i % 50) }) : vt.addFile({ results: {} })));
  const hashes = files.map((f) => ({ md5: f.md5!, sha1: f.sha1!, sha256: f.sha256 }));
  const bus = await NatsBus.connect({ url: infra.natsUrl, name: 'bench-analysis', namespace });
  const port = await freePort();
  let svc: Service | null = null;
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  try {
    await bus.ensureStreams(['INGESTION', 'CONTRACTS']);
    svc = await startService({
      NODE_ENV: 'development',
      PORT: String(port),
      DATABASE_URL: dbUrl,
      NATS_URL: infra.natsUrl,
      NATS_NAMESPACE: namespace,
      JWT_SECRET: SECRET,
      AUTH_MODE: 'hs256',
      LOG_LEVEL: 'warn',
      VIRUSTOTAL_API_KEY: FAKE_VIRUSTOTAL_API_KEY,
      VIRUSTOTAL_URL: vt.url,
      VIRUSTOTAL_REQUESTS_PER_MINUTE: '100000',
      VIRUSTOTAL_REQUESTS_PER_DAY: '0',
    });
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    for (const [c, customerId] of customers.entries()) {
      const envelope = { eventId: randomUUID(), subject: CustomerUpserted.subject, occurredAt: new Date().toISOString(), customerId, body: { customerId, partnerId: null, name: `Bench customer ${c}` } };
      await bus.js.publish(bus.subjectOf(CustomerUpserted), Buffer.from(JSON.stringify(envelope)), { msgID: envelope.eventId });
    }
    const configured = await configure(svc.url, customers);
    const sensors = new Map<string, string>();
    for (const c of customers) for (const [p] of MIX) sensors.set(`${c}|${p}`, randomUUID());
    const warm = buildAlerts(WARMUP, customers, sensors, hashes, 0);
    const load = buildAlerts(ALERTS, customers, sensors, hashes, 1_000_000);
    const steadyLoad = buildAlerts(RATE * STEADY_SECONDS, customers, sensors, hashes, 2_000_000);
    const lowLoad = buildAlerts(LOW_RATE * LOW_SECONDS, customers, sensors, hashes, 3_000_000);
    const suppressedShare = load.filter((e) => e.customerId === configured.suppressedCustomer && getPath(e.body.ecs, 'host.name') === configured.suppressedHost).length;
    const withHashes = load.filter((e) => getPath(e.body.ecs, 'file.hash') || getPath(e.body.ecs, 'process.hash')).length;
    console.log(
      `analysis benchmark: ${ALERTS} alerts (${MIX_TEXT}) for ${CUSTOMERS} customers; ${withHashes} with sample hashes, ${suppressedShare} suppressed; shipped pack + ${GENERATED_RULES} generated rules, ${INDICATORS} global IOCs`,
    );

    // Warm-up (JIT, caches, VirusTotal answers fetched once and cached), not measured.
    await publishAll(bus, warm);
    await waitAnalysed(svc.url, db, WARMUP);
    const vtRequests = vt.fileRequests().length;

    // (a) throughput
    const meter = cpuMeter(svc);
    const started = performance.now();
    await publishAll(bus, load);
    const publishedS = (performance.now() - started) / 1000;
    await waitAnalysed(svc.url, db, WARMUP + ALERTS);
    const seconds = (performance.now() - started) / 1000;
    const rate = ALERTS / seconds;
    const cpu = meter();
    const us = (s: number) => ((s * 1e6) / ALERTS).toFixed(0);
    const [outcomes] = (
      await db.query(
        `SELECT count(*) FILTER (WHERE suppressed_by IS NOT NULL)::int AS suppressed, count(*) FILTER (WHERE reasons @> '[{"kind":"MANUAL_TRIAGE"}]')::int AS triage,
                count(*) FILTER (WHERE severity = 'HIGH')::int AS high, count(*) FILTER (WHERE severity = 'MEDIUM')::int AS medium, count(*) FILTER (WHERE severity = 'LOW')::int AS low,
                count(DISTINCT group_id)::int AS groups
           FROM analysis.verdict`,
      )
    ).rows;
    console.log(`  throughput   ${rate.toFixed(0).padStart(6)} alerts/s  (${seconds.toFixed(1)} s; published in ${publishedS.toFixed(1)} s; CPU per alert: service ${us(cpu.service)} us, PostgreSQL ${us(cpu.postgres)} us, NATS ${us(cpu.nats)} us)`);
    console.log(`  verdicts: ${JSON.stringify(outcomes)}; VirusTotal requests after warm-up: ${vt.fileRequests().length - vtRequests}; batches retried alert by alert: ${await batchFallbacks(svc.url)}`);
    if (process.env.BENCH_TABLE_STATS) {
      const { rows } = await db.query(`SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, seq_scan, idx_scan FROM pg_stat_user_tables WHERE schemaname = 'analysis' AND (n_tup_ins + n_tup_upd + coalesce(idx_scan, 0)) > 0 ORDER BY relname`);
      console.table(rows);
      const { rows: sizes } = await db.query(
        `SELECT (SELECT avg(pg_column_size(v.*))::int FROM analysis.verdict v) AS verdict_row_bytes,
                (SELECT avg(octet_length(payload::text))::int FROM analysis.outbox) AS outbox_payload_bytes`,
      );
      console.table(sizes);
    }
    if (outcomes.triage > 0) console.log(`  WARNING: ${outcomes.triage} alerts went to manual triage (analysis failed on them)`);

    // (b) latency at a steady rate, once the burst's aftermath is over: the relay's backlog of
    // events published, and the vacuum the burst's rows call for done (autovacuum would otherwise
    // start on 50,000 new rows in the middle of the measure; at a steady rate it runs in small
    // rounds as rows come)
    const settleStarted = performance.now();
    for (;;) {
      const { rows: left } = await db.query(`SELECT count(*)::int AS n FROM analysis.outbox WHERE published_at IS NULL`);
      if (left[0].n === 0) break;
      await sleep(200);
    }
    await db.query(
      `VACUUM (ANALYZE) analysis.verdict, analysis.outbox, analysis.inbox, analysis.correlation_entry, analysis.correlation_value, analysis.alert_group, analysis.alert_group_member`,
    );
    console.log(`  settled after the burst in ${((performance.now() - settleStarted) / 1000).toFixed(1)} s (outbox published, tables vacuumed)`);
    const latencies = await steady(bus, db, dbUrl, steadyLoad, RATE);
    const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(latencies, p));
    console.log(`  steady ${RATE}/s for ${STEADY_SECONDS} s: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
    // the backlog of the first phase gone, a rate the service keeps up with
    await waitAnalysed(svc.url, db, WARMUP + ALERTS + steadyLoad.length);
    const low = await steady(bus, db, dbUrl, lowLoad, LOW_RATE);
    const [l50, l95, l99] = [50, 95, 99].map((p) => percentile(low, p));
    console.log(`  steady ${LOW_RATE}/s for ${LOW_SECONDS} s: p50 ${l50.toFixed(0)} ms, p95 ${l95.toFixed(0)} ms, p99 ${l99.toFixed(0)} ms, max ${Math.max(...low).toFixed(0)} ms`);
    const vtAfter = vt.fileRequests().length - vtRequests;

    await svc.stop();
    svc = null;

    // (c) baseline: every alert of the stream again, with no analysis
    const total = WARMUP + ALERTS + steadyLoad.length + lowLoad.length;
    const base = await baseline(dbUrl, infra.natsUrl, namespace, total);
    const baseRate = base.rate;
    const runCpu = (r: ConsumerRun) => `consumer ${(r.cpu.consumer * 1e6).toFixed(0)} us, PostgreSQL ${(r.cpu.postgres * 1e6).toFixed(0)} us, NATS ${(r.cpu.nats * 1e6).toFixed(0)} us`;
    console.log(`  baseline (batched consumer, empty handler, same ${total} alerts): ${baseRate.toFixed(0)} alerts/s (CPU per alert: ${runCpu(base)})`);
    // (d) the floor: the same alerts, only the writes the target asks for (verdict row, outbox row
    // published by the relay), copied from this run's own verdicts
    const samples: FloorSample[] = (
      await db.query(
        // each event's alert read once (a join on the expression parsed every payload for every verdict)
        `WITH o AS MATERIALIZED (SELECT (payload::jsonb -> 'body' -> 'alertIds' ->> 0)::uuid AS alert_id, (payload::jsonb -> 'body')::text AS body FROM analysis.outbox WHERE subject = $1)
         SELECT to_jsonb(v) - 'id' - 'alert_id' AS verdict, o.body FROM analysis.verdict v JOIN o USING (alert_id) ORDER BY v.decided_at LIMIT 2000`,
        [VerdictIssuedV2.subject],
      )
    ).rows;
    if (samples.length === 0) throw new Error('floor: no verdict with its outbox row to copy');
    const floorRun = await baseline(dbUrl, infra.natsUrl, namespace, total, samples);
    console.log(`  floor (the same consumer writing a verdict row and an outbox row per alert, relay publishing, no analysis): ${floorRun.rate.toFixed(0)} alerts/s (CPU per alert: ${runCpu(floorRun)})`);
    // (e) the bare floor: the same, but rows with no texts at all (documents emptied, an event of
    // ids and the severity): what the transport alone costs, whatever the verdict's design
    const bare: FloorSample[] = samples.map((x) => ({
      verdict: Object.fromEntries(Object.entries(x.verdict).map(([k, v]) => [k, Array.isArray(v) ? [] : v !== null && typeof v === 'object' ? {} : v])),
      body: JSON.stringify({ alertIds: [(JSON.parse(x.body) as { alertIds: string[] }).alertIds[0]], severity: x.verdict.severity }),
    }));
    const bareRun = await baseline(dbUrl, infra.natsUrl, namespace, total, bare, 'bare');
    console.log(`  bare floor (the same writes with no texts: documents empty, an event of ids and the severity): ${bareRun.rate.toFixed(0)} alerts/s (CPU per alert: ${runCpu(bareRun)})`);

    // The CPU the target leaves per alert on this machine, against what each layer costs (service,
    // PostgreSQL and NATS together; the floors' "consumer" is the process holding consumer and relay).
    const budgetUs = (cpus().length * 1e6) / TARGET_RATE;
    const sumUs = (c: ConsumerRun['cpu']) => (c.consumer + c.postgres + c.nats) * 1e6;
    const analysisUs = ((cpu.service + cpu.postgres + cpu.nats) / ALERTS) * 1e6;
    const budget = {
      bare: sumUs(bareRun.cpu),
      texts: sumUs(floorRun.cpu) - sumUs(bareRun.cpu),
      analysis: analysisUs - sumUs(floorRun.cpu),
      analysisPostgres: (cpu.postgres / ALERTS - floorRun.cpu.postgres) * 1e6,
    };
    const budgetText = `CPU per alert the target leaves on ${cpus().length} cores: ${budgetUs.toFixed(0)} us. Spent: the bare transport ${budget.bare.toFixed(0)} us; the verdict's texts ${budget.texts.toFixed(0)} us more; the analysis ${budget.analysis.toFixed(0)} us more (of which PostgreSQL ${budget.analysisPostgres.toFixed(0)} us); in all ${analysisUs.toFixed(0)} us`;
    console.log(`  ${budgetText}`);

    const passRate = rate >= TARGET_RATE;
    const passP99 = p99 < TARGET_P99_MS;
    console.log(`  ${passRate ? 'PASS' : 'FAIL'} throughput ${rate.toFixed(0)} alerts/s (target >= ${TARGET_RATE})`);
    console.log(`  ${passP99 ? 'PASS' : 'FAIL'} p99 latency ${p99.toFixed(0)} ms at ${RATE} alerts/s (target < ${TARGET_P99_MS} ms)`);

    appendBenchmark('analysis', [
      `Run ${new Date().toISOString().slice(0, 10)} on this ${cpus().length}-core machine (shared with other work: load average at the end ${loadavg()[0].toFixed(2)}). The analysis service as its own process, on a throwaway database and NATS namespace: the shipped rule pack plus ${GENERATED_RULES} generated Sigma rules (contains/startswith/endswith/re/cidr on ECS fields, matching none of the load), ${INDICATORS.toLocaleString('en')} global IOCs plus a 201-indicator list per customer, one customer's suppression, VirusTotal (the fake server) answered from the cache warmed by ${WARMUP.toLocaleString('en')} unmeasured alerts (${vtAfter} requests afterwards). Alerts: the project's vendor samples parsed by ingestion's parsers (${MIX_TEXT}), ${CUSTOMERS} customers, ${HOSTS_PER_CUSTOMER} hosts each, ${SAMPLE_FILES} sample files; every alert new.`,
      '',
      table(
        ['case', 'alerts/s', 'latency', 'CPU per alert'],
        [
          [`end to end: ${ALERTS.toLocaleString('en')} alerts published at once, until every verdict and its outbox rows are committed`, rate.toFixed(0), '-', `service ${us(cpu.service)} us, PostgreSQL ${us(cpu.postgres)} us, NATS ${us(cpu.nats)} us`],
          [`steady ${RATE.toLocaleString('en')} alerts/s for ${STEADY_SECONDS} s after the burst settled (its events published, its tables vacuumed), publish to verdict row committed (looked for at each commit's NOTIFY, at least every 25 ms)`, String(RATE), `p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`, '-'],
          [`steady ${LOW_RATE.toLocaleString('en')} alerts/s for ${LOW_SECONDS} s (below capacity), the same measure`, String(LOW_RATE), `p50 ${l50.toFixed(0)} ms, p95 ${l95.toFixed(0)} ms, p99 ${l99.toFixed(0)} ms`, '-'],
          [`baseline: the same ${total.toLocaleString('en')} alerts, batched consumer (maxBatch 500) with an empty handler`, baseRate.toFixed(0), '-', runCpu(base)],
          [`floor: the same alerts and consumer, each batch writing only a verdict row and a v2 outbox row per alert (copies of this run's verdicts), the relay publishing them; no analysis`, floorRun.rate.toFixed(0), '-', runCpu(floorRun)],
          [`bare floor: the same writes with no texts (the row's documents empty, an event of the alert id and the severity): the transport alone`, bareRun.rate.toFixed(0), '-', runCpu(bareRun)],
        ],
      ),
      '',
      `- ${budgetText}`,
      `- verdicts of the run: ${outcomes.high} HIGH, ${outcomes.medium} MEDIUM, ${outcomes.low} LOW (${outcomes.suppressed} suppressed), ${outcomes.triage} manual triage, ${outcomes.groups} groups`,
      `- targets: >= ${TARGET_RATE.toLocaleString('en')} alerts/s: ${passRate ? 'PASS' : 'FAIL'} (${rate.toFixed(0)}, ${(rate / baseRate).toFixed(2)} of the baseline); p99 < ${TARGET_P99_MS} ms at ${RATE.toLocaleString('en')} alerts/s: ${passP99 ? 'PASS' : 'FAIL'} (${p99.toFixed(0)} ms)`,
    ]);
  } finally {
    await db.end().catch(() => undefined);
    if (svc) await svc.stop();
    await vt.stop().catch(() => undefined);
    for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${namespace}_`)) await bus.jsm.streams.delete(s.config.name);
    await bus.drain().catch(() => undefined);
    await dropDatabase(dbUrl).catch(() => undefined);
    await infra.stop();
  }
}
