import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { createLogger, gauge, histogram } from '@kanshi/observability';

// How a queue treats several jobs of the same singletonKey (pg-boss policies):
// standard: no limit; short: at most one waiting; singleton: at most one running;
// stately: at most one waiting and one running (recurring maintenance work).
export type JobPolicy = 'standard' | 'short' | 'singleton' | 'stately';

export interface JobOptions {
  // Attempts after the first; 0 runs a job once.
  retryLimit?: number;
  // Seconds before the first retry; with retryBackoff each retry waits about twice as long
  // (with jitter: delay * 2^n / 2 plus up to as much again).
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  // A run still going after this long is failed (and retried if attempts are left); under 24 h.
  expireInSeconds?: number;
  policy?: JobPolicy;
}

export interface JobDefinition<T extends object> {
  readonly name: string;
  readonly options: Required<JobOptions>;
  // Carries the payload type only; never set.
  readonly __data?: T;
}

// pg-boss's executor over the connection of a TypeORM transaction.
async function transactionDb(em: EntityManager): Promise<{ executeSql(text: string, values: unknown[]): Promise<{ rows: any[] }> }> {
  if (!em.queryRunner?.isTransactionActive) throw new Error('JobQueue.send with em: the entity manager must be in a transaction');
  const client = (await em.queryRunner.connect()) as { query(text: string, values: unknown[]): Promise<{ rows: any[] }> };
  return { executeSql: (text, values) => client.query(text, values) };
}

const JOB_NAME = /^[a-z][a-z0-9._-]{0,99}$/;

// PostgreSQL is restarting or unreachable: the statement never ran, so it may be sent again.
const NOT_CONNECTED = new Set(['57P03', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const notConnected = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string };
  return NOT_CONNECTED.has(e?.code ?? '') || /the database system is (starting up|shutting down)|Connection terminated due to connection timeout|timeout exceeded when trying to connect/.test(e?.message ?? '');
};

