// The CPU-heavy half of intake, as a pure function of plain data: decode, parse and normalize a
// batch of records and serialize what will be stored and published. It runs in the parse
// worker threads (parse-worker.ts), so it imports nothing but the parsers, and its input and
// output are cheap to pass between threads (strings, numbers, byte arrays; no object graphs).
import { isUtf8 } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { decodeDeviceText } from '../../parsers/charset';
import { ByteWriter, copyText } from './byte-writer';
import type { AlertColumns, RawRows } from './stored-columns';
import { BodyRecord, splitBody } from './body-records';
import { parseRecord } from '../../parsers/parse';
import type { NormalizedEvent, SensorProduct } from '../../parsers/types';

// An IntakeRecord (intake-record.ts) as it travels to a worker thread.
export interface ParseJobRecord extends BodyRecord {
  receivedAt: number;
}

// What a listener hands over, in the form cheapest to pass to a worker thread: syslog frames
// packed into one buffer, an HTTPS body as received (split into records by the worker), or
// records one by one (mail, replay).
export type ParseInput =
  | { kind: 'records'; records: ParseJobRecord[] }
  | { kind: 'frames'; data: Uint8Array; ends: Uint32Array; receivedAt: Float64Array }
  | { kind: 'body'; body: Uint8Array; contentType?: string; receivedAt: number };

export interface ParseJob {
  product: SensorProduct;
  timeZone: string;
  input: ParseInput;
  // for the logs.received messages, which are serialized here too
  logs: { subject: string; sensorId: string; customerId: string; correlationId?: string; maxPayloadBytes: number };
  // how the raw rows are stored (they are written here as COPY rows)
  store: { transport: string; retentionMonths: number };
}

export type RecordResult = { index: number; status: 'accepted'; events: number; alerts: number } | { index: number; status: 'quarantined'; reason: string };

export interface ParsedAlert {
  // what makes the alert one detection within its sensor (the unique key with the sensor)
  alertKey: string;
  vendorEventId: string;
  receivedAt: string;
  occurredAt: string;
  ruleName: string | null;
  vendorSeverity: string | null;
  severity: number;
  blocked: boolean | null;
  groupKey: string | null;
  hostName: string | null;
  hostIp: string | null;
  sourceIp: string | null;
  destinationIp: string | null;
  userName: string | null;
  fileName: string | null;
  fileHash: string | null;
  ecsJson: string;
  raw: string;
  // identical alerts within the batch
  count: number;
}

// One logs.received message, envelope included, ready to publish.
export interface LogBatch {
  eventId: string;
  records: number;
  payload: Uint8Array;
}

export interface ParsedBatch {
  // the body could not be read at all (nothing to keep, e.g. an empty one)
  error?: string;
  results: RecordResult[];
  raw: RawRows;
  alerts: AlertColumns;
  // the non-alert events, as logs.received messages (at most 5000 records and maxPayloadBytes each)
  logBatches: LogBatch[];
  quarantined: { index: number; reason: string; raw: Uint8Array; receivedAt: number }[];
  // The product version the batch's last event naming one reports (ECS observer.version), and when
  // that record arrived: ingestion keeps the sensor's latest (SensorVersions).
  productVersion?: { version: string; receivedAt: number };
}

export const MAX_LOG_RECORDS = 5000;
// NATS counts message headers (the msgID, the correlation id) against max_payload too.
const HEADER_ROOM = 1024;

// The buffers a thread can hand over without copying them.
export function inputTransferables(input: ParseInput): ArrayBuffer[] {
  if (input.kind === 'frames') return [input.data.buffer, input.ends.buffer, input.receivedAt.buffer] as ArrayBuffer[];
  if (input.kind === 'body') return [input.body.buffer as ArrayBuffer];
  return [];
}

export function transferables(b: ParsedBatch): ArrayBuffer[] {
  return [b.raw.copy, ...Object.values(b.alerts.columns), ...b.logBatches.map((l) => l.payload)].map((u) => u.buffer as ArrayBuffer);
}

interface Collected {
  results: RecordResult[];
  productVersion?: { version: string; receivedAt: number };
  raw: RawWriter;
  logs: LogMessages;
  quarantined: ParsedBatch['quarantined'];
}

