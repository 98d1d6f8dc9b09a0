import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AlertReceived, AlertReceivedBody } from '@kanshi/events';
import { Outbox } from '@kanshi/messaging';
import { counter, histogram } from '@kanshi/observability';
import { AlertInsert, AlertsRepository } from '../alerts/alerts.repository';
import { LivenessService } from '../liveness/liveness.service';
import { decodeDeviceText } from '../parsers/charset';
import { parseRecord } from '../parsers/parse';
import type { NormalizedEvent } from '../parsers/types';
import { QuarantineInsert, QuarantineRepository } from '../quarantine/quarantine.repository';
import { RawEventBatch, RawEventsRepository } from '../raw-events/raw-events.repository';
import { RetentionService } from '../raw-events/retention.service';
import { IntakeSensor } from '../sensors/sensor-directory.service';
import { LogStreamAdapter } from './log-stream.adapter';

export type IntakeTransport = 'https' | 'udp' | 'tcp' | 'tls' | 'smtp' | 'replay';

// One record as a listener framed it: bytes off a socket (decoded here, Shift_JIS and friends
// included) or text already decoded (an HTTP body split into lines or JSON documents).
export interface IntakeRecord {
  bytes?: Buffer;
  text?: string;
  receivedAt: Date;
  // refused before parsing (e.g. an HTTP body that cannot be split into records): quarantined as is
  rejectedReason?: string;
}

export interface IntakeMeta {
  transport: IntakeTransport;
  remoteAddress: string | null;
}

export type RecordResult = { index: number; status: 'accepted'; events: number; alerts: number } | { index: number; status: 'quarantined'; reason: string };

// A batch parsed and ready to write.
export interface PreparedBatch {
  results: RecordResult[];
  raw: RawEventBatch;
  receivedAt: Date[];
  alerts: AlertInsert[];
  logs: Record<string, unknown>[];
  quarantine: QuarantineInsert[];
}

