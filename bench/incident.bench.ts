// `npm run bench -- incident`: the incident service in one process on a throwaway database and NATS
// namespace, with messaging on (consumers, relay).
// 1. SLA scheduler: 100,000 open incidents with running clocks (due over the next 24 h); the time of
//    one `SlaScheduler.tick()` when nothing is due, and when 100 clocks are due (each marked breached,
//    sla-breached and the snapshot written). Baseline: the bare indexed due-clock query.
// 2. verdict -> incident: analysis.verdict.issued.v2 published to JetStream at a steady 200/s
//    (HIGH/MEDIUM/LOW mix, a third attaching to an open group), latency from publish until the
//    verdict's incident row (or LOW count row) is committed, seen by a 10 ms poller. Baseline in
//    the same run: the same rate through a bare consumer (inbox + one insert) on the same stream
//    machinery, seen by the same poller.
import { randomBytes, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { dropDatabase, ensureDatabase, migrateSchema, withDatabase } from '@kanshi/database';
import { defineEvent, EventDefinition, SocSeverity, VerdictIssuedV2, VerdictIssuedV2Body } from '@kanshi/events';
import { ConsumerHost, NatsBus } from '@kanshi/messaging';
import { createServiceApp } from '@kanshi/platform';
import { ensureInfra } from '../scripts/infra';
import { AppModule } from '../services/incident/src/app.module';
import { loadConfig } from '../services/incident/src/config';
import { IncidentsRepository } from '../services/incident/src/incidents/incidents.repository';
import { SlaScheduler } from '../services/incident/src/incidents/sla-scheduler';
import { appendBenchmark, table } from './report';

const OPEN_INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const TICKS = 20;
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TARGET_TICK_MS = 100;
const TARGET_P99_MS = 1000;
// How long after the last publish the bench waits for stragglers before counting them as missing.
const DRAIN_S = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);

class EchoBody {
  @IsString() id: string;
}
const EchoHappened = defineEvent('incident.bench-echo.happened.v1', 'INCIDENT', EchoBody);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => x.toFixed(1);

// Statements this process sends to PostgreSQL (every pg client: TypeORM's pool, pg-boss, the relay),
// counted from `reset()`; the bench's own pollers mark theirs with BENCH_POLL and are left out.
// `byKind`: the first words of each statement, for where they go.
const BENCH_POLL = '/* bench-poll */';
const statements = (() => {
  const c = { n: 0, byKind: new Map<string, number>(), reset: () => ((c.n = 0), c.byKind.clear()) };
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : ((q as { text?: string } | null)?.text ?? '');
    if (!text.startsWith(BENCH_POLL)) {
      c.n++;
      const kind = text.replace(/\s+/g, ' ').trim().slice(0, 70);
      c.byKind.set(kind, (c.byKind.get(kind) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
  return c;
})();

async function timed(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

// The provider's relay for the bench: a real SMTP server (smtp-server, no STARTTLS, as the kit's
// LocalSmtpRelay) that accepts every mail and notes, by Message-ID, when it answered 250.
class AcceptingRelay {
  readonly acceptedAt = new Map<string, number>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('utf8');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1];
        if (id) this.acceptedAt.set(id.replace(/@kanshi$/, ''), performance.now());
        callback();
      });
    },
  });
  async start(): Promise<string> {
    // A client that resets its connection (a sender killed mid-mail) must not end this process.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// Publishes `make(i)` at RATE/s for SECONDS and reports each id's latency until `seen` finds it
// (and when each was published).
async function steady<T>(bus: NatsBus, def: EventDefinition<T>, customerId: string, make: (i: number) => { id: string; body: T }, seen: (ids: string[]) => Promise<string[]>): Promise<{ latencies: number[]; published: Map<string, number>; missing: number }> {
  const sentAt = new Map<string, number>();
  const published = new Map<string, number>();
  const latencies: number[] = [];
  const total = RATE * SECONDS;
  let sent = 0;
  const started = performance.now();
  let polling = true;
  const poller = (async () => {
    while (polling || sentAt.size) {
      if (sentAt.size) {
        const found = await seen([...sentAt.keys()]);
        const now = performance.now();
        for (const id of found) {
          latencies.push(now - sentAt.get(id)!);
          sentAt.delete(id);
        }
      }
      await new Promise((r) => setTimeout(r, 10));
      // past the drain allowance what is left counts as missing (the consumer fell behind the rate)
      if (!polling && performance.now() - started > (SECONDS + DRAIN_S) * 1000) break;
    }
  })();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
    const batch: Promise<unknown>[] = [];
    for (; sent < due; sent++) {
      const { id, body } = make(sent);
      const eventId = randomUUID();
      const envelope = { eventId, subject: def.subject, occurredAt: new Date().toISOString(), customerId, body };
      sentAt.set(id, performance.now());
      published.set(id, sentAt.get(id)!);
      batch.push(bus.js.publish(bus.subjectOf(def), Buffer.from(JSON.stringify(envelope)), { msgID: eventId }));
    }
    await Promise.all(batch);
    await new Promise((r) => setTimeout(r, 5));
  }
  polling = false;
  await poller;
  return { latencies, published, missing: sentAt.size };
}

