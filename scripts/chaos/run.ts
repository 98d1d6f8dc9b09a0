import * as path from 'node:path';
import { Client } from 'pg';
import { signDevToken } from '@kanshi/auth';
import { DEMO_EDR_HOSTS, DEMO_EDR_TENANT } from '../demo-edr';
import { demoIntakeSensor } from '../demo-intake';
import { devSecret, devSubgraphSecret } from '../dev-secret';
import { DATA_DIR } from '../infra';
import { migrateAll } from '../migrate';
import { seedDemo } from '../seed';
import { SERVICES } from '../services';
import { startSuite, Suite } from '../suite';
import { BillingLedger, billableContracts, chaosStripeEnv, checkBilling, pendingStripeSync, RUN_BILLING, runBilling, startChaosStripe, tokyoMonth } from './chaos-billing';
import { startChaosInfra } from './chaos-infra';
import { Check, checkAnalysis, Window, checkDrained, checkIncidents, checkIntake, checkIsolations } from './chaos-invariants';
import { graphqlLoad, httpsSender, Sender, SensorTarget, smtpSender, syslogTcpSender, syslogUdpSender } from './chaos-load';
import { startChaosRelay } from './chaos-relay';
import { chaosVoiceEnv, checkVoice, startChaosVoice } from './chaos-voice';

// `npm run chaos`: the suite on its own PostgreSQL and nats-server under a steady mixed load while
// processes are killed, paused and restarted and vendors fail; then what must hold is checked.
// CHAOS_PROFILE=short is the one `npm test` runs (a few faults, about a minute).

export interface ChaosOptions {
  profile: 'full' | 'short';
  portOffset: number;
  dir: string;
  ackWaitMs: number;
  pauseMs: number;
  gapMs: number;
  // a multiplier of the base load (HTTPS 10 lines/s, SMTP 1 mail/s, syslog TCP 3/s, UDP 3/s, GraphQL 5 reads/s)
  load: number;
  // full profile: contracts in service for closed months, billed during the faults
  billingContracts: number;
  log: (line: string) => void;
}

export interface ChaosResult {
  faults: FaultRecord[];
  checks: Check[];
  lost: number;
  duplicated: number;
  resent: number;
  figures: Record<string, string>;
  ok: boolean;
}

interface FaultRecord {
  kind: string;
  target: string;
  at: number;
  // until the stored-alert rate is back to 90% of the rate before the faults
  recoveryMs: number | null;
  // what the fault met (a billing run's progress when it was killed, ...)
  note?: string;
}

type Fault = { kind: 'kill -9' | 'SIGSTOP' | 'restart' | 'vendor 5xx' | 'vendor hang'; target: string };

// The billing faults of the full profile: each bills one closed month while Stripe fails or
// contracts is killed (months back: 3 for the hang, 2 for the 5xx, 1 for the kill).
const BILLING_KILL = 'contracts during a billing run';

const SERVICES_AND_GATEWAY = ['ingestion', 'analysis', 'incident', 'endpoint-response', 'reporting', 'contracts', 'gateway'];

