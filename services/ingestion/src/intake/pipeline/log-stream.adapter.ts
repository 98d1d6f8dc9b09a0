import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import { DataSource } from 'typeorm';
import { LogsReceived, STREAMS } from '@kanshi/events';
import { NatsBus } from '@kanshi/messaging';
import { CORRELATION_HEADER, counter, createLogger, currentCorrelationId } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { LogBatch } from './parse-batch';

const RETRY_DELAYS_MS = [100, 500, 2000];
// a backlog row older than the stream keeps its messages would be discarded by it anyway
const BACKLOG_MAX_AGE_SECONDS = STREAMS[LogsReceived.stream].maxAgeSeconds ?? 24 * 3600;
const BACKLOG_CHUNK = 20;

const published = counter('kanshi_ingest_log_batches_published_total', 'logs.received messages published');
const backlogged = counter('kanshi_ingest_log_batches_backlogged_total', 'logs.received messages JetStream refused, kept in ingestion.log_backlog');
const republished = counter('kanshi_ingest_log_batches_republished_total', 'logs.received messages published from the backlog');
const expired = counter('kanshi_ingest_log_batches_expired_total', 'logs.received messages dropped from the backlog once older than the stream keeps messages');
const failed = counter('kanshi_ingest_log_batches_failed_total', 'logs.received messages neither published nor kept in the backlog (the events are stored)');

interface BacklogRow {
  event_id: string;
  sensor_id: string;
  records: number;
  payload: Buffer;
  correlation_id: string | null;
}

// Non-alert logs travel to analysis as logs.received batches, straight to JetStream after the
// database commit (the raw events are the durable copy; the stream is size-bounded). The parse
// worker serializes each message (at most 5000 records, under the server's payload limit);
// the batch id is the msgID, so a retried publish is stored once.
//
// A message JetStream keeps refusing (the server down, the stream deleted) is not lost: it goes
// to ingestion.log_backlog and is published again, oldest first, every LOG_BACKLOG_INTERVAL_MS
// until JetStream takes it, or until it is older than the stream would keep it.
@Injectable()
export class LogStreamAdapter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = createLogger('LogStreamAdapter');
  private timer?: NodeJS.Timeout;
  private draining: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly bus: NatsBus,
    private readonly ds: DataSource,
    @Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig,
  ) {}

  get subject(): string {
    return this.bus.subjectOf(LogsReceived);
  }

  get maxPayloadBytes(): number {
    return this.bus.nc.info?.max_payload ?? 1024 * 1024;
  }

  onApplicationBootstrap(): void {
    // schema-only boot (supergraph composition): no database, nothing to run
    if (!this.ds.isInitialized) return;
    this.timer = setInterval(() => void this.drainBacklog(), this.config.LOG_BACKLOG_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
  }

  async publish(sensorId: string, batches: LogBatch[]): Promise<void> {
    for (const b of batches) await this.send(sensorId, b);
  }

  // Publishes what the backlog holds, oldest first, until JetStream refuses one; returns how many
  // went out. Runs one at a time; replicas share the work (rows are locked while published).
  drainBacklog(): Promise<number> {
    const run = this.draining.then(() => this.drainOnce());
    this.draining = run.catch((err) => this.log.error({ err }, 'logs.received backlog not drained; the next round tries again'));
    return run;
  }

  private async send(sensorId: string, batch: LogBatch): Promise<void> {
    const correlationId = currentCorrelationId();
    const data = Buffer.from(batch.payload.buffer, batch.payload.byteOffset, batch.payload.byteLength);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.publishOne(batch.eventId, data, correlationId);
        published.inc();
        return;
      } catch (err) {
        if (attempt >= RETRY_DELAYS_MS.length) return this.keep(sensorId, batch, data, correlationId, err as Error);
        await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  private publishOne(eventId: string, data: Uint8Array, correlationId: string | null | undefined) {
    const h = natsHeaders();
    if (correlationId) h.set(CORRELATION_HEADER, correlationId);
    return this.bus.js.publish(this.subject, data, { msgID: eventId, headers: h });
  }

  private async keep(sensorId: string, batch: LogBatch, data: Buffer, correlationId: string | undefined, err: Error): Promise<void> {
    const context = { eventId: batch.eventId, sensorId, records: batch.records, cause: err.message };
    try {
      await this.ds.query(
        `INSERT INTO ingestion.log_backlog (event_id, sensor_id, records, payload, correlation_id, attempts, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
        [batch.eventId, sensorId, batch.records, data, correlationId ?? null, RETRY_DELAYS_MS.length + 1, err.message],
      );
      backlogged.inc();
      this.log.warn(context, 'logs.received batch refused by JetStream; kept in the backlog and published again once it takes it');
    } catch (backlogErr) {
      failed.inc();
      // The events are committed and searchable; only analysis's copy of this batch is lost.
      this.log.error({ ...context, err: backlogErr }, 'logs.received batch lost for analysis: refused by JetStream and not kept in the backlog either');
    }
  }

  private async drainOnce(): Promise<number> {
    // TypeORM answers a DELETE ... RETURNING with [rows, count]
    const [gone]: [{ sensor_id: string; records: number }[], number] = await this.ds.query(
      `DELETE FROM ingestion.log_backlog WHERE created_at < now() - make_interval(secs => $1) RETURNING sensor_id, records`,
      [BACKLOG_MAX_AGE_SECONDS],
    );
    if (gone.length) {
      expired.inc(gone.length);
      this.log.warn({ batches: gone.length, records: gone.reduce((n, g) => n + g.records, 0), sensors: [...new Set(gone.map((g) => g.sensor_id))] }, 'logs.received backlog older than the stream keeps messages dropped: analysis never saw these events (they are stored)');
    }
    let sent = 0;
    for (;;) {
      const chunk = await this.ds.transaction(async (em) => {
        const rows: BacklogRow[] = await em.query(
          // a batch that aged past the stream's limit since the DELETE above waits for the next round's
          `SELECT event_id, sensor_id, records, payload, correlation_id FROM ingestion.log_backlog
            WHERE created_at >= now() - make_interval(secs => $2)
            ORDER BY created_at, event_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BACKLOG_CHUNK, BACKLOG_MAX_AGE_SECONDS],
        );
        let done = 0;
        for (const row of rows) {
          try {
            await this.publishOne(row.event_id, row.payload, row.correlation_id);
          } catch (err) {
            await em.query(`UPDATE ingestion.log_backlog SET attempts = attempts + 1, last_error = $2 WHERE event_id = $1`, [row.event_id, (err as Error).message]);
            return { rows: rows.length, done, refused: true };
          }
          await em.query(`DELETE FROM ingestion.log_backlog WHERE event_id = $1`, [row.event_id]);
          republished.inc();
          done++;
        }
        return { rows: rows.length, done, refused: false };
      });
      sent += chunk.done;
      if (chunk.refused || chunk.rows < BACKLOG_CHUNK) {
        if (sent > 0) this.log.info({ batches: sent }, 'logs.received backlog published');
        return sent;
      }
    }
  }
}
