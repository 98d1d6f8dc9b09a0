// Records that grow: for every product, records whose one field is filled with a repeated unit
// (words, delimiters, quotes, escapes: what makes a backtracking regex go quadratic), so the
// parse time can be compared at two sizes. Shared by the scaling spec and `npm run bench -- parse`.
import { parseRecord } from './parse';
import type { SensorProduct } from './types';

export interface GrowingRecord {
  product: SensorProduct;
  name: string;
  /** The record with `filler` in its growing field. */
  record(filler: string): string;
}

// Units repeated into the growing field: plain words, the words of a pattern with a `.*` in
// it (FortiGate's "newly observed domain ... malicious"), separators and quoting of the formats.
export const FILL_UNITS = ['newly observed domain ', 'a', ' ', 'x=', '\\\\', '1,', '|', ': ', 'Risk name ', '0x'];

const bare = (line: string) => line.replace(/^<\d+>\w{3} +\d+ [\d:]+ \S+ /, '');
const quoted = (s: string) => s.replace(/["\\]/g, '');
const lines = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() !== '');

/** `own` reads a file of parsers/__fixtures__ (the specs and the bench find it differently). */
export function growingRecords(own: (fixture: string) => string): GrowingRecord[] {
  const jsonDoc = (name: string) => JSON.parse(own(name)) as Record<string, unknown>;
  const fgtWeb = lines(own('fortigate-more.log')).find((l) => l.includes('subtype="webfilter"'))!;
  const fgtIps = lines(own('fortigate-utm.log'))[0];
  const fortiweb = lines(own('fortiweb.log'))[0];
  const palo = bare(lines(own('paloalto-threat.log'))[0]);
  const sep = bare(lines(own('symantec-sep.log'))[0]);
  const trendCef = bare(lines(own('trendmicro-cef.log'))[0]);
  const trendLeef = bare(lines(own('trendmicro-leef.log'))[0]);
  const imperva = bare(lines(own('imperva-securesphere-cef.log'))[0]);
  const genericCef = lines(own('generic-cef.log'))[0];
  const fireeye = jsonDoc('fireeye-nx-extended.json');
  const fireeyeText = own('fireeye-nx-text-normal.txt').trim();
  const crowdstrike = jsonDoc('crowdstrike-detection-summary.json');
  const cybereason = jsonDoc('cybereason-malop.json');
  const carbonblack = jsonDoc('carbonblack-alert-v7.json');
  return [
    { product: 'FORTIGATE', name: 'webfilter catdesc', record: (f) => fgtWeb.replace(/catdesc="[^"]*"/, `catdesc="${quoted(f)}"`) },
    { product: 'FORTIGATE', name: 'IPS msg', record: (f) => fgtIps.replace(/msg="[^"]*"/, `msg="${quoted(f)}"`) },
    { product: 'FORTIGATE', name: 'bare values', record: (f) => `${fgtIps} ${f.replace(/\s/g, '_')}` },
    { product: 'FORTIWEB', name: 'msg', record: (f) => fortiweb.replace(/msg="[^"]*"/, `msg="${quoted(f)}"`) },
    { product: 'PALO_ALTO', name: 'threat name', record: (f) => palo.replace('Microsoft Windows SMBv1', `"${quoted(f).replace(/,/g, ';')}"`) },
    { product: 'SYMANTEC_SEP', name: 'description', record: (f) => sep.replace('Description: ,', `Description: ${f.replace(/,/g, ';')},`) },
    { product: 'TREND_MICRO', name: 'CEF virus name', record: (f) => trendCef.replace('cs3=TROJ_FRS.VSNTKB26', `cs3=${f.replace(/=/g, '\\=')}`) },
    { product: 'TREND_MICRO', name: 'LEEF msg', record: (f) => trendLeef.replace('msg=Realtime', `msg=${f.replace(/[=\t]/g, '_')}`) },
    { product: 'IMPERVA_SECURESPHERE', name: 'description', record: (f) => imperva.replace('cs5=Signature violation', `cs5=${f.replace(/=/g, '\\=')}`) },
    { product: 'GENERIC_CEF', name: 'msg', record: (f) => genericCef.replace('msg=Beacon', `msg=${f.replace(/=/g, '\\=')}`) },
    { product: 'FIREEYE_NX', name: 'JSON malware name', record: (f) => JSON.stringify({ ...fireeye, alert: { ...(fireeye.alert as object), name: f } }) },
    { product: 'FIREEYE_NX', name: 'text mail', record: (f) => fireeyeText.replace('Analysis: content', `Analysis: ${f.replace(/\n/g, ' ')}`) },
    { product: 'CROWDSTRIKE_FALCON', name: 'command line', record: (f) => JSON.stringify({ ...crowdstrike, event: { ...(crowdstrike.event as object), CommandLine: f } }) },
    { product: 'CYBEREASON', name: 'display name', record: (f) => JSON.stringify({ ...cybereason, displayName: f }) },
    { product: 'CARBON_BLACK', name: 'reason', record: (f) => JSON.stringify({ ...carbonblack, reason: f }) },
    { product: 'GENERIC_JSON', name: 'message', record: (f) => JSON.stringify({ kind: 'alert', rule: 'R', message: f, severity: 8 }) },
  ];
}

/** A filler of about `bytes` made of `unit`. */
export function filler(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

const ctx = { timeZone: 'Asia/Tokyo', receivedAt: new Date('2026-11-21T01:00:00Z') };

/**
 * Nanoseconds of this process's CPU time to parse `record` `times` times: CPU time, not wall time,
 * so that other processes competing for the cores (a loaded CI machine) do not distort a ratio.
 */
export function parseNanos(product: SensorProduct, record: string, times: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < times; i++) parseRecord(product, record, ctx);
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

/** The fastest single parse of `record` among `times`, in nanoseconds of this process's CPU time. */
export function fastestParseNanos(product: SensorProduct, record: string, times: number): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = process.cpuUsage();
    parseRecord(product, record, ctx);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) * 1000);
  }
  return best;
}

/**
 * How much longer a record twice as long takes to parse: the fastest single parse at 2S over the
 * fastest at S, measured alternately in `rounds` after a warm-up. The fastest, because anything
 * else only adds time: another process on the core, and above all a garbage collection, which in a
 * long-lived process with a large heap (a jest worker late in the suite) can land in every batch
 * of parses of the larger record and made batch timings read 13 to 16 for a linear parser.
 */
export function doublingRatio(g: GrowingRecord, unit: string, bytes: number, rounds = 5): { ratio: number; nanosSmall: number; nanosLarge: number } {
  const small = g.record(filler(unit, bytes));
  const large = g.record(filler(unit, bytes * 2));
  parseNanos(g.product, small, 2);
  parseNanos(g.product, large, 2);
  const once = parseNanos(g.product, small, 1);
  const times = Math.max(5, Math.min(200, Math.round(4e6 / Math.max(once, 1))));
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestSmall = Math.min(bestSmall, fastestParseNanos(g.product, small, times));
    bestLarge = Math.min(bestLarge, fastestParseNanos(g.product, large, times));
  }
  // a parse faster than the clock's microsecond would divide by zero
  bestSmall = Math.max(bestSmall, 1000);
  return { ratio: bestLarge / bestSmall, nanosSmall: bestSmall, nanosLarge: bestLarge };
}