const records = counter('kanshi_ingest_records_total', 'Records received from sensors', ['transport', 'outcome']);
const batchSeconds = histogram('kanshi_ingest_batch_seconds', 'Time to parse and durably store one batch', ['transport'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);

// Yield to the event loop this often while parsing, so a large body does not stall sockets,
// heartbeats and GraphQL.
const YIELD_EVERY = 500;
const PARTITION_MISSING = '23514';

// The intake pipeline shared by every transport: parse each record, store accepted ones as raw
// events (and alerts, deduplicated, with alerts.received through the outbox) and rejected ones
// in quarantine, in one transaction; then hand non-alert logs to analysis and note the sensor
// as seen. Nothing is acknowledged to a sender before the transaction committed.
@Injectable()
export class IngestService {
  constructor(
    private readonly ds: DataSource,
    private readonly rawEvents: RawEventsRepository,
    private readonly alerts: AlertsRepository,
    private readonly quarantine: QuarantineRepository,
    private readonly retention: RetentionService,
    private readonly outbox: Outbox,
    private readonly logStream: LogStreamAdapter,
    private readonly liveness: LivenessService,
  ) {}

  async ingest(sensor: IntakeSensor, input: IntakeRecord[], meta: IntakeMeta): Promise<RecordResult[]> {
    const started = process.hrtime.bigint();
    const batch = await this.prepare(sensor, input, meta);
    await this.writeInTransaction(sensor, batch, () => undefined);
    await this.afterCommit(sensor, batch, meta);
    batchSeconds.observe({ transport: meta.transport }, Number(process.hrtime.bigint() - started) / 1e9);
    return batch.results;
  }

  async prepare(sensor: IntakeSensor, input: IntakeRecord[], meta: IntakeMeta): Promise<PreparedBatch> {
    const batch: PreparedBatch = {
      results: [],
      raw: { customerId: sensor.customerId, sensorId: sensor.sensorId, product: sensor.product, transport: meta.transport, retentionMonths: sensor.retentionMonths, receivedAt: [], occurredAt: [], kind: [], severity: [], raw: [] },
      receivedAt: [],
      alerts: [],
      logs: [],
      quarantine: [],
    };
    const alertsByKey = new Map<string, AlertInsert>();
    for (let i = 0; i < input.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      const record = input[i];
      if (record.rejectedReason) {
        batch.results.push({ index: i, status: 'quarantined', reason: record.rejectedReason });
        batch.quarantine.push(this.quarantined(sensor, record, meta, record.rejectedReason));
        continue;
      }
      const text = record.text ?? decodeDeviceText(record.bytes ?? Buffer.alloc(0));
      const outcome = parseRecord(sensor.product, text, { timeZone: sensor.timeZone, receivedAt: record.receivedAt });
      if (!outcome.ok) {
        batch.results.push({ index: i, status: 'quarantined', reason: outcome.reason });
        batch.quarantine.push(this.quarantined(sensor, record, meta, outcome.reason));
        continue;
      }
      let alertCount = 0;
      let severity = 0;
      for (let e = 0; e < outcome.events.length; e++) {
        const event = outcome.events[e];
        const score = severityScore(event);
        if (score > severity) severity = score;
        if (event.kind !== 'alert') {
          batch.logs.push(event.ecs);
          continue;
        }
        alertCount++;
        // Without a vendor id, an identical record is the same alert seen again.
        const key = noNul(event.vendorEventId ?? `sha1:${createHash('sha1').update(event.raw).digest('hex')}:${e}`);
        const seen = alertsByKey.get(key);
        if (seen) seen.count++;
        else alertsByKey.set(key, toAlertInsert(key, event, record.receivedAt, score));
      }
      const receivedAt = record.receivedAt.toISOString();
      batch.raw.receivedAt.push(receivedAt);
      batch.receivedAt.push(record.receivedAt);
      batch.raw.occurredAt.push(outcome.events[0].occurredAt.toISOString());
      batch.raw.kind.push(alertCount > 0 ? 'alert' : 'event');
      batch.raw.severity.push(severity);
      batch.raw.raw.push(text);
      batch.results.push({ index: i, status: 'accepted', events: outcome.events.length, alerts: alertCount });
    }
    batch.alerts = [...alertsByKey.values()];
    return batch;
  }

  // The bytes as received when the listener had them (syslog, a whole body), else the text.
  private quarantined(sensor: IntakeSensor, record: IntakeRecord, meta: IntakeMeta, reason: string): QuarantineInsert {
    return {
      receivedAt: record.receivedAt,
      sensorId: sensor.sensorId,
      customerId: sensor.customerId,
      product: sensor.product,
      transport: meta.transport,
      remoteAddress: meta.remoteAddress,
      reason,
      raw: record.bytes ?? Buffer.from(record.text ?? '', 'utf8'),
    };
  }

  // Writes the batch, then runs `alsoInTransaction` (replay marks its quarantine entry) in the
  // same transaction. A month partition another replica dropped or nobody created yet is
  // created and the whole transaction tried again.
  async writeInTransaction<T>(sensor: IntakeSensor, batch: PreparedBatch, alsoInTransaction: (em: EntityManager) => Promise<T> | T): Promise<T> {
    await this.retention.ensureFor(sensor.retentionMonths, batch.receivedAt);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ds.transaction(async (em) => {
          await this.write(em, sensor, batch);
          return alsoInTransaction(em);
        });
      } catch (err) {
        if (attempt > 0 || (err as { code?: string }).code !== PARTITION_MISSING) throw err;
        this.retention.forgetKnownPartitions();
        await this.retention.ensureFor(sensor.retentionMonths, batch.receivedAt);
      }
    }
  }

  async afterCommit(sensor: IntakeSensor, batch: PreparedBatch, meta: IntakeMeta): Promise<void> {
    let accepted = 0;
    for (const r of batch.results) if (r.status === 'accepted') accepted++;
    records.inc({ transport: meta.transport, outcome: 'accepted' }, accepted);
    records.inc({ transport: meta.transport, outcome: 'quarantined' }, batch.results.length - accepted);
    // A replayed record is old news for liveness.
    if (meta.transport !== 'replay' && batch.results.length > 0) this.liveness.seen(sensor.sensorId, new Date(), accepted > 0);
    await this.logStream.publish(sensor, batch.logs);
  }

  private async write(em: EntityManager, sensor: IntakeSensor, batch: PreparedBatch): Promise<void> {
    await this.rawEvents.insert(em, batch.raw);
    await this.quarantine.insert(em, batch.quarantine);
    if (batch.alerts.length === 0) return;
    const upserted = await this.alerts.upsert(em, sensor, batch.alerts);
    const byKey = new Map(batch.alerts.map((a) => [a.vendorEventId, a]));
    const fresh = upserted.filter((u) => u.inserted);
    // A repeat only counts; analysis hears of an alert once, when it is new.
    await this.outbox.addMany(
      em,
      AlertReceived,
      fresh.map((u) => ({ customerId: sensor.customerId, body: alertReceivedBody(sensor, u.id, u.repeat_count, byKey.get(u.vendor_event_id)!) })),
    );
  }
}