function recordsOf(input: ParseInput): ParseJobRecord[] | { error: string } {
  if (input.kind === 'records') return input.records;
  if (input.kind === 'frames') {
    const records: ParseJobRecord[] = new Array(input.ends.length);
    let start = 0;
    for (let i = 0; i < input.ends.length; i++) {
      records[i] = { bytes: input.data.subarray(start, input.ends[i]), receivedAt: input.receivedAt[i] };
      start = input.ends[i];
    }
    return records;
  }
  const split = splitBody({ kind: 'http', bytes: Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength), contentType: input.contentType });
  if ('error' in split) return split;
  return split.map((r) => ({ ...r, receivedAt: input.receivedAt }));
}

export function parseBatch(job: ParseJob): ParsedBatch {
  const out: Collected = { results: [], raw: new RawWriter(job), logs: new LogMessages(job), quarantined: [] };
  const alertsByKey = new Map<string, ParsedAlert>();
  const records = recordsOf(job.input);
  if ('error' in records) return { ...finish(job, out, alertsByKey), error: records.error };
  let lastReceivedMs = NaN;
  let receivedIso = '';
  // unreadable covering notes of a mail, kept for quarantine unless another record gave an alert
  const notes: { index: number; record: ParseJobRecord; reason: string }[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record.rejectedReason) {
      quarantine(out, i, record, record.rejectedReason);
      continue;
    }
    const receivedAt = new Date(record.receivedAt);
    const bytes = record.text === undefined && record.bytes ? Buffer.from(record.bytes.buffer, record.bytes.byteOffset, record.bytes.byteLength) : null;
    const text = record.text ?? decodeDeviceText(bytes ?? Buffer.alloc(0));
    const outcome = parseRecord(job.product, text, { timeZone: job.timeZone, receivedAt });
    if (!outcome.ok) {
      if (record.note) notes.push({ index: i, record, reason: outcome.reason });
      else quarantine(out, i, record, outcome.reason);
      continue;
    }
    let alertCount = 0;
    let severity = 0;
    // records of one batch mostly share their arrival millisecond
    if (record.receivedAt !== lastReceivedMs) {
      lastReceivedMs = record.receivedAt;
      receivedIso = receivedAt.toISOString();
    }
    for (let e = 0; e < outcome.events.length; e++) {
      const event = outcome.events[e];
      const version = observerVersion(event);
      if (version !== null) out.productVersion = { version, receivedAt: record.receivedAt };
      const score = severityScore(event);
      if (score > severity) severity = score;
      if (event.kind !== 'alert') {
        out.logs.add(JSON.stringify(event.ecs));
        continue;
      }
      alertCount++;
      // One detection, one alert: only a replay of it (same identity, parsers/alert-identity.ts) counts as a repeat.
      const key = noNul(event.alertKey ?? `sha1:${createHash('sha1').update(event.raw).digest('hex')}:${e}`);
      const seen = alertsByKey.get(key);
      if (seen) seen.count++;
      else alertsByKey.set(key, toParsedAlert(key, event, receivedIso, score));
    }
    out.raw.add(receivedIso, outcome.events[0].occurredAt.toISOString(), alertCount > 0 ? 'alert' : 'event', severity, text, bytes && !storedAsSent(bytes) ? bytes : null);
    out.results.push({ index: i, status: 'accepted', events: outcome.events.length, alerts: alertCount });
  }
  if (alertsByKey.size === 0) for (const n of notes) quarantine(out, n.index, n.record, n.reason);
  return finish(job, out, alertsByKey);
}

function finish(job: ParseJob, out: Collected, alertsByKey: Map<string, ParsedAlert>): ParsedBatch {
  return {
    results: out.results,
    raw: out.raw.finish(),
    alerts: alertColumns(job, [...alertsByKey.values()]),
    logBatches: out.logs.finish(),
    quarantined: out.quarantined,
    productVersion: out.productVersion,
  };
}

// One writer each for raw rows and log messages per thread, reused batch after batch: after the
// first batches they have the room they need and nothing is copied to grow them (take() copies
// out exactly the bytes of a batch and empties them).
const rawBytes = new ByteWriter(1024 * 1024);
const logBytes = new ByteWriter(1024 * 1024);

// The accepted records as COPY rows; the columns every row of the batch shares are escaped once.
class RawWriter {
  private readonly w = rawBytes;
  private readonly shared: string;
  private readonly retention: string;
  private readonly months = new Set<string>();
  private count = 0;

