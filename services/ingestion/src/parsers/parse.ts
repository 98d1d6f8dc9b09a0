// Public entry of the vendor parsers: one transport record in, normalized events (or a reason
// to quarantine it) out. Pure and total: it never throws and never returns an invalid Date.
import { alertKey } from './alert-identity';
import { Ecs, clean } from './ecs';
import { findCef, parseCefRecord } from './cef.parser';
import { parseCarbonBlackRecord } from './carbonblack.parser';
import { parseCrowdStrikeRecord } from './crowdstrike.parser';
import { parseCybereasonRecord } from './cybereason.parser';
import { parseFireEyeRecord } from './fireeye.parser';
import { parseFortinetRecord } from './fortinet.parser';
import { parseGenericJsonRecord } from './generic-json.parser';
import { findLeef, parseLeefRecord } from './leef.parser';
import { parsePaloAltoRecord } from './paloalto.parser';
import { SEVERITY_SCORE, type SeverityLabel } from './severity';
import { parseSymantecRecord } from './symantec.parser';
import { SYSLOG_FACILITIES, SYSLOG_SEVERITIES, parseSyslogHeader, type SyslogHeader } from './syslog-header.parser';
import { isValidTimeZone } from './time';
import {
  SENSOR_PRODUCTS,
  type EventDraft,
  type NormalizedEvent,
  type ParseContext,
  type ParseOutcome,
  type SensorProduct,
  type VendorInput,
  type VendorOutcome,
} from './types';

export type { NormalizedEvent, ParseContext, ParseOutcome, SensorProduct } from './types';
export { SENSOR_PRODUCTS } from './types';

// A log line (syslog frames are capped at the same size by the listener).
export const MAX_RECORD_BYTES = 65536;
// A JSON document of an alert product: a FireEye extended notification with its OS-change
// details or a Cybereason Malop with its machines runs to hundreds of KB. Bounded well under
// the NATS payload limit (1 MiB), which the record's ECS document must fit in.
export const MAX_DOCUMENT_BYTES = 512 * 1024;
// The products whose records are JSON documents rather than log lines.
export const DOCUMENT_PRODUCTS: ReadonlySet<SensorProduct> = new Set<SensorProduct>(['FIREEYE_NX', 'FIREEYE_EX', 'FIREEYE_CM', 'FIREEYE_HX', 'CROWDSTRIKE_FALCON', 'CYBEREASON', 'CARBON_BLACK', 'GENERIC_JSON']);

/** The most UTF-8 bytes one record of `product` may have. */
export function maxRecordBytes(product: SensorProduct): number {
  return DOCUMENT_PRODUCTS.has(product) ? MAX_DOCUMENT_BYTES : MAX_RECORD_BYTES;
}

export const PRODUCT_LABELS: Readonly<Record<SensorProduct, string>> = {
  FIREEYE_NX: 'FireEye NX',
  FIREEYE_EX: 'FireEye EX',
  FIREEYE_CM: 'FireEye CM',
  FIREEYE_HX: 'FireEye HX',
  FORTIGATE: 'FortiGate',
  FORTIWEB: 'FortiWeb',
  PALO_ALTO: 'Palo Alto',
  IMPERVA_SECURESPHERE: 'Imperva SecureSphere',
  SYMANTEC_SEP: 'Symantec SEP',
  TREND_MICRO: 'Trend Micro',
  CROWDSTRIKE_FALCON: 'CrowdStrike Falcon',
  CYBEREASON: 'Cybereason',
  CARBON_BLACK: 'Carbon Black',
  GENERIC_CEF: 'CEF',
  GENERIC_JSON: 'JSON',
};

type NativeParser = (input: VendorInput) => VendorOutcome;

