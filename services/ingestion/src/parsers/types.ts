// Public types of the vendor parsers (pure functions, no I/O).
// The products file itself, not the lib's index: parse workers must not load NestJS and class-validator.
import { SENSOR_PRODUCTS } from '../../../../libs/events/src/products';
import type { SyslogHeader } from './syslog-header.parser';
import type { Ecs } from './ecs';
import type { SeverityLabel } from './severity';
import type { AlertIdentity } from './alert-identity';

// Shared with contracts (monitored products) through the event catalogue.
export { SENSOR_PRODUCTS };

export type SensorProduct = (typeof SENSOR_PRODUCTS)[number];

export interface ParseContext {
  /** IANA zone of the device clock, e.g. 'Asia/Tokyo'. */
  timeZone: string;
  receivedAt: Date;
}

export interface NormalizedEvent {
  kind: 'alert' | 'event';
  occurredAt: Date;
  vendorEventId: string | null;
  /** Alerts only: what makes this alert one detection within its sensor (alert-identity.ts). */
  alertKey: string | null;
  groupKey: string | null;
  blocked: boolean | null;
  vendorSeverity: string | null;
  ruleName: string | null;
  ecs: Record<string, unknown>;
  raw: string;
}

export type ParseOutcome = { ok: true; events: NormalizedEvent[] } | { ok: false; reason: string };

/** What a vendor parser produces before the common finishing step (parse.ts). */
export interface EventDraft {
  kind: 'alert' | 'event';
  /** null: fall back to the syslog header time, then to receivedAt. */
  occurredAt: Date | null;
  vendorEventId: string | null;
  /** The fields identifying the detection (absent: the record itself identifies it). */
  identity?: AlertIdentity;
  groupKey: string | null;
  blocked: boolean | null;
  vendorSeverity: string | null;
  /** null: unknown, finished as medium for alerts and info for events. */
  severity: SeverityLabel | null;
  ruleName: string | null;
  ecs: Ecs;
}

export type VendorOutcome = { ok: true; events: EventDraft[] } | { ok: false; reason: string };

export interface VendorInput {
  product: SensorProduct;
  /** The record exactly as received. */
  raw: string;
  /** The record with the syslog header (if any) removed. */
  message: string;
  header: SyslogHeader;
  ctx: ParseContext;
}

// The outcome of a record that is one event.
export function single(event: EventDraft): VendorOutcome {
  return { ok: true, events: [event] };
}

export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