export function faultPlan(profile: 'full' | 'short'): Fault[] {
  if (profile === 'short') {
    return [
      { kind: 'kill -9', target: 'ingestion' },
      { kind: 'restart', target: 'nats' },
      { kind: 'kill -9', target: 'analysis' },
      { kind: 'restart', target: 'postgres' },
      { kind: 'SIGSTOP', target: 'incident' },
      { kind: 'vendor 5xx', target: 'mail relay' },
    ];
  }
  const kills = SERVICES_AND_GATEWAY.map((target) => ({ kind: 'kill -9' as const, target }));
  return [
    ...kills,
    { kind: 'restart', target: 'nats' },
    { kind: 'SIGSTOP', target: 'analysis' },
    { kind: 'vendor 5xx', target: 'mail relay' },
    { kind: 'vendor hang', target: 'Stripe' },
    { kind: 'restart', target: 'postgres' },
    { kind: 'vendor 5xx', target: 'EDR console' },
    { kind: 'vendor hang', target: 'mail relay' },
    { kind: 'vendor 5xx', target: 'Stripe' },
    ...kills.slice().reverse(),
    { kind: 'kill -9', target: BILLING_KILL },
    { kind: 'vendor hang', target: 'EDR console' },
    { kind: 'SIGSTOP', target: 'ingestion' },
    { kind: 'restart', target: 'nats' },
    { kind: 'restart', target: 'postgres' },
    { kind: 'vendor 5xx', target: 'EDR console' },
    { kind: 'vendor 5xx', target: 'voice' },
    { kind: 'SIGSTOP', target: 'incident' },
  ];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// What the EDR faults put on the demo console: a HIGH detection, so an isolation (and on the MDR
// plan a call) follows.
const chaosDetection = {
  name: 'RansomwareBehavior',
  description: 'Files renamed in bulk with a new extension (chaos)',
  severity: 90,
  severityName: 'Critical',
  fileName: 'locker.exe',
  filePath: '\\Device\\HarddiskVolume3\\Users\\Public\\locker.exe',
  cmdline: 'locker.exe --all',
  tactic: 'Impact',
  technique: 'Data Encrypted for Impact',
  techniqueId: 'T1486',
};

async function waitExit(child: Suite['processes'][number]['child']): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once('exit', r));
}