const NATIVE: Record<SensorProduct, NativeParser> = {
  FIREEYE_NX: parseFireEyeRecord,
  FIREEYE_EX: parseFireEyeRecord,
  FIREEYE_CM: parseFireEyeRecord,
  FIREEYE_HX: parseFireEyeRecord,
  FORTIGATE: parseFortinetRecord,
  FORTIWEB: parseFortinetRecord,
  PALO_ALTO: parsePaloAltoRecord,
  IMPERVA_SECURESPHERE: (i) => ({ ok: false, reason: `${PRODUCT_LABELS[i.product]}: expected CEF or LEEF (set the SecureSphere action set to the CEF format), got "${i.message.trim().slice(0, 24)}"` }),
  SYMANTEC_SEP: parseSymantecRecord,
  TREND_MICRO: (i) => ({ ok: false, reason: `Trend Micro: expected CEF or LEEF, got "${i.message.trim().slice(0, 24)}"` }),
  CROWDSTRIKE_FALCON: parseCrowdStrikeRecord,
  CYBEREASON: parseCybereasonRecord,
  CARBON_BLACK: parseCarbonBlackRecord,
  GENERIC_CEF: (i) => ({ ok: false, reason: `CEF: record does not start with "CEF:<version>|" (got "${i.message.trim().slice(0, 24)}")` }),
  GENERIC_JSON: parseGenericJsonRecord,
};

/** CEF and LEEF are accepted from every syslog-capable product (most can be set to send them). */
function dispatch(input: VendorInput): VendorOutcome {
  const trimmed = input.message.trimStart();
  if (input.product !== 'GENERIC_JSON' && trimmed[0] !== '{' && trimmed[0] !== '[') {
    if (findCef(input.message) >= 0) return prefixed(parseCefRecord(input), input.product);
    if (findLeef(input.message) >= 0) return prefixed(parseLeefRecord(input), input.product);
  }
  return NATIVE[input.product](input);
}

function prefixed(outcome: VendorOutcome, product: SensorProduct): VendorOutcome {
  if (outcome.ok || product === 'GENERIC_CEF') return outcome;
  return { ok: false, reason: `${PRODUCT_LABELS[product]}: ${outcome.reason}` };
}

// NUL, controls other than tab/LF/CR, DEL and U+FFFD: what binaryReason counts.
const SUSPICIOUS_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/;

/** Where a record stops looking like text: a NUL byte, or mostly control/replacement characters. */
function binaryReason(record: string): string | null {
  // Nearly every record is clean: one regex scan (native code) settles that before any counting.
  if (!SUSPICIOUS_CHAR.test(record)) return null;
  let bad = 0;
  for (let i = 0; i < record.length; i++) {
    const c = record.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0) return `record contains binary data (NUL byte at position ${i})`;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f || c === 0xfffd) bad++;
  }
  if (record.length >= 16 && bad / record.length > 0.1) return `record looks like binary data (${bad} of ${record.length} characters are control or undecodable bytes)`;
  return null;
}

/** The record without trailing CR/LF (a regex anchored at the end scans the whole line). */
function withoutLineEnd(record: string): string {
  let end = record.length;
  while (end > 0 && (record.charCodeAt(end - 1) === 0x0a || record.charCodeAt(end - 1) === 0x0d)) end--;
  return end === record.length ? record : record.slice(0, end);
}

function syslogEcs(ecs: Ecs, header: SyslogHeader): void {
  if (header.format === 'none') return;
  ecs.set('log.syslog.priority', header.priority);
  if (header.facility !== undefined) {
    ecs.set('log.syslog.facility.code', header.facility);
    ecs.set('log.syslog.facility.name', SYSLOG_FACILITIES[header.facility]);
  }
  if (header.severity !== undefined) {
    ecs.set('log.syslog.severity.code', header.severity);
    ecs.set('log.syslog.severity.name', SYSLOG_SEVERITIES[header.severity]);
  }
  ecs.set('log.syslog.version', header.version !== undefined ? String(header.version) : undefined);
  ecs.set('log.syslog.hostname', header.hostname);
  ecs.set('log.syslog.appname', header.appName);
  ecs.set('log.syslog.procid', header.procId);
  ecs.set('log.syslog.msgid', header.msgId);
  ecs.set('log.syslog.structured_data', header.structuredData);
  ecs.set('log.syslog.timestamp', header.timestamp);
  ecs.setDefault('observer.hostname', header.hostname);
}