function severityScore(event: NormalizedEvent): number {
  const s = (event.ecs.event as { severity?: unknown } | undefined)?.severity;
  return typeof s === 'number' && Number.isFinite(s) ? Math.max(0, Math.min(100, Math.round(s))) : 0;
}

function path(ecs: Record<string, unknown>, ...keys: string[]): unknown {
  let node: unknown = ecs;
  for (const k of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

function text(value: unknown): string | null {
  if (Array.isArray(value)) return text(value[0]);
  return typeof value === 'string' && value !== '' ? noNul(value) : typeof value === 'number' ? String(value) : null;
}

// PostgreSQL text and jsonb cannot hold U+0000, which a JSON record may smuggle in as "\u0000".
function noNul<T extends string | null>(value: T): T {
  return (value !== null && value.includes('\u0000') ? value.replace(/\u0000/g, '') : value) as T;
}

function ecsWithoutNul(ecs: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(ecs);
  if (!json.includes('\\u0000')) return ecs;
  return JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' ? noNul(v) : v)) as Record<string, unknown>;
}

export function toAlertInsert(vendorEventId: string, event: NormalizedEvent, receivedAt: Date, severity: number): AlertInsert {
  const ecs = event.ecs;
  return {
    vendorEventId: noNul(vendorEventId),
    receivedAt,
    occurredAt: event.occurredAt,
    ruleName: noNul(event.ruleName),
    vendorSeverity: noNul(event.vendorSeverity),
    severity,
    blocked: event.blocked,
    groupKey: noNul(event.groupKey),
    hostName: text(path(ecs, 'host', 'name')),
    hostIp: text(path(ecs, 'host', 'ip')),
    sourceIp: text(path(ecs, 'source', 'ip')),
    destinationIp: text(path(ecs, 'destination', 'ip')),
    userName: text(path(ecs, 'user', 'name')),
    fileName: text(path(ecs, 'file', 'name')),
    fileHash: text(path(ecs, 'file', 'hash', 'sha256')) ?? text(path(ecs, 'file', 'hash', 'sha1')) ?? text(path(ecs, 'file', 'hash', 'md5')),
    ecs: ecsWithoutNul(ecs),
    raw: event.raw,
    count: 1,
  };
}

function alertReceivedBody(sensor: IntakeSensor, alertId: string, repeatCount: number, a: AlertInsert): AlertReceivedBody {
  return {
    alertId,
    sensorId: sensor.sensorId,
    product: sensor.product,
    occurredAt: a.occurredAt.toISOString(),
    receivedAt: a.receivedAt.toISOString(),
    ruleName: a.ruleName,
    vendorSeverity: a.vendorSeverity,
    severity: a.severity,
    blocked: a.blocked,
    groupKey: a.groupKey,
    repeatCount,
    ecs: a.ecs,
  };
}