// Starts a billing run of `period` through the gateway, kills contracts with SIGKILL once the
// run has committed its first invoices (or after 15 s), restarts it and runs the period again:
// the second run must finish the work without billing anything twice.
async function killDuringBilling(suite: Suite, admin: string, period: string, withDb: <T>(fn: (db: Client) => Promise<T>) => Promise<T>, log: (l: string) => void): Promise<string> {
  const count = () => withDb(async (db) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM contracts.invoice WHERE period = $1 AND status <> 'DRAFT'`, [period])).rows[0].n));
  const first = fetch(suite.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ query: RUN_BILLING, variables: { p: period } }),
    signal: AbortSignal.timeout(60_000),
  })
    .then(async (r) => JSON.stringify(await r.json()).slice(0, 120))
    .catch((err: Error) => err.message);
  const until = Date.now() + 15_000;
  while (Date.now() < until && (await count().catch(() => 0)) === 0) await sleep(20);
  const p = suite.processes.find((x) => x.name === 'contracts')!;
  p.child.kill('SIGKILL');
  await waitExit(p.child);
  const atKill = await count().catch(() => -1);
  log(`  contracts killed with ${atKill} invoices of ${period} committed; the first run answered: ${await first}`);
  await suite.restart('contracts');
  // the gateway may need a moment to reach the new process
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const again = await runBilling(suite.gatewayUrl, admin, period);
      return `killed with ${atKill} invoices of ${period} committed; run again: ${again.invoicesCreated} created, ${again.invoicesExisting} existing`;
    } catch (err) {
      if (Date.now() > deadline) return `killed with ${atKill} invoices committed; run again failed: ${(err as Error).message}`;
      await sleep(1000);
    }
  }
}

export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const t0 = Date.now();
  const log = (l: string) => o.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${l}`);
  const infra = await startChaosInfra(path.join(o.dir, 'data'), { postgres: 55432 + o.portOffset, nats: 4222 + o.portOffset });
  log(`PostgreSQL (embedded) ${infra.databaseUrl.replace(/:[^:@/]+@/, ':***@')}, nats-server ${infra.natsUrl}`);
  const relay = await startChaosRelay();
  const full = o.profile === 'full';
  const stripe = full ? await startChaosStripe() : null;
  const voice = full ? await startChaosVoice() : null;
  const billing: BillingLedger = { contracts: new Set(), periods: [] };
  let suite: Suite | undefined;
  const senders: Sender[] = [];
  // a client of its own for each look (the run restarts PostgreSQL under it)
  const withDb = async <T>(fn: (db: Client) => Promise<T>): Promise<T> => {
    const db = new Client({ connectionString: infra.databaseUrl, connectionTimeoutMillis: 5000 });
    db.on('error', () => undefined);
    await db.connect();
    try {
      return await fn(db);
    } finally {
      await db.end().catch(() => undefined);
    }
  };
  try {
    await migrateAll(infra.databaseUrl);
    const secret = devSecret();
    const namespace = 'chaos';
    suite = await startSuite({
      databaseUrl: infra.databaseUrl,
      natsUrl: infra.natsUrl,
      natsNamespace: namespace,
      jwtSecret: secret,
      portOffset: o.portOffset,
      logDir: path.join(o.dir, 'logs'),
      // a loaded machine (the rest of `npm test` beside it) starts slowly
      readyTimeoutMs: 180_000,
      env: {
        SUBGRAPH_SECRET: devSubgraphSecret(),
        SMTP_URL: relay.url,
        CONSUMER_ACK_WAIT_MS: String(o.ackWaitMs),
        JOBS_POLL_INTERVAL_MS: '500',
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        // full profile: Stripe at the run's fake; the mail and EDR timeouts shorter than a hang
        ...(stripe ? { ...chaosStripeEnv(stripe), MAIL_TIMEOUT_MS: '4000', EDR_HTTP_TIMEOUT_MS: '4000' } : {}),
        // full profile: automated calls through the run's Twilio (HIGH on the MDR customer, failed mails)
        ...(voice ? chaosVoiceEnv(voice, `http://127.0.0.1:${SERVICES.find((x) => x.name === 'incident')!.port + o.portOffset}`) : {}),
      },
    });
    log(`suite ready (logs in ${path.join(o.dir, 'logs')})`);
    const demo = await seedDemo(suite.gatewayUrl, suite.intake.https, secret, suite.edrConsole);
    const admin = await signDevToken({ sub: 'chaos@kanshi.local', role: 'provider_admin' }, secret, 3600);
    const analyst = await signDevToken({ sub: 'chaos-analyst@kanshi.local', role: 'analyst' }, secret, 3600);
    const sensor = await demoIntakeSensor(suite.gatewayUrl, admin, demo.directCustomerId);
    if (full && o.billingContracts > 0) {
      const t = Date.now();
      const ledger = await billableContracts(suite.gatewayUrl, admin, withDb, { count: o.billingContracts, monthsBack: 3 });
      ledger.contracts.forEach((c) => billing.contracts.add(c));
      log(`${billing.contracts.size} contracts in service since ${tokyoMonth(3)}-01 (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
    const target: SensorTarget = { ...sensor, https: suite.intake.https, smtpPort: suite.intake.smtpPort, syslogTcpPort: suite.intake.syslogTcpPort, syslogUdpPort: suite.intake.syslogUdpPort };

    let stopping = false;
    const stoppingNow = () => stopping;
    senders.push(
      httpsSender(target, { requestsPerSecond: 2 * o.load, linesPerRequest: 5, concurrency: 4, stopping: stoppingNow }),
      smtpSender(target, { mailsPerSecond: 1 * o.load, concurrency: 2, stopping: stoppingNow }),
      syslogTcpSender(target, { linesPerSecond: 3 * o.load }),
      syslogUdpSender(target, { linesPerSecond: 3 * o.load }),
    );
    const reads = graphqlLoad(suite.gatewayUrl, analyst, { requestsPerSecond: 5 * o.load });

    // stored alerts over time (the sample survives a PostgreSQL restart by skipping)
    const samples: { at: number; alerts: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      let probe: Client | null = null;
      while (sampling) {
        try {
          if (!probe) {
            probe = new Client({ connectionString: infra.databaseUrl, connectionTimeoutMillis: 1000 });
            probe.on('error', () => undefined);
            await probe.connect();
          }
          const n = Number((await probe.query<{ n: string }>(`SELECT count(*) AS n FROM ingestion.alert WHERE rule_name LIKE 'Chaos.%'`)).rows[0].n);
          samples.push({ at: Date.now(), alerts: n });
        } catch {
          await probe?.end().catch(() => undefined);
          probe = null;
        }
        await sleep(500);
      }
      await probe?.end().catch(() => undefined);
    })();
    const rateOver = (from: number, to: number) => {
      const win = samples.filter((s) => s.at >= from && s.at <= to);
      if (win.length < 2) return null;
      return ((win.at(-1)!.alerts - win[0].alerts) * 1000) / (win.at(-1)!.at - win[0].at);
    };

    const warmUpMs = o.profile === 'short' ? 6000 : 10_000;
    log(`load running; warm-up ${warmUpMs / 1000} s`);
    await sleep(warmUpMs);
    const loadStart = Date.now();
    const baseline = rateOver(loadStart - warmUpMs + 2000, loadStart) ?? 0;
    log(`stored alerts before the faults: ${baseline.toFixed(1)}/s`);

    const faults: FaultRecord[] = [];
    const crashed: string[] = [];
    // when ingestion could not take syslog (killed, paused, or PostgreSQL restarting)
    const down: Window[] = [];
    // ingestion's own count of syslog datagrams it let go (a killed process's count is read first)
    let udpDropped = 0;
    const ingestionPort = suite.processes.find((p) => p.name === 'ingestion')!.port;
    const readUdpDrops = async () => {
      try {
        const text = await (await fetch(`http://127.0.0.1:${ingestionPort}/metrics`, { signal: AbortSignal.timeout(3000) })).text();
        return text
          .split('\n')
          .filter((l) => l.startsWith('kanshi_ingest_dropped_total') && /transport="udp"/i.test(l))
          .reduce((a, l) => a + Number(l.split(' ').pop()), 0);
      } catch {
        return 0;
      }
    };
    let edrHost = 1;
    for (const f of faultPlan(o.profile)) {
      const at = Date.now();
      let note: string | undefined;
      log(`fault ${faults.length + 1}: ${f.kind} ${f.target}`);
      if ((f.kind === 'kill -9' && f.target !== BILLING_KILL) || f.kind === 'SIGSTOP') {
        const p = suite.processes.find((x) => x.name === f.target)!;
        if (f.kind === 'kill -9') {
          if (f.target === 'ingestion') udpDropped += await readUdpDrops();
          p.child.kill('SIGKILL');
          await waitExit(p.child);
          await suite.restart(f.target);
        } else {
          p.child.kill('SIGSTOP');
          await sleep(o.pauseMs);
          p.child.kill('SIGCONT');
        }
        if (f.target === 'ingestion') down.push({ from: at, to: Date.now() });
      } else if (f.target === 'nats') {
        await infra.restartNats();
      } else if (f.target === 'postgres') {
        await infra.restartPostgres();
        down.push({ from: at, to: Date.now() });
      } else if (f.target === 'mail relay') {
        if (f.kind === 'vendor hang') relay.hangFor(o.pauseMs);
        else relay.failFor(o.pauseMs);
        await sleep(o.pauseMs);
      } else if (f.target === 'Stripe' && stripe) {
        // a closed month billed while Stripe fails: the sync of its invoices meets the failures
        const period = tokyoMonth(f.kind === 'vendor hang' ? 3 : 2);
        if (f.kind === 'vendor hang') stripe.failNext(3, { mode: 'hang' });
        else stripe.failNext(10, { status: 500 });
        billing.periods.push(period);
        const r = await runBilling(suite.gatewayUrl, admin, period).catch((err: Error) => ({ error: err.message }));
        note = `runBilling ${period}: ${JSON.stringify(r)}`;
        await sleep(o.pauseMs);
      } else if (f.target === BILLING_KILL) {
        note = await killDuringBilling(suite, admin, tokyoMonth(1), withDb, log);
        billing.periods.push(tokyoMonth(1));
      } else if (f.target === 'voice' && voice) {
        // a HIGH detection on the MDR customer's EDR (a call task, an automated call) while the
        // provider answers 503: the call is retried, once placed it is recorded once
        voice.failNext(4, { kind: 'error', status: 503, json: { code: 20500, message: 'Internal Server Error', status: 503 } });
        const host = DEMO_EDR_HOSTS[edrHost++ % DEMO_EDR_HOSTS.length];
        suite.edrConsole.server.addAlert(DEMO_EDR_TENANT, host.agentId, chaosDetection);
        await sleep(o.pauseMs);
      } else if (f.target === 'EDR console') {
        // a new detection on another demo host (an isolation to do) while the console answers
        // 503, or hangs (the request's timeout fires)
        const host = DEMO_EDR_HOSTS[edrHost++ % DEMO_EDR_HOSTS.length];
        if (f.kind === 'vendor hang') suite.edrConsole.server.failNext(3, { kind: 'hang' });
        else suite.edrConsole.server.failNext(8, { kind: 'error', status: 503 });
        suite.edrConsole.server.addAlert(DEMO_EDR_TENANT, host.agentId, chaosDetection);
        await sleep(o.pauseMs);
      }
      if (note) log(`  ${note}`);
      const rec: FaultRecord = { kind: f.kind, target: f.target, at, recoveryMs: null, note };
      faults.push(rec);
      await sleep(o.gapMs);
      // a process that died on its own is a defect the run found: noted, restarted
      for (const p of [...suite.processes]) {
        if (p.child.exitCode === null && p.child.signalCode === null) continue;
        crashed.push(`${p.name} (exit ${p.child.exitCode ?? p.child.signalCode}) after ${f.kind} ${f.target}`);
        log(`${p.name} died on its own (exit ${p.child.exitCode ?? p.child.signalCode}); restarting it`);
        await suite.restart(p.name);
      }
    }
    // recovery: the first 2 s window after the fault whose stored-alert rate is >= 90% of the
    // rate before the faults
    const recoveryOf = (rec: FaultRecord) => {
      for (let t = rec.at + 500; t < Date.now(); t += 500) {
        const r = rateOver(t, t + 2000);
        if (r !== null && r >= 0.9 * baseline) return t + 2000 - rec.at;
      }
      return null;
    };

    log('faults done; stopping the load (resending senders finish what they hold)');
    stopping = true;
    const loadEnd = Date.now();
    await reads.stop();
    await Promise.all(senders.map((s) => s.stop()));
    faults.forEach((f) => (f.recoveryMs = recoveryOf(f)));
    const loadSeconds = (loadEnd - loadStart) / 1000;
    const storedDuring = (samples.filter((s) => s.at <= loadEnd).at(-1)?.alerts ?? 0) - (samples.find((s) => s.at >= loadStart)?.alerts ?? 0);

    // drained: outboxes empty, consumers caught up (or the deadline)
    log('waiting for the suite to drain');
    const deadline = Date.now() + (o.profile === 'short' ? 90_000 : 120_000);
    let drained: Check[] = [];
    for (;;) {
      drained = await withDb((db) => checkDrained(db, infra.natsUrl, namespace)).catch(() => []);
      // and every issued invoice in Stripe (the sync retries on its own timer)
      const unsynced = billing.periods.length ? await withDb((db) => pendingStripeSync(db, billing.periods)).catch(() => 1) : 0;
      if ((drained.length && drained.slice(0, 2).every((c) => c.ok) && unsynced === 0) || Date.now() > deadline) break;
      await sleep(1000);
    }
    await sleep(3000);
    sampling = false;
    await sampler;

    udpDropped += await readUdpDrops();
    const consoleServer = suite.edrConsole.server;
    const contains = new Map(DEMO_EDR_HOSTS.map((h) => [h.agentId, consoleServer.actionCount(h.agentId, 'contain')]));
    const checks = await withDb(async (db) => [
      ...(await checkIntake(
        db,
        senders.map((s) => s.ledger),
        down,
        udpDropped,
      )),
      ...(await checkAnalysis(db)),
      ...(await checkIncidents(db, relay)),
      ...(await checkIsolations(db, contains)),
      ...(stripe ? await checkBilling(db, billing, stripe) : []),
      ...(voice ? (await checkVoice(db, voice.calls)).checks : []),
      ...(await checkDrained(db, infra.natsUrl, namespace)),
      { name: 'processes alive (none died on its own)', expected: '0 deaths', seen: crashed.length ? crashed.join('; ') : '0', lost: 0, duplicated: 0, ok: crashed.length === 0 },
    ]);
    const lost = checks.reduce((a, c) => a + c.lost, 0);
    const duplicated = checks.reduce((a, c) => a + c.duplicated, 0);
    const resent = senders.reduce((a, s) => a + s.ledger.resent, 0);
    const figures: Record<string, string> = {
      'load (s)': loadSeconds.toFixed(0),
      'sent lines/s (all intakes)': (senders.reduce((a, s) => a + s.ledger.sent.size, 0) / loadSeconds).toFixed(1),
      'stored alerts/s before the faults': baseline.toFixed(1),
      'stored alerts/s over the faults': (storedDuring / loadSeconds).toFixed(1),
      'GraphQL reads/s (ok / errors)': `${(reads.ok() / loadSeconds).toFixed(1)} / ${(reads.errors() / loadSeconds).toFixed(1)}`,
      'whole run (s)': ((Date.now() - t0) / 1000).toFixed(0),
    };
    return { faults, checks, lost, duplicated, resent, figures, ok: checks.every((c) => c.ok) };
  } finally {
    await Promise.all(senders.map((s) => s.stop().catch(() => undefined)));
    await suite?.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    await stripe?.stop().catch(() => undefined);
    await voice?.stop().catch(() => undefined);
    await infra.stop().catch(() => undefined);
  }
}