function validDate(d: Date | null | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

function finish(draft: EventDraft, input: VendorInput, index: number): NormalizedEvent {
  const occurredAt = validDate(draft.occurredAt)
    ? draft.occurredAt
    : validDate(input.header.timestamp)
      ? input.header.timestamp
      : input.ctx.receivedAt;
  const severity: SeverityLabel = draft.severity ?? (draft.kind === 'alert' ? 'medium' : 'info');
  const ecs = draft.ecs;
  syslogEcs(ecs, input.header);
  ecs.set('@timestamp', occurredAt.toISOString());
  ecs.set('event.kind', draft.kind);
  ecs.set('event.severity', SEVERITY_SCORE[severity]);
  // Outcome of the observed activity: it failed when the sensor prevented it.
  ecs.setDefault('event.outcome', draft.blocked === true ? 'failure' : draft.blocked === false ? 'success' : 'unknown');
  if (draft.blocked === true) ecs.push('event.type', 'denied');
  if (ecs.get('event.type') === undefined) ecs.set('event.type', ['info']);
  ecs.set('kanshi.severity', severity);
  ecs.set('kanshi.product', input.product);
  ecs.setDefault('rule.name', draft.ruleName);
  if (!input.product.startsWith('GENERIC_')) ecs.setDefault('observer.vendor', PRODUCT_LABELS[input.product]);
  return {
    kind: draft.kind,
    occurredAt: new Date(occurredAt.getTime()),
    vendorEventId: (clean(draft.vendorEventId) as string | undefined) ?? null,
    alertKey: draft.kind === 'alert' ? alertKey(input.product, draft.identity, input.message, index) : null,
    groupKey: (clean(draft.groupKey) as string | undefined) ?? null,
    blocked: draft.blocked,
    vendorSeverity: (clean(draft.vendorSeverity) as string | undefined) ?? null,
    ruleName: (clean(draft.ruleName) as string | undefined) ?? null,
    ecs: ecs.finished(),
    raw: input.raw,
  };
}

/**
 * Parses one record (one syslog line, or one JSON document) from a sensor of `product`.
 * Never throws: unreadable input yields { ok: false, reason } for quarantine.
 */
const KNOWN_PRODUCTS: ReadonlySet<string> = new Set(SENSOR_PRODUCTS);


export function parseRecord(product: SensorProduct, record: string, ctx: ParseContext): ParseOutcome {
  const known = KNOWN_PRODUCTS.has(product);
  const label = known ? PRODUCT_LABELS[product] : String(product);
  try {
    if (!known) return { ok: false, reason: `unknown sensor product "${String(product).slice(0, 40)}"` };
    if (!ctx || !validDate(ctx.receivedAt)) return { ok: false, reason: 'parse context: receivedAt is not a valid Date' };
    if (!isValidTimeZone(ctx.timeZone)) return { ok: false, reason: `parse context: unknown time zone "${String(ctx.timeZone).slice(0, 60)}"` };
    if (typeof record !== 'string') return { ok: false, reason: `record is a ${typeof record}, expected text` };
    const max = maxRecordBytes(product);
    // a UTF-16 code unit takes at most 3 bytes in UTF-8: a third of the limit cannot exceed it
    if (record.length > max || (record.length > max / 3 && Buffer.byteLength(record, 'utf8') > max)) {
      return { ok: false, reason: `record exceeds ${max} bytes` };
    }
    if (record.trim() === '') return { ok: false, reason: 'empty record' };
    const binary = binaryReason(record);
    if (binary) return { ok: false, reason: binary };

    const text = withoutLineEnd(record);
    const { header, message } = parseSyslogHeader(text, ctx);
    if (message.trim() === '') return { ok: false, reason: `${label}: syslog header without a message` };
    const input: VendorInput = { product, raw: record, message, header, ctx };
    const outcome = dispatch(input);
    if (!outcome.ok) return { ok: false, reason: outcome.reason.trim() || `${label}: unreadable record` };
    if (!outcome.events.length) return { ok: false, reason: `${label}: no event in the record` };
    return { ok: true, events: outcome.events.map((d, i) => finish(d, input, i)) };
  } catch (e) {
    // A bug, not bad input; keep the record in quarantine with the reason rather than crash intake.
    return { ok: false, reason: `${label}: internal parser error: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300) };
  }
}
