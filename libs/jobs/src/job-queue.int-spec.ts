import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { metricsRegistry } from '@kanshi/observability';
import { eventually, testDatabaseUrl } from '@kanshi/testing';
import { defineJob, JobQueue } from './job-queue';

jest.setTimeout(60_000);

// Each test has a queue schema of its own: a fresh install, and no other test's jobs.
let schema: string;
const sources: DataSource[] = [];
const queues: JobQueue[] = [];

// One replica: a pool and a queue of its own on the shared schema.
async function replica(): Promise<JobQueue> {
  const ds = new DataSource({ type: 'postgres', url: testDatabaseUrl(), extra: { max: 4 } });
  await ds.initialize();
  sources.push(ds);
  const q = new JobQueue(ds, { schema, pollIntervalMs: 500, cronCheckSeconds: 1, metricsIntervalMs: 3600_000, stopTimeoutMs: 2000 });
  queues.push(q);
  return q;
}

const jobRows = (name: string): Promise<{ id: string; state: string; retry_count: number; output: { message?: string } | null }[]> =>
  sources[0].query(`SELECT id, state::text AS state, retry_count, output FROM "${schema}".job WHERE name = $1 ORDER BY created_on`, [name]);

beforeEach(() => {
  schema = `jobtest_${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.stop()));
  if (sources[0]) await sources[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(sources.splice(0).map((ds) => ds.destroy()));
});

describe('job queue', () => {
  it('runs a job with its data', async () => {
    const Greet = defineJob<{ name: string }>('greet');
    const q = await replica();
    const seen: string[] = [];
    q.work(Greet, async ({ name }) => {
      seen.push(name);
    });
    await q.start();
    expect(await q.send(Greet, { name: 'kanshi' })).toEqual(expect.any(String));
    await eventually(async () => expect(seen).toEqual(['kanshi']));
    await eventually(async () => expect((await jobRows('greet')).map((r) => r.state)).toEqual(['completed']));
  });

  it('retries a failing job with growing delays, then keeps it as failed with its error', async () => {
    const Flaky = defineJob('flaky', { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true });
    const q = await replica();
    const attempts: number[] = [];
    q.work(Flaky, async () => {
      attempts.push(Date.now());
      throw new Error('partner system is down');
    });
    await q.start();
    await q.send(Flaky, {});
    await eventually(async () => expect(attempts).toHaveLength(3), { timeoutMs: 20_000 });
    // back-off: about 1-2 s before the first retry, 2-4 s before the second
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(900);
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(1900);
    await eventually(async () => {
      const [row] = await jobRows('flaky');
      expect(row).toMatchObject({ state: 'failed', retry_count: 2 });
      expect(row.output?.message).toBe('partner system is down');
    });
    // no fourth attempt
    await new Promise((r) => setTimeout(r, 1500));
    expect(attempts).toHaveLength(3);
    await q.refreshMetrics();
    const gauge = await metricsRegistry.getSingleMetric('kanshi_jobs')!.get();
    expect(gauge.values).toContainEqual(expect.objectContaining({ labels: { queue: 'flaky', state: 'failed' }, value: 1 }));
    const histogram = await metricsRegistry.getSingleMetric('kanshi_job_duration_seconds')!.get();
    const count = (outcome: string) => (histogram.values as { metricName?: string; labels: Record<string, string | number>; value: number }[]).find((v) => v.metricName === 'kanshi_job_duration_seconds_count' && v.labels.queue === 'flaky' && v.labels.outcome === outcome)?.value;
    expect([count('retry'), count('failed')]).toEqual([2, 1]);
  });

  it('starts a job sent in a transaction as soon as it commits, not a polling interval later, and never one rolled back', async () => {
    const Notify = defineJob<{ n: number }>('notify-now');
    const q = await replica();
    const ran: { n: number; at: number }[] = [];
    q.work(Notify, async ({ n }) => void ran.push({ n, at: Date.now() }), { pollIntervalMs: 30_000 });
    await q.start();
    // the worker's first look finds nothing; its next would be 30 s later
    await new Promise((r) => setTimeout(r, 500));
    await sources[0]
      .transaction(async (em) => {
        await q.send(Notify, { n: 1 }, { em });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    let committedAt = 0;
    await sources[0].transaction(async (em) => {
      await q.send(Notify, { n: 2 }, { em });
      await new Promise((r) => setTimeout(r, 200));
      // not before the commit
      expect(ran).toEqual([]);
    });
    committedAt = Date.now();
    await eventually(async () => expect(ran.map((r) => r.n)).toEqual([2]), { timeoutMs: 10_000 });
    expect(ran[0].at - committedAt).toBeLessThan(5000);
  });

  it('queues many jobs in one statement inside a transaction: all run once it commits (each worker woken), none when it rolls back', async () => {
    const Mail = defineJob<{ n: number }>('mail-many', { retryLimit: 1, retryDelaySeconds: 1 });
    const q = await replica();
    const ran: number[] = [];
    q.work(Mail, async ({ n }) => void ran.push(n), { workers: 2, batchSize: 5, pollIntervalMs: 30_000 });
    await q.start();
    await new Promise((r) => setTimeout(r, 500));
    await sources[0]
      .transaction(async (em) => {
        await q.sendMany(Mail, [{ n: 100 }, { n: 101 }], { em });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    let statements = 0;
    let ids: string[] = [];
    await sources[0].transaction(async (em) => {
      // the transaction's connection, counting what is sent on it
      const client = (await em.queryRunner!.connect()) as { query: (...args: unknown[]) => unknown };
      const query = client.query;
      client.query = function (this: unknown, ...args: unknown[]) {
        statements++;
        return query.apply(this, args);
      };
      try {
        ids = await q.sendMany(Mail, Array.from({ length: 8 }, (_, n) => ({ n })), { em });
      } finally {
        client.query = query;
      }
      await new Promise((r) => setTimeout(r, 200));
      // not before the commit
      expect(ran).toEqual([]);
    });
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
    // one INSERT for the eight (the queue itself exists since start())
    expect(statements).toBe(1);
    // at once (the workers' next look would be 30 s later), each once
    await eventually(async () => expect([...ran].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]), { timeoutMs: 10_000 });
    const rows: { id: string; retry_limit: number; retry_delay: number }[] = await sources[0].query(`SELECT id, retry_limit, retry_delay FROM "${schema}".job WHERE name = 'mail-many'`);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    // each with the queue's retry rules
    expect(rows.every((r) => r.retry_limit === 1 && r.retry_delay === 1)).toBe(true);
    expect(await q.sendMany(Mail, [])).toEqual([]);
  });

  it('fires a cron schedule once, though two replicas on the same schema both schedule and work it', async () => {
    const Tick = defineJob('tick', { policy: 'stately' });
    const from = Date.now();
    const calls: string[] = [];
    for (const q of [await replica(), await replica()]) {
      q.work(Tick, async (_data, job) => {
        calls.push(job.id);
      });
      q.schedule(Tick, '* * * * *', { tz: 'Asia/Tokyo' });
    }
    await Promise.all(queues.map((q) => q.start()));
    await eventually(async () => expect(calls.length).toBeGreaterThanOrEqual(1), { timeoutMs: 15_000 });
    // several more cron checks of both replicas
    await new Promise((r) => setTimeout(r, 4000));
    // once per minute: two calls only if the test crossed into the next minute
    const minutes = Math.floor(Date.now() / 60_000) - Math.floor(from / 60_000) + 1;
    expect(calls.length).toBeLessThanOrEqual(minutes);
    expect(new Set(calls).size).toBe(calls.length);
  });

  it('runs at most one job per interval across replicas, and one at start', async () => {
    const Sweep = defineJob('sweep', { policy: 'stately' });
    const calls: number[] = [];
    for (const q of [await replica(), await replica()]) {
      q.work(Sweep, async () => {
        calls.push(Date.now());
      });
      q.every(Sweep, 2000, { atStart: q === queues[0] });
    }
    const from = Date.now();
    await Promise.all(queues.map((q) => q.start()));
    await eventually(async () => expect(calls.length).toBeGreaterThanOrEqual(1), { timeoutMs: 5000 });
    expect(calls[0] - from).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 6500));
    // the run at start, then one per 2-second slot (two replicas ticking)
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.length).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - from) / 2000));
  });

  it('keeps a job sent before a stop and runs it after the next start', async () => {
    const Later = defineJob<{ n: number }>('later');
    const first = await replica();
    const seenByFirst: number[] = [];
    first.work(Later, async ({ n }) => {
      seenByFirst.push(n);
    });
    await first.start();
    // due in 2 s: the first instance stops before it is
    await first.send(Later, { n: 7 }, { startAfter: 2 });
    await first.stop();
    const second = await replica();
    const seen: number[] = [];
    second.work(Later, async ({ n }) => {
      seen.push(n);
    });
    await second.start();
    await eventually(async () => expect(seen).toEqual([7]), { timeoutMs: 10_000 });
    expect(seenByFirst).toEqual([]);
  });

  it('refuses work registered after the start, and jobs sent before it', async () => {
    const Late = defineJob('late');
    const q = await replica();
    await expect(q.send(Late, {})).rejects.toThrow(/is not running/);
    await q.start();
    expect(() => q.work(Late, async () => undefined)).toThrow(/before the job queue starts/);
  });
  it('runs a batch at once, and fails and retries only the job that threw', async () => {
    const Mail = defineJob<{ to: string }>('mail', { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false });
    const q = await replica();
    const attempts: string[] = [];
    let running = 0;
    let most = 0;
    q.work(
      Mail,
      async ({ to }) => {
        attempts.push(to);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 300));
        running--;
        if (to === 'bounce@example.jp') throw new Error('550 no such user');
      },
      { batchSize: 5 },
    );
    await q.start();
    for (const to of ['a@example.jp', 'b@example.jp', 'bounce@example.jp', 'c@example.jp', 'd@example.jp']) await q.send(Mail, { to });
    await eventually(async () => expect(attempts.filter((a) => a === 'bounce@example.jp')).toHaveLength(2), { timeoutMs: 20_000 });
    await eventually(async () => {
      const rows = await jobRows('mail');
      expect(rows.map((r) => r.state).sort()).toEqual(['completed', 'completed', 'completed', 'completed', 'failed']);
      expect(rows.find((r) => r.state === 'failed')?.output?.message).toBe('550 no such user');
    });
    // the four good ones once each, side by side
    expect(attempts.filter((a) => a !== 'bounce@example.jp').sort()).toEqual(['a@example.jp', 'b@example.jp', 'c@example.jp', 'd@example.jp']);
    expect(most).toBeGreaterThan(1);
  });
});