  constructor(job: ParseJob) {
    this.w.truncate(0);
    this.retention = `\t${job.store.retentionMonths}\t`;
    this.shared = `\t${[job.logs.customerId, job.logs.sensorId, job.product, job.store.transport].map(copyText).join('\t')}\t`;
  }

  // `bytes`: the record as sent, when `raw` (its decoded text) is not those bytes
  add(receivedIso: string, occurredIso: string, kind: 'alert' | 'event', severity: number, raw: string, bytes: Buffer | null): void {
    this.months.add(receivedIso.slice(0, 7));
    this.w.append(`${receivedIso}${this.retention}${occurredIso}${this.shared}${kind}\t${severity}\t`).append(copyText(raw));
    // bytea in hex, its backslash doubled for COPY's text format
    this.w.append(bytes ? `\t\\\\x${bytes.toString('hex')}\n` : '\t\\N\n');
    this.count++;
  }

  finish(): RawRows {
    return { count: this.count, months: [...this.months], copy: this.w.take() };
  }
}

// An array literal: strings quoted with backslashes and quotes escaped, null as NULL.
function pgArray(values: (string | null)[]): Uint8Array {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] = v === null ? 'NULL' : v.includes('\\') || v.includes('"') ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
  }
  return ownBuffer(`{${parts.join(',')}}`);
}

function alertColumns(job: ParseJob, alerts: ParsedAlert[]): AlertColumns {
  alerts.sort((x, y) => (x.alertKey < y.alertKey ? -1 : x.alertKey > y.alertKey ? 1 : 0));
  const ids = alerts.map(() => randomUUID());
  const col = (f: (a: ParsedAlert) => string | null) => pgArray(alerts.map(f));
  const columns = {
    id: pgArray(ids),
    alert_key: col((a) => a.alertKey),
    vendor_event_id: col((a) => a.vendorEventId),
    received_at: col((a) => a.receivedAt),
    occurred_at: col((a) => a.occurredAt),
    rule_name: col((a) => a.ruleName),
    vendor_severity: col((a) => a.vendorSeverity),
    severity: ownBuffer(`{${alerts.map((a) => a.severity).join(',')}}`),
    blocked: ownBuffer(`{${alerts.map((a) => (a.blocked === null ? 'NULL' : a.blocked ? 't' : 'f')).join(',')}}`),
    group_key: col((a) => a.groupKey),
    host_name: col((a) => a.hostName),
    host_ip: col((a) => a.hostIp),
    source_ip: col((a) => a.sourceIp),
    destination_ip: col((a) => a.destinationIp),
    user_name: col((a) => a.userName),
    file_name: col((a) => a.fileName),
    file_hash: col((a) => a.fileHash),
    ecs: col((a) => a.ecsJson),
    raw: col((a) => a.raw),
    repeat_count: ownBuffer(`{${alerts.map((a) => a.count).join(',')}}`),
  };
  // AlertReceivedBody, serialized around the ECS JSON made once
  const bodies = alerts.map((a, i) => {
    const head = JSON.stringify({
      alertId: ids[i],
      sensorId: job.logs.sensorId,
      product: job.product,
      occurredAt: a.occurredAt,
      receivedAt: a.receivedAt,
      ruleName: a.ruleName,
      vendorSeverity: a.vendorSeverity,
      severity: a.severity,
      blocked: a.blocked,
      groupKey: a.groupKey,
      repeatCount: a.count,
    });
    return `${head.slice(0, -1)},"ecs":${a.ecsJson}}`;
  });
  return { count: alerts.length, ids, bodies, columns };
}

// A buffer with an ArrayBuffer of its own (Buffer.from may slice a shared pool, which cannot be
// transferred to another thread).
function ownBuffer(text: string): Uint8Array {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  b.write(text);
  return b;
}

// logs.received messages, written as the records come: the envelope by hand around records
// serialized once (re-serializing thousands of ECS documents for one message would cost more
// than the database insert), each record encoded straight into the message's bytes.
class LogMessages {
  private readonly w = logBytes;
  private readonly out: LogBatch[] = [];
  private readonly maxBytes: number;
  private eventId = '';
  private records = 0;

  constructor(private readonly job: ParseJob) {
    this.w.truncate(0);
    this.maxBytes = job.logs.maxPayloadBytes - HEADER_ROOM;
  }