/** The V8 flags of the measuring process: a young generation (32 MB semi-spaces) that no single parse fills. */
export const MEASURE_FLAGS = ['--min-semi-space-size=32', '--max-semi-space-size=32'];

/**
 * For every growing record and fill unit, the lowest doubling ratio of up to `tries` measurements
 * (a ratio under `enough` ends the tries), keyed `${index}:${unit}`. Run by the scaling spec in a
 * process of its own (`MEASURE_FLAGS`): in a long-lived test worker with a large heap and a small
 * young generation, a record full of escapes allocates enough for a scavenge in every parse of the
 * larger record, and the fastest parse then carries a garbage collection whose cost is the heap's,
 * not the record's (CI read 5.9 to 8.8 for a parser that reads 1.9 in a process of its own).
 */
export function measureAll(own: (fixture: string) => string, bytes: number, tries: number, enough: number): Record<string, number> {
  const out: Record<string, number> = {};
  growingRecords(own).forEach((g, index) => {
    for (const unit of FILL_UNITS) {
      let ratio = Infinity;
      for (let t = 0; t < tries && ratio >= enough; t++) ratio = Math.min(ratio, doublingRatio(g, unit, bytes).ratio);
      out[`${index}:${unit}`] = ratio;
    }
  });
  return out;
}