export async function run(): Promise<void> {
  const infra = await ensureInfra();
  const url = withDatabase(infra.databaseUrl, `kanshi_bench_incident_${randomBytes(4).toString('hex')}`);
  const namespace = `benchinc${randomBytes(3).toString('hex')}`;
  const relay = new AcceptingRelay();
  const smtpUrl = await relay.start();
  await ensureDatabase(url);
  await migrateSchema(url, 'incident');
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: url, NATS_URL: infra.natsUrl, NATS_NAMESPACE: namespace, JWT_SECRET: 'bench-secret-bench-secret-bench-secret', AUTH_MODE: 'hs256', LOG_LEVEL: 'warn', SLA_CHECK_INTERVAL_MS: '3600000', SMTP_URL: smtpUrl });
  const app = await createServiceApp(AppModule.forRoot(config), { service: 'incident', port: 0 });
  await app.init();
  const ds = app.get(DataSource);
  const bus = app.get(NatsBus);
  let echo: ConsumerHost | null = null;
  try {
    const customerId = randomUUID();
    await ds.query(`INSERT INTO incident.tenant_customer (customer_id, partner_id, name) VALUES ($1, NULL, 'bench')`, [customerId]);
    await ds.query(
      `INSERT INTO incident.customer_terms (contract_id, customer_id, plan, service_hours, escalation_contacts, status, updated_at) VALUES ($1, $2, 'MDR', 'ALWAYS', $3, 'active', now())`,
      [randomUUID(), customerId, JSON.stringify([{ order: 1, name: 'Bench Contact', email: 'soc-contact@bench.example', language: 'ja' }])],
    );

    // 1. the scheduler over 100,000 open incidents with running clocks
    const seedStart = performance.now();
    await ds.query(
      `INSERT INTO incident.incident (customer_id, severity, status, title, opened_by, sla_plan, sla_service_hours, analysis_due_at, next_due_at)
       SELECT $1, 'HIGH', 'NEW', 'bench ' || g, 'system:bench', 'MDR', 'ALWAYS', d, d
       FROM (SELECT g, now() + interval '1 minute' + random() * interval '24 hours' AS d FROM generate_series(1, $2) g) s`,
      [customerId, OPEN_INCIDENTS],
    );
    await ds.query(`ANALYZE incident.incident`);
    const seedS = (performance.now() - seedStart) / 1000;
    const scheduler = app.get(SlaScheduler);
    const repo = app.get(IncidentsRepository);
    await scheduler.tick(); // warm-up
    const bare = await timed(() => repo.countDue(new Date()), TICKS);
    const idle = await timed(() => scheduler.tick(), TICKS);
    const busy: number[] = [];
    let breaches = 0;
    for (let i = 0; i < 5; i++) {
      await ds.query(
        `UPDATE incident.incident SET analysis_due_at = now() - interval '1 second', next_due_at = now() - interval '1 second'
         WHERE id IN (SELECT id FROM incident.incident WHERE next_due_at IS NOT NULL ORDER BY next_due_at DESC LIMIT 100)`,
      );
      const t = performance.now();
      breaches += (await scheduler.tick()).breaches;
      busy.push(performance.now() - t);
    }
    if (breaches !== 500) throw new Error(`expected 500 breaches, got ${breaches}`);

    // 2. verdict -> incident at a steady rate, and the bare consumer baseline
    await ds.query(`CREATE TABLE incident.bench_echo (id text PRIMARY KEY)`);
    echo = new ConsumerHost(ds, bus, { schema: 'incident' });
    echo.register({ durable: 'bench-echo', event: EchoHappened, handle: async (e, { em }) => void (await em.query(`INSERT INTO incident.bench_echo (id) VALUES ($1)`, [e.body.id])) });
    await echo.start();
    const { latencies: echoLat, missing: echoMissing } = await steady(bus, EchoHappened, customerId, () => {
      const id = randomUUID();
      return { id, body: { id } };
    }, async (ids) => (await ds.query(`${BENCH_POLL} SELECT id FROM incident.bench_echo WHERE id = ANY($1)`, [ids])).map((r: { id: string }) => r.id));

    const groups: string[] = [];
    const severities: SocSeverity[] = ['HIGH', 'MEDIUM', 'MEDIUM', 'LOW', 'HIGH'];
    const cpuBefore = process.cpuUsage();
    statements.reset();
    const verdictStart = performance.now();
    const { latencies: verdictLat, published, missing } = await steady(
      bus,
      VerdictIssuedV2,
      customerId,
      (i) => {
        const verdictId = randomUUID();
        const attach = groups.length > 0 && i % 3 === 0;
        const groupId = attach ? groups[i % groups.length] : randomUUID();
        if (!attach) groups.push(groupId);
        const body: VerdictIssuedV2Body = {
          verdictId,
          alertIds: [randomUUID()],
          groupId,
          severity: severities[i % severities.length],
          automaticSeverity: severities[i % severities.length],
          overridden: false,
          overrideRationale: null,
          reasons: [{ kind: 'RULE', text: 'Emotet C2 beacon', textJa: 'Emotet C2 通信', attackTechniques: ['T1071'] } as VerdictIssuedV2Body['reasons'][number]],
          recommendedActions: [{ text: 'Isolate the host', textJa: '端末を隔離' }],
          endpoints: [{ hostName: `pc-${i % 400}`, ip: `10.0.${Math.floor(i / 250) % 250}.${i % 250}` }],
          isolationRecommended: true,
          sensorId: customerId,
          product: 'CROWDSTRIKE_FALCON',
          category: ['malware'],
          signature: 'Emotet',
          blocked: false,
          decidedAt: new Date().toISOString(),
        };
        return { id: verdictId, body };
      },
      async (ids) =>
        (
          await ds.query(`${BENCH_POLL} SELECT verdict_id FROM incident.incident_verdict WHERE verdict_id = ANY($1::uuid[]) UNION ALL SELECT verdict_id FROM incident.low_verdict WHERE verdict_id = ANY($1::uuid[])`, [ids])
        ).map((r: { verdict_id: string }) => r.verdict_id),
    );
    const verdictsDone = (performance.now() - verdictStart) / 1000;
    // every mail the verdicts caused, until the relay accepted it
    const mails: { id: string; incident_id: string; severity: string }[] = await ds.query(`SELECT id, incident_id, severity FROM incident.notification WHERE channel = 'EMAIL'`);
    const waitUntil = performance.now() + DRAIN_S * 1000;
    while (mails.some((n) => !relay.acceptedAt.has(n.id)) && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
    const verdictWall = (performance.now() - verdictStart) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const sqlCount = statements.n;
    // the verdicts handled by now (the poller may have given up on some before the mails were done)
    const [{ n: handled }] = await ds.query(`${BENCH_POLL} SELECT (SELECT count(*) FROM incident.incident_verdict) + (SELECT count(*) FROM incident.low_verdict) AS n`).then((r: { n: string }[]) => r.map((x) => ({ n: Number(x.n) })));
    const topKinds = [...statements.byKind].sort((a, b) => b[1] - a[1]).slice(0, 15);
    const verdicts: { verdict_id: string; incident_id: string; severity: string }[] = await ds.query(`SELECT verdict_id, incident_id, severity FROM incident.incident_verdict`);
    const trigger = new Map<string, number>(); // incident|severity -> the first such verdict's publish time
    for (const v of verdicts) {
      const at = published.get(v.verdict_id);
      const k = `${v.incident_id}|${v.severity}`;
      if (at !== undefined && (!trigger.has(k) || at < trigger.get(k)!)) trigger.set(k, at);
    }
    const mailLat: number[] = [];
    for (const n of mails) {
      const at = relay.acceptedAt.get(n.id);
      const from = trigger.get(`${n.incident_id}|${n.severity}`);
      if (at !== undefined && from !== undefined) mailLat.push(at - from);
    }
    const unsent = mails.filter((n) => !relay.acceptedAt.has(n.id)).length;
    const [{ n: opened }] = await ds.query(`SELECT count(*)::int AS n FROM incident.incident WHERE opened_by = 'system:analysis'`);

    const tickRows = [
      ['bare indexed due-clock query (baseline)', ms(pct(bare, 50)), ms(pct(bare, 99)), ms(Math.max(...bare))],
      ['`SlaScheduler.tick()`, nothing due', ms(pct(idle, 50)), ms(pct(idle, 99)), ms(Math.max(...idle))],
      ['`SlaScheduler.tick()`, 100 clocks due (breach, event, snapshot each)', ms(pct(busy, 50)), ms(pct(busy, 99)), ms(Math.max(...busy))],
    ];
    const latRows = [
      ['bare consumer: inbox + one insert (baseline)', echoMissing ? `${echoLat.length} (${echoMissing} still open after ${DRAIN_S} s)` : String(echoLat.length), ms(pct(echoLat, 50)), ms(pct(echoLat, 95)), ms(pct(echoLat, 99)), ms(Math.max(...echoLat))],
      ['verdict -> incident (opened, attached or counted)', missing ? `${verdictLat.length} (${missing} still open after ${DRAIN_S} s)` : String(verdictLat.length), ms(pct(verdictLat, 50)), ms(pct(verdictLat, 95)), ms(pct(verdictLat, 99)), ms(Math.max(...verdictLat))],
      ['verdict -> incident -> notification (mail accepted by the relay)', unsent ? `${mailLat.length} (${unsent} not accepted after ${DRAIN_S} s)` : String(mailLat.length), ms(pct(mailLat, 50)), ms(pct(mailLat, 95)), ms(pct(mailLat, 99)), ms(Math.max(...mailLat))],
    ];
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const cpuLine = `The service's process (consumers, relay, job queue, the bench's publisher, poller and SMTP server) used ${cpuS.toFixed(1)} s of CPU in the ${verdictWall.toFixed(1)} s from the first verdict until the last mail was accepted and handled ${handled} of the ${RATE * SECONDS} verdicts (${((cpuS / handled) * 1000).toFixed(2)} ms per verdict handled; PostgreSQL and NATS not counted), sending ${sqlCount} SQL statements to PostgreSQL (${(sqlCount / handled).toFixed(2)} per verdict handled: intake, outbox relay, job queue and mail jobs, transaction BEGIN/COMMIT included; the bench's poller left out).`;
    const tickOk = pct(idle, 99) < TARGET_TICK_MS && pct(busy, 99) < TARGET_TICK_MS ? 'PASS' : 'FAIL';
    const latOk = mailLat.length > 0 && unsent === 0 && missing === 0 && pct(mailLat, 99) < TARGET_P99_MS ? 'PASS' : 'FAIL';
    const handledPerS = verdictLat.length / verdictsDone;
    const tickHead = ['what', 'p50 ms', 'p99 ms', 'max ms'];
    const latHead = ['path', 'events', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
    console.log(table(tickHead, tickRows));
    console.log(table(latHead, latRows));
    console.log(cpuLine);
    console.log(`statements by kind (first words):\n${topKinds.map(([k, n]) => `  ${String(n).padStart(7)}  ${k}`).join('\n')}`);
    console.log(`tick target < ${TARGET_TICK_MS} ms: ${tickOk}; verdict -> notification p99 target < ${TARGET_P99_MS} ms: ${latOk}; ${opened} incidents opened, ${mails.length} mails (${unsent} not accepted in time); load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ');
    console.log(`verdicts handled ${handledPerS.toFixed(0)}/s (offered ${RATE}/s)`);
    appendBenchmark('incident', [
      `Run ${new Date().toISOString().slice(0, 10)} on this ${cpus().length}-core machine, shared with other work: load average at the end ${load} (1/5/15 min). The incident service in one process with messaging on (consumers, outbox relay, job queue), throwaway database and NATS namespace.`,
      '',
      `**SLA scheduler** over ${OPEN_INCIDENTS.toLocaleString('en')} open incidents with running clocks (seeded in ${seedS.toFixed(1)} s, due over the next 24 h), ${TICKS} ticks with nothing due; then 5 ticks with 100 clocks due each (each marked breached, with its timeline entry, sla-breached event and new snapshot). Baseline: the bare indexed due-clock query the tick starts with. Target tick < ${TARGET_TICK_MS} ms (p99): **${tickOk}**.`,
      '',
      table(tickHead, tickRows),
      '',
      `**verdict -> incident -> notification**: analysis.verdict.issued.v2 published to JetStream at a steady ${RATE}/s for ${SECONDS} s (severities HIGH/MEDIUM/LOW 2:2:1, a third attaching to an open alert group; ${opened} incidents opened, ${mails.length} mails to the customer's contact). "verdict -> incident": from the publish until the verdict's row is committed, seen by a 10 ms poller. "notification": from the publish of the verdict that decided the severity until the bench's SMTP server (smtp-server on 127.0.0.1, standing in for the provider's relay) answered 250 to the mail's DATA. Baseline: the same rate through a bare consumer (inbox + one insert). Verdicts handled ${handledPerS.toFixed(0)}/s. Target notification p99 < ${TARGET_P99_MS} ms: **${latOk}**.`,
      '',
      table(latHead, latRows),
      '',
      cpuLine,
    ]);
  } finally {
    if (echo) await echo.stop();
    await relay.stop();
    for await (const s of bus.jsm.streams.list()) if (s.config.name.startsWith(`${namespace}_`)) await bus.jsm.streams.delete(s.config.name).catch(() => undefined);
    await app.close();
    await dropDatabase(url).catch(() => undefined);
    await infra.stop();
  }
}