export function report(r: ChaosResult): string[] {
  const lines: string[] = [];
  lines.push('', '| # | fault | recovery to 90% | note |', '|---|---|---|---|');
  r.faults.forEach((f, i) => lines.push(`| ${i + 1} | ${f.kind} ${f.target} | ${f.recoveryMs === null ? 'not within the run' : `${(f.recoveryMs / 1000).toFixed(1)} s`} | ${f.note ?? ''} |`));
  lines.push('', '| check | expected | seen | lost | duplicated | note | ok |', '|---|---|---|---|---|---|---|');
  for (const c of r.checks) lines.push(`| ${c.name} | ${c.expected} | ${c.seen} | ${c.lost} | ${c.duplicated} | ${c.note ?? ''} | ${c.ok ? 'yes' : '**NO**'} |`);
  lines.push('', '| figure | value |', '|---|---|');
  for (const [k, v] of Object.entries(r.figures)) lines.push(`| ${k} | ${v} |`);
  lines.push('', `chaos: ${r.faults.length} faults, lost ${r.lost}, duplicated ${r.duplicated}, resent ${r.resent}`);
  return lines;
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env, log: (l: string) => void = (l) => process.stdout.write(`${l}\n`)): ChaosOptions {
  const profile = env.CHAOS_PROFILE === 'short' ? 'short' : 'full';
  const num = (name: string, dflt: number) => {
    const v = env[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got ${JSON.stringify(v)})`);
    return n;
  };
  return {
    profile,
    portOffset: num('CHAOS_PORT_OFFSET', 700),
    dir: env.CHAOS_DIR ?? path.join(DATA_DIR, 'chaos'),
    ackWaitMs: num('CHAOS_ACK_WAIT_MS', 4000),
    pauseMs: num('CHAOS_PAUSE_MS', 6000),
    gapMs: num('CHAOS_GAP_MS', profile === 'short' ? 4000 : 6000),
    load: num('CHAOS_LOAD', 1) || 1,
    billingContracts: num('CHAOS_BILLING_CONTRACTS', 40),
    log,
  };
}

if (require.main === module) {
  const o = optionsFromEnv();
  runChaos(o)
    .then((r) => {
      report(r).forEach((l) => process.stdout.write(`${l}\n`));
      process.exit(r.ok ? 0 : 1);
    })
    .catch((err: Error) => {
      process.stderr.write(`chaos failed: ${err.stack ?? err.message}\n`);
      process.exit(2);
    });
}
