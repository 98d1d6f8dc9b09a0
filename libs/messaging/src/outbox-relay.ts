import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { headers as natsHeaders } from 'nats';
import { defineJob, JobQueue } from '@kanshi/jobs';
import { createLogger, counter } from '@kanshi/observability';
import { NatsBus } from './nats-bus';
import { outboxChannel } from './outbox';

export interface OutboxRelayOptions {
  schema: string;
  databaseUrl: string;
  batchSize?: number;
  pollIntervalMs?: number;
  // Published rows are kept this long for diagnosis, then deleted (see schedulePrune).
  keepPublishedDays?: number;
  // Test hook: runs after the batch was published and before it is marked sent.
  afterPublish?: (eventIds: string[]) => Promise<void>;
}

interface OutboxRow {
  seq: string;
  event_id: string;
  subject: string;
  // the envelope as JSON text, published as it is
  payload: string;
  headers: Record<string, string>;
}

// Deletes published outbox rows past their keeping time; a failed run is retried, and the next
// scheduled one catches up anyway.
export const OutboxPruneJob = defineJob('outbox-prune', { retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60, policy: 'stately' });

const published = counter('kanshi_outbox_published_total', 'Events published from the outbox', ['schema']);
const failures = counter('kanshi_outbox_publish_failures_total', 'Outbox publish attempts that failed', ['schema']);

// Publishes committed outbox rows to JetStream, in order, with the event id as the message id,
// and marks them sent. Safe to run in several replicas (rows are locked with SKIP LOCKED) and to
// crash at any point: unsent rows are picked up again, and a re-publish is deduplicated by
// JetStream (msgID within the duplicate window) and by every consumer's inbox.
export class OutboxRelay {
  private readonly log = createLogger('OutboxRelay');
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private relistenTimer?: NodeJS.Timeout;
  private running = false;
  private draining: Promise<void> = Promise.resolve();
  private wakeRequested = false;
  private inFlight = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: NatsBus,
    private readonly opts: OutboxRelayOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.opts.pollIntervalMs ?? 1000);
    this.wake();
  }

  // LISTEN on a connection of its own. When PostgreSQL ends it (a restart, a terminated backend),
  // it is made again, so events go out at their commit rather than only on the next poll.
  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: this.opts.databaseUrl, application_name: `kanshi-${this.opts.schema}-relay` });
    this.listener = listener;
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (!this.running || this.listener !== listener) return;
      this.log.warn({ err }, 'outbox listener connection lost; listening again');
      listener.end().catch(() => undefined);
      this.relisten(1);
    };
    listener.on('error', onLost);
    listener.on('end', () => onLost());
    listener.on('notification', () => this.wake());
    await listener.connect();
    await listener.query(`LISTEN ${outboxChannel(this.opts.schema)}`);
  }

  private relisten(attempt: number): void {
    this.relistenTimer = setTimeout(
      () => {
        if (!this.running) return;
        this.listen()
          .then(() => this.wake())
          .catch((err) => {
            this.log.warn({ err, attempt }, 'outbox listener could not connect; trying again');
            this.relisten(attempt + 1);
          });
      },
      Math.min(5000, 250 * 2 ** Math.min(attempt, 5)),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.relistenTimer) clearTimeout(this.relistenTimer);
    await this.draining;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  wake(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.wakeRequested = true;
      return;
    }
    this.inFlight = true;
    this.draining = this.drainAll().finally(() => {
      this.inFlight = false;
      if (this.wakeRequested && this.running) {
        this.wakeRequested = false;
        this.wake();
      }
    });
  }

  private async drainAll(): Promise<void> {
    try {
      while (this.running && (await this.publishBatch()) > 0) {
        // keep going while there is a backlog
      }
    } catch (err) {
      failures.inc({ schema: this.opts.schema });
      this.log.warn({ err }, 'outbox publish failed; will retry');
    }
  }

  // Publishes one batch; returns how many rows were sent.
  async publishBatch(): Promise<number> {
    const schema = `"${this.opts.schema}"`;
    let failedSeqs: string[] = [];
    try {
      return await this.sendLocked(schema, (seqs) => (failedSeqs = seqs));
    } catch (err) {
      // Recorded outside the rolled-back transaction, for diagnosis.
      if (failedSeqs.length) {
        await this.ds.query(`UPDATE ${schema}.outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])`, [
          failedSeqs,
          String((err as Error).message).slice(0, 500),
        ]);
      }
      throw err;
    }
  }

  // The batch is marked sent, published, and the mark committed only once JetStream has stored
  // every message: a failure (or a crash) rolls the mark back and the rows go out again later
  // (JetStream drops the duplicates by msgID). One UPDATE takes the rows' locks and marks them;
  // a SELECT ... FOR UPDATE followed by an UPDATE wrote every row twice.
  private sendLocked(schema: string, onFailure: (seqs: string[]) => void): Promise<number> {
    return this.ds.transaction(async (em) => {
      // TypeORM answers an UPDATE with [rows, count]
      const [rows]: [OutboxRow[], number] = await em.query(
        // payload as text: the driver would otherwise parse every document only for it to be
        // serialized again (alerts.received carries a whole ECS document)
        `UPDATE ${schema}.outbox SET published_at = now(), attempts = attempts + 1
         WHERE seq IN (SELECT seq FROM ${schema}.outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING seq, event_id, subject, payload::text AS payload, headers`,
        [this.opts.batchSize ?? 200],
      );
      if (rows.length === 0) return 0;
      // RETURNING comes in no particular order; events go out in the order they were written
      rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
      try {
        // Started in order on one connection, so JetStream stores them in order.
        await Promise.all(
          rows.map((row) => {
            const h = natsHeaders();
            for (const [k, v] of Object.entries(row.headers ?? {})) h.set(k, String(v));
            return this.bus.js.publish(this.bus.subjectOf(row.subject), Buffer.from(row.payload), { msgID: row.event_id, headers: h });
          }),
        );
      } catch (err) {
        onFailure(rows.map((r) => r.seq));
        throw err;
      }
      if (this.opts.afterPublish) await this.opts.afterPublish(rows.map((r) => r.event_id));
      published.inc({ schema: this.opts.schema }, rows.length);
      return rows.length;
    });
  }

  // Without this the outbox would keep every event ever published: prune on `cron` (UTC), once
  // across replicas. Registered before the job queue starts.
  schedulePrune(jobs: JobQueue, cron: string): void {
    jobs.work(OutboxPruneJob, async () => {
      const deleted = await this.prune(this.opts.keepPublishedDays ?? 7);
      if (deleted) this.log.info({ schema: this.opts.schema, deleted }, 'published outbox rows pruned');
    });
    jobs.schedule(OutboxPruneJob, cron);
  }

  // Published rows are kept a while for diagnosis, then removed.
  async prune(olderThanDays = 7): Promise<number> {
    const res: [unknown[], number] = await this.ds.query(
      `DELETE FROM "${this.opts.schema}".outbox WHERE published_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
    return res[1] ?? 0;
  }
}
