import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AlertReceived, LogsReceived } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { counter, histogram } from '@kanshi/observability';
import { LivenessService } from '../../liveness/liveness.service';
import { QuarantineInsert, QuarantineRepository } from '../../quarantine/quarantine.repository';
import { AlertsRepository } from '../../alerts/alerts.repository';
import { RawEventBatch, RawEventsRepository } from '../../raw-events/raw-events.repository';
import { RetentionService } from '../../raw-events/retention.service';
import { IntakeSensor } from '../../sensors/sensor-directory.service';
import { SensorVersions } from '../../sensors/sensor-versions.service';
import { LogStreamAdapter } from './log-stream.adapter';
import { currentCorrelationId } from '@kanshi/observability';
import { ParsedBatch, ParseInput, RecordResult } from './parse-batch';
import { IntakeMeta, IntakeRecord } from './intake-record';
import { ParserPool } from './parser-pool.service';

// A batch as the parse worker made it, with its raw rows and quarantined records attributed to
// their sensor: ready to write.
export interface PreparedBatch extends Omit<ParsedBatch, 'raw' | 'quarantined'> {
  raw: RawEventBatch;
  quarantine: QuarantineInsert[];
}

const records = counter('kanshi_ingest_records_total', 'Records received from sensors', ['transport', 'outcome']);
const batchSeconds = histogram('kanshi_ingest_batch_seconds', 'Time to parse and durably store one batch', ['transport'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);

const PARTITION_MISSING = '23514';

// Runs first in a batch's transaction, with what the batch's records came to: takes the
// request's key (idempotent intake). false: another request with that key is stored; nothing of
// this one is written.
export type ClaimRequest = (em: EntityManager, results: RecordResult[]) => Promise<boolean>;

export interface IngestOutcome {
  // the body could not be read at all; nothing stored
  error?: string;
  results: RecordResult[];
  // the claim found the key taken: nothing stored, the first answer stands
  held?: boolean;
}

class KeyHeld extends Error {}

// The intake pipeline shared by every transport: parse each record (on a worker thread), store
// accepted ones as raw events (and alerts, deduplicated, with alerts.received through the
// outbox) and rejected ones in quarantine, in one transaction; then hand non-alert logs to
// analysis and note the sensor as seen. Nothing is acknowledged to a sender before the
// transaction committed.
@Injectable()
export class IngestService {
  constructor(
    private readonly ds: DataSource,
    private readonly parser: ParserPool,
    private readonly rawEvents: RawEventsRepository,
    private readonly alerts: AlertsRepository,
    private readonly quarantine: QuarantineRepository,
    private readonly retention: RetentionService,
    private readonly outbox: Outbox,
    private readonly logStream: LogStreamAdapter,
    private readonly liveness: LivenessService,
    private readonly versions: SensorVersions,
  ) {}

  ingest(sensor: IntakeSensor, records: IntakeRecord[], meta: IntakeMeta, claim?: ClaimRequest): Promise<IngestOutcome> {
    return this.run(sensor, toParseInput(records), meta, claim);
  }

  // An HTTPS body as received (decompressed), split into records on a parse worker.
  ingestBody(sensor: IntakeSensor, body: Buffer, contentType: string | undefined, receivedAt: Date, meta: IntakeMeta, claim?: ClaimRequest): Promise<IngestOutcome> {
    return this.run(sensor, { kind: 'body', body: ownBytes(body), contentType, receivedAt: receivedAt.getTime() }, meta, claim);
  }

  private async run(sensor: IntakeSensor, input: ParseInput, meta: IntakeMeta, claim?: ClaimRequest): Promise<IngestOutcome> {
    const started = process.hrtime.bigint();
    const batch = await this.prepare(sensor, input, meta);
    if (batch.error) return { error: batch.error, results: [] };
    const first = claim
      ? async (em: EntityManager) => {
          if (!(await claim(em, batch.results))) throw new KeyHeld();
        }
      : undefined;
    try {
      await this.writeInTransaction(sensor, batch, () => undefined, first);
    } catch (err) {
      if (err instanceof KeyHeld) return { results: batch.results, held: true };
      throw err;
    }
    await this.afterCommit(sensor, batch, meta);
    batchSeconds.observe({ transport: meta.transport }, Number(process.hrtime.bigint() - started) / 1e9);
    return { results: batch.results };
  }

  // `storedTransport`: what the raw rows record as their transport (a replay keeps the original).
  async prepare(sensor: IntakeSensor, input: ParseInput, meta: IntakeMeta, storedTransport: string = meta.transport): Promise<PreparedBatch> {
    const parsed = await this.parser.parse({
      product: sensor.product,
      timeZone: sensor.timeZone,
      input,
      logs: {
        subject: LogsReceived.subject,
        sensorId: sensor.sensorId,
        customerId: sensor.customerId,
        correlationId: currentCorrelationId(),
        maxPayloadBytes: this.logStream.maxPayloadBytes,
      },
      store: { transport: storedTransport, retentionMonths: sensor.retentionMonths },
    });
    return {
      error: parsed.error,
      results: parsed.results,
      raw: {
        customerId: sensor.customerId,
        sensorId: sensor.sensorId,
        product: sensor.product,
        transport: storedTransport,
        retentionMonths: sensor.retentionMonths,
        rows: parsed.raw,
      },
      alerts: parsed.alerts,
      logBatches: parsed.logBatches,
      productVersion: parsed.productVersion,
      quarantine: parsed.quarantined.map((q) => ({
        receivedAt: new Date(q.receivedAt),
        sensorId: sensor.sensorId,
        customerId: sensor.customerId,
        product: sensor.product,
        transport: meta.transport,
        remoteAddress: meta.remoteAddress,
        reason: q.reason,
        // a worker hands bytes back as a plain Uint8Array
        raw: Buffer.from(q.raw.buffer, q.raw.byteOffset, q.raw.byteLength),
      })),
    };
  }

  // Runs `first` (idempotent intake takes the request's key), writes the batch, then runs
  // `alsoInTransaction` (replay marks its quarantine entry), all in one transaction. A month
  // partition another replica dropped or nobody created yet is created and the whole
  // transaction tried again.
  async writeInTransaction<T>(sensor: IntakeSensor, batch: PreparedBatch, alsoInTransaction: (em: EntityManager) => Promise<T> | T, first?: (em: EntityManager) => Promise<void>): Promise<T> {
    await this.retention.ensureFor(sensor.retentionMonths, batch.raw.rows.months);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ds.transaction(async (em) => {
          if (first) await first(em);
          await this.write(em, sensor, batch);
          return alsoInTransaction(em);
        });
      } catch (err) {
        if (attempt > 0 || (err as { code?: string }).code !== PARTITION_MISSING) throw err;
        this.retention.forgetKnownPartitions();
        await this.retention.ensureFor(sensor.retentionMonths, batch.raw.rows.months);
      }
    }
  }

  // Parses and writes `records` in the caller's transaction (an event consumer's, whose inbox makes
  // a redelivery a no-op); the caller runs afterCommit once it committed.
  async ingestWithin(em: EntityManager, sensor: IntakeSensor, records: IntakeRecord[], meta: IntakeMeta): Promise<PreparedBatch> {
    const batch = await this.prepare(sensor, toParseInput(records), meta);
    if (batch.error) return batch;
    await this.retention.ensureFor(sensor.retentionMonths, batch.raw.rows.months);
    await this.write(em, sensor, batch);
    return batch;
  }

  async afterCommit(sensor: IntakeSensor, batch: PreparedBatch, meta: IntakeMeta): Promise<void> {
    let accepted = 0;
    for (const r of batch.results) if (r.status === 'accepted') accepted++;
    records.inc({ transport: meta.transport, outcome: 'accepted' }, accepted);
    records.inc({ transport: meta.transport, outcome: 'quarantined' }, batch.results.length - accepted);
    // A replayed record is old news for liveness.
    if (meta.transport !== 'replay' && batch.results.length > 0) this.liveness.seen(sensor.sensorId, new Date(), accepted > 0);
    // The sensor's product version as its events report it (a database write only when it changed).
    if (meta.transport !== 'replay' && batch.productVersion) await this.versions.note(sensor, batch.productVersion.version, new Date(batch.productVersion.receivedAt));
    await this.logStream.publish(sensor.sensorId, batch.logBatches);
  }

  private async write(em: EntityManager, sensor: IntakeSensor, batch: PreparedBatch): Promise<void> {
    await this.rawEvents.insert(em, batch.raw);
    await this.quarantine.insert(em, batch.quarantine);
    if (batch.alerts.count === 0) return;
    const upserted = await this.alerts.upsert(em, sensor, batch.alerts);
    const index = new Map(batch.alerts.ids.map((id, i) => [id, i]));
    // A repeat only counts; analysis hears of an alert once, when it is new (then with the id and
    // count the parse worker gave it, which its body already carries).
    await this.outbox.addMany(
      em,
      AlertReceived,
      upserted.filter((u) => u.inserted).map((u) => ({ customerId: sensor.customerId, bodyJson: batch.alerts.bodies[index.get(u.id)!] })),
    );
  }
}

// Syslog frames (bytes only) travel packed in one buffer; anything else record by record.
export function toParseInput(records: IntakeRecord[]): ParseInput {
  if (records.length > 0 && records.every((r) => r.bytes && r.text === undefined && !r.rejectedReason)) {
    let total = 0;
    for (const r of records) total += r.bytes!.length;
    const data = Buffer.allocUnsafeSlow(total);
    const ends = new Uint32Array(records.length);
    const receivedAt = new Float64Array(records.length);
    let at = 0;
    records.forEach((r, i) => {
      at += r.bytes!.copy(data, at);
      ends[i] = at;
      receivedAt[i] = r.receivedAt.getTime();
    });
    return { kind: 'frames', data, ends, receivedAt };
  }
  return { kind: 'records', records: records.map((r) => ({ text: r.text, bytes: r.bytes, receivedAt: r.receivedAt.getTime(), rejectedReason: r.rejectedReason, note: r.note })) };
}

// Bytes with an ArrayBuffer of their own, safe to transfer to a worker (a Buffer may be a slice
// of a shared pool, which must not move).
function ownBytes(b: Buffer): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.byteLength) return b;
  const copy = Buffer.allocUnsafeSlow(b.byteLength);
  b.copy(copy);
  return copy;
}
