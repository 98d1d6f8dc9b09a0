// Test support for the parser specs (not a spec itself).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRecord } from './parse';
import type { NormalizedEvent, ParseContext, SensorProduct } from './types';

// Vendor samples written for Kanshi from each vendor's documented layout; hosts, addresses,
// hashes and ids are invented.
export const OWN_FIXTURES = path.join(__dirname, '__fixtures__');

export function own(name: string): string {
  return fs.readFileSync(path.join(OWN_FIXTURES, name), 'utf8');
}

export function ownBytes(name: string): Buffer {
  return fs.readFileSync(path.join(OWN_FIXTURES, name));
}

export function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

export function context(timeZone = 'Asia/Tokyo', receivedAt = '2026-11-20T03:00:00Z'): ParseContext {
  return { timeZone, receivedAt: new Date(receivedAt) };
}

export function parseAll(product: SensorProduct, record: string, ctx: ParseContext = context()): NormalizedEvent[] {
  const out = parseRecord(product, record, ctx);
  if (!out.ok) throw new Error(`expected ${product} to parse, got: ${out.reason}`);
  return out.events;
}

export function parseOne(product: SensorProduct, record: string, ctx: ParseContext = context()): NormalizedEvent {
  const events = parseAll(product, record, ctx);
  if (events.length !== 1) throw new Error(`expected one event, got ${events.length}`);
  return events[0];
}

export function reasonFor(product: SensorProduct, record: string, ctx: ParseContext = context()): string {
  const out = parseRecord(product, record, ctx);
  if (out.ok) throw new Error(`expected ${product} to reject the record`);
  return out.reason;
}

/** Reads a dotted path of an ECS document. */
export function field(ecs: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = ecs;
  for (const k of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}
