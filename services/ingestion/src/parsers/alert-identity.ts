// The identity of an alert within its sensor: two records give the same key only when they are
// the same detection (a replay, a resend), never two detections that happen to share a device,
// log type and second.
//
// A vendor parser names the fields that identify a detection in its product (AlertIdentity):
// - `unique: true` when the vendor gives an id that names one detection on its own (a FireEye
//   alert id on its appliance, a CrowdStrike composite id, a Carbon Black alert id, a PAN-OS
//   serial + log type + sequence number, a Cybereason Malop guid at its last update). The key is
//   those parts, so the same alert sent again in another shape (a FireEye alert as JSON and as a
//   text mail) is still one alert.
// - `unique: false` otherwise (FortiGate, FortiWeb, SEP, CEF and LEEF without an alert id...): the
//   key is the parts plus a digest of the whole record (without its syslog header, which a relay
//   may rewrite) and the event's place in it. Only the identical record is the same alert.
import { createHash } from 'node:crypto';

export interface AlertIdentity {
  /** The vendor's identifying fields, in a fixed order; absent ones as undefined. */
  parts: Array<string | number | undefined | null>;
  /** The parts name one detection on their own (when at least one of them is present). */
  unique: boolean;
}

// A key longer than this is replaced by its digest (the unique index holds at most ~2.7 KB).
const MAX_KEY = 300;

function escapePart(p: string | number | undefined | null): string {
  if (p === undefined || p === null) return '';
  return String(p).trim().replace(/[\\|]/g, '\\$&');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The key of alert `index` of a record of `product`. `message` is the record without its syslog
 * header; `identity` the parser's (absent: the record alone identifies it).
 */
export function alertKey(product: string, identity: AlertIdentity | undefined, message: string, index: number): string {
  const parts = identity?.parts ?? [];
  const named = parts.map(escapePart);
  const anyPart = named.some((p) => p !== '');
  let key = `${product}|${named.join('|')}`;
  if (!identity?.unique || !anyPart) key += `|#${sha256(message).slice(0, 32)}:${index}`;
  return key.length > MAX_KEY ? `${product}|sha256:${sha256(key)}` : key;
}

/**
 * The FireEye appliance that numbered an alert, as its JSON notification, its text mail and its
 * CEF line all name it: the host name's first label, lower case ("nx01" for nx01.example.jp).
 */
export function fireEyeApplianceKey(name: string | undefined): string | undefined {
  const n = name?.trim().toLowerCase();
  return n ? n.split('.')[0] : undefined;
}