// pg-boss 10 completes and fails a worker's jobs without awaiting them (manager.js, `work`): when
// the database goes away between a job's end and that statement, the rejection is unhandled and
// the process dies. These two statements are safe to lose: the job stays active and runs again
// once it expires (handlers are idempotent), so their failure is logged and answered as "none".
export function isCompletionSql(text: string): boolean {
  return /UPDATE \S+\.job\s+SET completed_on = now\(\),\s+state = 'completed'/.test(text) || (/WITH deleted_jobs AS \(\s*DELETE FROM \S+\.job/.test(text) && text.includes('UNNEST($2::uuid[])'));
}

// pg-boss's executor over the pool: statements that could not reach PostgreSQL (a restart) are
// tried again for up to `retryForMs`; completions that fail are logged, never left unhandled.
export function resilientExecutor(
  query: (text: string, values?: unknown[]) => Promise<{ rows: any[] }>,
  log: { warn(obj: object, msg: string): void },
  retryForMs = 15_000,
): { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> } {
  return {
    executeSql: async (text, values) => {
      const deadline = Date.now() + retryForMs;
      for (let wait = 100; ; wait = Math.min(2000, wait * 2)) {
        try {
          return await query(text, values);
        } catch (err) {
          if (notConnected(err) && Date.now() + wait < deadline) {
            await new Promise((r) => setTimeout(r, wait));
            continue;
          }
          if (isCompletionSql(text)) {
            log.warn({ err }, 'a job completion could not be written; the job runs again when it expires');
            return { rows: [{ count: '0' }] };
          }
          throw err;
        }
      }
    },
  };
}

// One named kind of job with its retry rules, e.g.
// `const RetentionJob = defineJob('raw-event-retention', { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true })`.
export function defineJob<T extends object = Record<string, never>>(name: string, options: JobOptions = {}): JobDefinition<T> {
  if (!JOB_NAME.test(name)) throw new Error(`job name "${name}" must be lower-case letters, digits, . _ or -, starting with a letter`);
  const opts: Required<JobOptions> = {
    retryLimit: options.retryLimit ?? 3,
    retryDelaySeconds: options.retryDelaySeconds ?? 30,
    retryBackoff: options.retryBackoff ?? true,
    expireInSeconds: options.expireInSeconds ?? 15 * 60,
    policy: options.policy ?? 'standard',
  };
  if (opts.expireInSeconds >= 24 * 3600) throw new Error(`job ${name}: expireInSeconds must be under 24 hours`);
  return { name, options: opts };
}

export interface JobContext {
  id: string;
  // 0 on the first attempt.
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<T extends object> = (data: T, job: JobContext) => Promise<unknown>;

export interface SendOptions {
  // Not before this time (or this many seconds from now).
  startAfter?: Date | number;
  // With the queue's policy: at most one waiting/running job per key. With singletonSeconds:
  // at most one job per key in each slot of that many seconds.
  singletonKey?: string;
  singletonSeconds?: number;
  // Queue the job inside this transaction: it exists exactly when the transaction commits.
  em?: EntityManager;
}

export interface WorkOptions {
  // pg-boss workers for this kind on this replica; default 1. Each fetches up to batchSize jobs.
  workers?: number;
  // Jobs one worker fetches at a time and runs at once (each completed, retried or failed on its
  // own); default 1. So up to workers * batchSize jobs of this kind run at once on this replica.
  batchSize?: number;
  // How often an idle worker of this kind looks for due jobs (at least 500 ms); default the
  // queue's pollIntervalMs. A job sent from this replica wakes a worker at once anyway (below).
  pollIntervalMs?: number;
}

export interface JobQueueOptions {
  // The queue's own PostgreSQL schema, e.g. `ingestion_jobs`; created at the first start.
  schema: string;
  // How often an idle worker looks for due jobs.
  pollIntervalMs?: number;
  // How often cron schedules are checked.
  cronCheckSeconds?: number;
  // How often the kanshi_jobs gauges are refreshed.
  metricsIntervalMs?: number;
  // How long stop() waits for running jobs before failing them (they are retried).
  stopTimeoutMs?: number;
}

const sizes = gauge('kanshi_jobs', 'Jobs per queue and state (created, retry, active, failed)', ['queue', 'state']);
const durations = histogram('kanshi_job_duration_seconds', 'Job run time by queue and outcome (completed, retry, failed)', ['queue', 'outcome'], [0.05, 0.25, 1, 5, 30, 120, 600, 3600]);
const GAUGE_STATES = ['created', 'retry', 'active', 'failed'] as const;

interface Registered {
  job: JobDefinition<object>;
  handler?: JobHandler<object>;
  workers?: number;
  batchSize?: number;
  pollIntervalMs?: number;
  // the running pg-boss workers' ids, woken in turn by wake()
  workerIds: string[];
  nextWake: number;
  cron?: { expr: string; tz: string };
  every?: { intervalMs: number; atStart: boolean };
}

interface PgPool {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
  connect(): Promise<{ query(text: string, values?: unknown[]): Promise<unknown>; release(): void }>;
}

// Scheduled and retried work of one service, on pg-boss in a schema of the service's own, over
// the service's connection pool. Jobs, cron schedules and intervals are registered before
// start() (in onModuleInit); the platform starts the queue with messaging and stops it on
// shutdown before the pool closes. Every replica works every queue; a job runs on one of them.
export class JobQueue {
  private readonly log = createLogger('JobQueue');
  private readonly registered = new Map<string, Registered>();
  private readonly created = new Set<string>();
  private boss?: PgBoss;
  private timers: NodeJS.Timeout[] = [];
  private started = false;
  private metricsRefresh: Promise<void> | undefined;
  // Queues that got a job inside a transaction not yet committed, by the transaction's runner.
  // (how many of the queue's workers to wake)
  private readonly pendingWakes = new WeakMap<QueryRunner, Map<string, number>>();

  constructor(
    private readonly ds: DataSource,
    private readonly opts: JobQueueOptions,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,49}$/.test(opts.schema)) throw new Error(`job queue schema "${opts.schema}" must be a lower-case PostgreSQL name of at most 50 characters`);
    // A job sent inside a transaction becomes visible at its commit: then a worker of its queue on
    // this replica is woken, so the job starts at once instead of after a polling interval.
    ds.subscribers.push({
      afterTransactionCommit: ({ queryRunner }: { queryRunner: QueryRunner }) => {
        if (queryRunner.isTransactionActive) return; // a savepoint released; the outer commit decides
        const names = this.pendingWakes.get(queryRunner);
        if (!names) return;
        this.pendingWakes.delete(queryRunner);
        for (const [name, times] of names) for (let i = 0; i < times; i++) this.wake(name);
      },
      afterTransactionRollback: ({ queryRunner }: { queryRunner: QueryRunner }) => {
        if (!queryRunner.isTransactionActive) this.pendingWakes.delete(queryRunner);
      },
    } as never);
  }

  // In production a service's PostgreSQL role owns its `<schema>_jobs` schema (created for it by
  // k8s/postgres/base/grants.sql) but may not create schemas, and pg-boss's installer starts with
  // CREATE SCHEMA IF NOT EXISTS, which PostgreSQL refuses without that right even when the schema
  // exists. So an existing, empty schema gets pg-boss's tables from its own construction plan
  // minus that statement; pg-boss then finds itself installed. A missing schema is left to pg-boss.
  private async installIntoExistingSchema(client: { query(sql: string, params?: unknown[]): Promise<unknown> }): Promise<void> {
    const { rows } = (await client.query('SELECT to_regclass($1) AS version_table, EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $2) AS schema_exists', [`${this.opts.schema}.version`, this.opts.schema])) as { rows: { version_table: string | null; schema_exists: boolean }[] };
    if (!rows[0].schema_exists || rows[0].version_table) return;
    const plan = PgBoss.getConstructionPlans(this.opts.schema).replace(/CREATE SCHEMA IF NOT EXISTS \S+/, 'SELECT 1');
    await client.query(plan);
  }

  get schema(): string {
    return this.opts.schema;
  }

  // Runs `handler` for each job; a throw fails the attempt, which is retried with back-off until
  // the job's retryLimit, then kept in the failed state with the error.
  work<T extends object>(job: JobDefinition<T>, handler: JobHandler<T>, opts: WorkOptions = {}): void {
    const r = this.entry(job);
    if (r.handler) throw new Error(`job ${job.name} already has a handler`);
    r.handler = handler as JobHandler<object>;
    r.workers = Math.max(1, Math.floor(opts.workers ?? 1));
    r.batchSize = Math.max(1, Math.floor(opts.batchSize ?? 1));
    if (opts.pollIntervalMs !== undefined && !(opts.pollIntervalMs >= 500)) throw new Error(`job ${job.name}: pollIntervalMs must be at least 500 (got ${opts.pollIntervalMs})`);
    r.pollIntervalMs = opts.pollIntervalMs;
  }

  // Recurring on a five-field cron expression in `tz`: one job per firing across all replicas
  // (the schedule is kept in the database and checked by one replica at a time).
  schedule<T extends object>(job: JobDefinition<T>, cron: string, opts: { tz?: string } = {}): void {
    this.entry(job).cron = { expr: cron, tz: opts.tz ?? 'UTC' };
  }

  // Recurring every `intervalMs` (at least a second), for periods too short for cron: each
  // replica ticks, and at most one job per interval-long slot is queued across all of them.
  // atStart: also queue one run when this replica starts (unless one is already waiting).
  every<T extends object>(job: JobDefinition<T>, intervalMs: number, opts: { atStart?: boolean } = {}): void {
    if (!Number.isFinite(intervalMs) || intervalMs < 1000) throw new Error(`job ${job.name}: an interval must be at least 1000 ms (got ${intervalMs})`);
    if (intervalMs > 12 * 3600_000) throw new Error(`job ${job.name}: an interval must be at most 12 hours (use schedule with a cron expression)`);
    this.entry(job).every = { intervalMs, atStart: opts.atStart ?? false };
  }

  // Queues one job; null when a singleton rule kept it out (an equal job is already queued).
  async send<T extends object>(job: JobDefinition<T>, data: T, opts: SendOptions = {}): Promise<string | null> {
    const boss = this.running();
    await this.ensureQueue(job);
    const startAfter = opts.startAfter instanceof Date ? opts.startAfter : opts.startAfter !== undefined ? new Date(Date.now() + opts.startAfter * 1000) : undefined;
    const db = opts.em ? await transactionDb(opts.em) : undefined;
    const id = await boss.send(job.name, data, { startAfter, singletonKey: opts.singletonKey, singletonSeconds: opts.singletonSeconds, db });
    if (id && !startAfter) {
      const runner = opts.em?.queryRunner;
      if (!runner) this.wake(job.name);
      else {
        const names = this.pendingWakes.get(runner) ?? new Map<string, number>();
        names.set(job.name, Math.max(names.get(job.name) ?? 0, 1));
        this.pendingWakes.set(runner, names);
      }
    }
    return id;
  }

  // Queues many jobs of one kind in one statement (send() takes one per job): with `em`, inside that
  // transaction, and the queue's workers on this replica are woken at its commit. Each job has the
  // queue's retry rules; singleton keys are send()'s (a batch never drops a job). Returns the jobs'
  // ids, in the order of `data`.
  async sendMany<T extends object>(job: JobDefinition<T>, data: readonly T[], opts: Pick<SendOptions, 'startAfter' | 'em'> = {}): Promise<string[]> {
    if (!data.length) return [];
    const boss = this.running();
    await this.ensureQueue(job);
    const startAfter = opts.startAfter instanceof Date ? opts.startAfter.toISOString() : opts.startAfter !== undefined ? new Date(Date.now() + opts.startAfter * 1000).toISOString() : undefined;
    const db = opts.em ? await transactionDb(opts.em) : undefined;
    const ids = data.map(() => randomUUID());
    await boss.insert(
      data.map((d, i) => ({ id: ids[i], name: job.name, data: d, startAfter })),
      db ? { db } : {},
    );
    if (!startAfter) {
      const runner = opts.em?.queryRunner;
      const times = Math.min(data.length, this.registered.get(job.name)?.workerIds.length ?? 1);
      if (!runner) for (let i = 0; i < times; i++) this.wake(job.name);
      else {
        const names = this.pendingWakes.get(runner) ?? new Map<string, number>();
        names.set(job.name, Math.max(names.get(job.name) ?? 0, times));
        this.pendingWakes.set(runner, names);
      }
    }
    return ids;
  }

  // Wakes one of this replica's workers of the queue (in turn): an idle one fetches at once, a busy
  // one fetches again as soon as it is done instead of waiting out its polling interval.
  private wake(name: string): void {
    const r = this.registered.get(name);
    if (!this.boss || !this.started || !r?.workerIds.length) return;
    const id = r.workerIds[r.nextWake++ % r.workerIds.length];
    this.boss.notifyWorker(id);
  }

  async start(): Promise<void> {
    if (this.started) return;
    const pool = (this.ds.driver as unknown as { master: PgPool }).master;
    const pollingIntervalSeconds = (this.opts.pollIntervalMs ?? 2000) / 1000;
    const boss = new PgBoss({
      db: resilientExecutor((text, values) => pool.query(text, values), this.log),
      schema: this.opts.schema,
      pollingIntervalSeconds,
      cronMonitorIntervalSeconds: this.opts.cronCheckSeconds ?? 30,
      cronWorkerIntervalSeconds: Math.min(5, Math.max(1, Math.round(pollingIntervalSeconds))),
      // failed jobs stay queryable (and counted) for a week, then in the archive for 30 days
      archiveFailedAfterSeconds: 7 * 86400,
      deleteAfterDays: 30,
    });
    boss.on('error', (err) => this.log.warn({ err, schema: this.opts.schema }, 'job queue error; it carries on'));
    // Replicas starting together: one installs (or upgrades) the schema, the others wait for it.
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`kanshi-jobs:${this.opts.schema}`]);
      await this.installIntoExistingSchema(client);
      await boss.start();
      for (const r of this.registered.values()) await this.ensureQueue(r.job, boss);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`kanshi-jobs:${this.opts.schema}`]).catch(() => undefined);
      client.release();
    }
    this.boss = boss;
    this.started = true;
    // A schedule whose job this code no longer registers would queue jobs nobody works.
    const wanted = new Set([...this.registered.values()].filter((r) => r.cron).map((r) => r.job.name));
    for (const s of await boss.getSchedules()) if (!wanted.has(s.name)) await boss.unschedule(s.name);
    for (const r of this.registered.values()) {
      if (r.handler) for (let i = 0; i < (r.workers ?? 1); i++) r.workerIds.push(await this.startWorker(boss, r, r.handler, (r.workers ?? 1) > 1 || (r.batchSize ?? 1) > 1));
      if (r.cron) await boss.schedule(r.job.name, r.cron.expr, {}, { tz: r.cron.tz });
      if (r.every) this.startTicker(r.job, r.every);
    }
    this.startMetrics();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.metricsRefresh;
    // waits for running jobs; past the timeout they are failed, and retried elsewhere
    await this.boss?.stop({ graceful: true, wait: true, close: false, timeout: this.opts.stopTimeoutMs ?? 8000 });
    this.boss = undefined;
    for (const r of this.registered.values()) r.workerIds = [];
  }

  // Jobs per queue and state, for the gauges and for tests.
  async counts(): Promise<Record<string, Record<(typeof GAUGE_STATES)[number], number>>> {
    const rows: { name: string; state: string; n: number }[] = await this.ds.query(
      `SELECT name, state::text AS state, count(*)::int AS n FROM "${this.opts.schema}".job WHERE state = ANY($1::text[]::"${this.opts.schema}".job_state[]) GROUP BY 1, 2`,
      [GAUGE_STATES],
    );
    const out: Record<string, Record<(typeof GAUGE_STATES)[number], number>> = {};
    for (const name of this.registered.keys()) out[name] = { created: 0, retry: 0, active: 0, failed: 0 };
    for (const r of rows) {
      if (r.name.startsWith('__pgboss')) continue;
      out[r.name] ??= { created: 0, retry: 0, active: 0, failed: 0 };
      out[r.name][r.state as (typeof GAUGE_STATES)[number]] = r.n;
    }
    return out;
  }

  async refreshMetrics(): Promise<void> {
    for (const [queue, states] of Object.entries(await this.counts())) {
      for (const state of GAUGE_STATES) sizes.set({ queue, state }, states[state]);
    }
  }

  private entry(job: JobDefinition<object>): Registered {
    if (this.started) throw new Error(`job ${job.name}: register work and schedules before the job queue starts (in onModuleInit)`);
    let r = this.registered.get(job.name);
    if (!r) {
      r = { job, workerIds: [], nextWake: 0 };
      this.registered.set(job.name, r);
    } else if (r.job !== job) throw new Error(`job ${job.name} is defined twice`);
    return r;
  }

  private running(): PgBoss {
    if (!this.boss || !this.started) throw new Error(`the job queue ${this.opts.schema} is not running`);
    return this.boss;
  }

  private async ensureQueue(job: JobDefinition<object>, boss = this.running()): Promise<void> {
    if (this.created.has(job.name)) return;
    const o = job.options;
    const queue = { name: job.name, policy: o.policy, retryLimit: o.retryLimit, retryDelay: o.retryDelaySeconds, retryBackoff: o.retryBackoff, expireInSeconds: o.expireInSeconds };
    await boss.createQueue(job.name, queue);
    // an existing queue takes the definition as it is in this code
    await boss.updateQueue(job.name, queue);
    this.created.add(job.name);
  }

  // eager: after a batch the worker looks for the next at once instead of waiting out its polling
  // interval (queues with several workers or bigger batches, whose bursts should drain at once).
  // The jobs of a batch run at once; each one that throws is failed on its own (retried if it has
  // attempts left) before pg-boss completes the batch, which leaves failed jobs as they are.
  private async startWorker(boss: PgBoss, r: Registered, handler: JobHandler<object>, eager = false): Promise<string> {
    const job = r.job;
    let workerId: string | undefined;
    // (pg-boss checks the key when present, even undefined)
    const polling = r.pollIntervalMs !== undefined ? { pollingIntervalSeconds: r.pollIntervalMs / 1000 } : {};
    const runOne = async (j: PgBoss.JobWithMetadata<object>): Promise<void> => {
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        await handler(j.data ?? {}, { id: j.id, retryCount: j.retryCount, retryLimit: j.retryLimit });
        durations.observe({ queue: job.name, outcome: 'completed' }, seconds());
      } catch (err) {
        const last = j.retryCount >= j.retryLimit;
        durations.observe({ queue: job.name, outcome: last ? 'failed' : 'retry' }, seconds());
        const attempt = { job: job.name, jobId: j.id, attempt: j.retryCount + 1, attempts: j.retryLimit + 1 };
        if (last) this.log.error({ err, ...attempt }, 'job failed on its last attempt; kept as failed');
        else this.log.warn({ err, ...attempt }, 'job failed; it will be retried');
        throw err;
      }
    };
    workerId = await boss.work<object>(job.name, { includeMetadata: true, batchSize: r.batchSize ?? 1, ...polling }, async (jobs) => {
      if (eager && workerId) boss.notifyWorker(workerId);
      if (jobs.length === 1) return runOne(jobs[0]);
      const outcomes = await Promise.allSettled(jobs.map(runOne));
      for (let i = 0; i < jobs.length; i++) {
        const o = outcomes[i];
        if (o.status === 'rejected') await boss.fail(job.name, jobs[i].id, o.reason);
      }
    });
    return workerId;
  }

  private startTicker(job: JobDefinition<object>, every: { intervalMs: number; atStart: boolean }): void {
    const singletonSeconds = Math.max(1, Math.round(every.intervalMs / 1000));
    const tick = (first: boolean) =>
      this.send(job, {}, first ? { singletonKey: 'every' } : { singletonKey: 'every', singletonSeconds }).catch((err) => {
        if (this.started) this.log.warn({ err, job: job.name }, 'could not queue a recurring job; the next tick tries again');
      });
    if (every.atStart) void tick(true);
    const timer = setInterval(() => void tick(false), every.intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private startMetrics(): void {
    // Kept so stop() can wait for it: a refresh still reading the tables after stop() returned
    // would race whatever comes next (a schema dropped, the pool closed).
    const refresh = () => (this.metricsRefresh = this.refreshMetrics().catch((err) => this.log.warn({ err }, 'job queue metrics not refreshed')));
    void refresh();
    const timer = setInterval(() => void refresh(), this.opts.metricsIntervalMs ?? 15_000);
    timer.unref();
    this.timers.push(timer);
  }
}