  add(json: string): void {
    if (this.records > 0 && (this.records >= MAX_LOG_RECORDS || !this.fits(json))) this.flush();
    if (this.records === 0) this.start();
    else this.w.append(',');
    this.w.append(json);
    this.records++;
  }

  finish(): LogBatch[] {
    this.flush();
    return this.out;
  }

  // the record, its comma and the closing "]}}" within the limit (exact size only near it)
  private fits(json: string): boolean {
    const room = this.maxBytes - this.w.length - 4;
    return json.length * 3 <= room || Buffer.byteLength(json) <= room;
  }

  private start(): void {
    const meta = this.job.logs;
    this.eventId = randomUUID();
    const head = JSON.stringify({ eventId: this.eventId, subject: meta.subject, occurredAt: new Date().toISOString(), customerId: meta.customerId, ...(meta.correlationId ? { correlationId: meta.correlationId } : {}) });
    this.w.append(`${head.slice(0, -1)},"body":{"sensorId":${JSON.stringify(meta.sensorId)},"product":${JSON.stringify(this.job.product)},"records":[`);
  }

  private flush(): void {
    if (this.records === 0) return;
    this.w.append(']}}');
    this.out.push({ eventId: this.eventId, records: this.records, payload: this.w.take() });
    this.records = 0;
  }
}

// Whether `raw`, the record decoded to text, is exactly the bytes the device sent: UTF-8 without
// a byte-order mark, and no ESC (ISO-2022-JP is 7-bit, so valid UTF-8, yet decoded otherwise).
function storedAsSent(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false;
  return bytes.indexOf(0x1b) < 0;
}

// The bytes as received when the listener had them (syslog, a whole body), else the text.
function quarantine(out: Collected, index: number, record: ParseJobRecord, reason: string): void {
  out.results.push({ index, status: 'quarantined', reason });
  // a copy with its own memory: a view would drag its whole (shared) buffer along
  out.quarantined.push({ index, reason, raw: record.bytes ? new Uint8Array(record.bytes) : Buffer.from(record.text ?? '', 'utf8'), receivedAt: record.receivedAt });
}

const MAX_VERSION_LENGTH = 100;

// observer.version (the device's own product version), trimmed; null when absent or unusable.
function observerVersion(event: NormalizedEvent): string | null {
  const v = (event.ecs.observer as { version?: unknown } | undefined)?.version;
  if (typeof v !== 'string') return null;
  const t = noNul(v.trim());
  return t !== '' && t.length <= MAX_VERSION_LENGTH ? t : null;
}

function severityScore(event: NormalizedEvent): number {
  const s = (event.ecs.event as { severity?: unknown } | undefined)?.severity;
  return typeof s === 'number' && Number.isFinite(s) ? Math.max(0, Math.min(100, Math.round(s))) : 0;
}

function at(ecs: Record<string, unknown>, ...keys: string[]): unknown {
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

function ecsJsonWithoutNul(ecs: Record<string, unknown>): string {
  const json = JSON.stringify(ecs);
  if (!json.includes('\\u0000')) return json;
  return JSON.stringify(JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' ? noNul(v) : v)));
}

function toParsedAlert(alertKey: string, event: NormalizedEvent, receivedAt: string, severity: number): ParsedAlert {
  const ecs = event.ecs;
  return {
    alertKey,
    // the vendor's own id when it gives one (shown to analysts), else the identity
    vendorEventId: noNul(event.vendorEventId) ?? alertKey,
    receivedAt,
    occurredAt: event.occurredAt.toISOString(),
    ruleName: noNul(event.ruleName),
    vendorSeverity: noNul(event.vendorSeverity),
    severity,
    blocked: event.blocked,
    groupKey: noNul(event.groupKey),
    hostName: text(at(ecs, 'host', 'name')),
    hostIp: text(at(ecs, 'host', 'ip')),
    sourceIp: text(at(ecs, 'source', 'ip')),
    destinationIp: text(at(ecs, 'destination', 'ip')),
    userName: text(at(ecs, 'user', 'name')),
    fileName: text(at(ecs, 'file', 'name')),
    fileHash: text(at(ecs, 'file', 'hash', 'sha256')) ?? text(at(ecs, 'file', 'hash', 'sha1')) ?? text(at(ecs, 'file', 'hash', 'md5')),
    ecsJson: ecsJsonWithoutNul(ecs),
    raw: event.raw,
    count: 1,
  };
}
