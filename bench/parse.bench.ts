// `npm run bench -- parse`: CPU cost of parseRecord (one syslog line in, one normalized ECS
// document out) on the main thread, for the line kinds that dominate real feeds: FortiGate and
// Palo Alto traffic, plus FortiGate UTM, Palo Alto THREAT, Symantec SEP and Trend Micro CEF alerts.
// Each kind is a few thousand generated lines varying like real ones (session ids, ports, serial
// numbers), so no cache sees the same line twice in a row. JSON.stringify of the finished
// document is a separate figure (the pipeline serializes every document for logs.received).
// Baseline from the same run: the same lines split into key=value pairs / CSV fields with the
// simplest code possible, to show how far the full normalization is from a bare tokenizer.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { parseRecord } from '../services/ingestion/src/parsers/parse';
import { doublingRatio, FILL_UNITS, filler, growingRecords } from '../services/ingestion/src/parsers/parse-scaling';
import type { ParseContext, SensorProduct } from '../services/ingestion/src/parsers/types';
import { appendBenchmark, table } from './report';

const LINES_PER_KIND = 2000;
const ROUNDS = 7;

// Fixtures live in the source tree (swc copies no .log files to dist/).
function repoRoot(): string {
  const fromDist = path.join(__dirname, '..', '..');
  const fromSource = path.join(__dirname, '..');
  for (const dir of [__dirname.split(path.sep).includes('dist') ? fromDist : fromSource, process.cwd()]) {
    if (existsSync(path.join(dir, 'services', 'ingestion', 'src', 'parsers', '__fixtures__'))) return dir;
  }
  throw new Error('parse bench: cannot find services/ingestion/src/parsers/__fixtures__ (run it from the repository root)');
}

function firstLine(file: string, index = 0): string {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines[index]) throw new Error(`parse bench: ${file} has no line ${index + 1}`);
  return lines[index];
}

/** Replaces `key=<digits>` (the first occurrence) with `key=<value>`. */
function withKv(line: string, key: string, value: string | number): string {
  return line.replace(new RegExp(`(^|[ ,])${key}=\\d+`), `$1${key}=${value}`);
}

/** Replaces CSV column `index` of the message after the syslog header (the first "1," column). */
function withColumn(line: string, index: number, value: string | number): string {
  const start = line.indexOf(' 1,') + 1;
  const cols = line.slice(start).split(',');
  cols[index] = String(value);
  return line.slice(0, start) + cols.join(',');
}

interface Kind {
  name: string;
  product: SensorProduct;
  lines: string[];
  /** The bare tokenizer for the baseline. */
  split: (line: string) => number;
}

// Baseline tokenizers: no header parsing, no quoting rules beyond the obvious, no normalization.
// They return a count so the work cannot be optimized away.
const KV_RE = /([A-Za-z0-9_]+)=("[^"]*"|\S*)/g;
function splitKv(line: string): number {
  const out: Record<string, string> = {};
  let n = 0;
  for (const m of line.matchAll(KV_RE)) {
    out[m[1]] = m[2];
    n++;
  }
  return n;
}
function splitCsvBare(line: string): number {
  return line.split(',').length;
}
function splitSymantec(line: string): number {
  const out: Record<string, string> = {};
  for (const part of line.split(',')) {
    const i = part.indexOf(': ');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 2);
  }
  return Object.keys(out).length;
}
function splitCef(line: string): number {
  const head = line.split('|');
  return head.length + splitKv(head[head.length - 1]);
}

function kinds(root: string): Kind[] {
  const own = (f: string) => path.join(root, 'services', 'ingestion', 'src', 'parsers', '__fixtures__', f);
  const range = (make: (i: number) => string) => Array.from({ length: LINES_PER_KIND }, (_, i) => make(i));

  const fgTraffic = firstLine(own('fortigate-more.log'));
  const [ips, virus] = [firstLine(own('fortigate-utm.log'), 0), firstLine(own('fortigate-utm.log'), 1)];
  const paTraffic = firstLine(own('paloalto-panos10.log'));
  const paThreat = firstLine(own('paloalto-threat.log'));
  const sep = firstLine(own('symantec-sep.log'));
  const cef = firstLine(own('trendmicro-cef.log'));
  const octet = (i: number) => 10 + (i % 240);
  return [
    {
      name: 'FortiGate traffic',
      product: 'FORTIGATE',
      lines: range((i) => withKv(withKv(withKv(fgTraffic, 'sessionid', 885000 + i), 'srcport', 49152 + (i % 16000)), 'sentbyte', 1000 + (i % 997))),
      split: splitKv,
    },
    {
      name: 'Palo Alto TRAFFIC (PAN-OS 10.1)',
      product: 'PALO_ALTO',
      lines: range((i) => withColumn(withColumn(withColumn(paTraffic, 22, 600123 + i), 24, 49152 + (i % 16000)), 39, `72100441200000${String(1000 + i).padStart(5, '0')}`)),
      split: splitCsvBare,
    },
    {
      name: 'FortiGate UTM (IPS, antivirus)',
      product: 'FORTIGATE',
      lines: range((i) => withKv(withKv(i % 2 ? virus : ips, 'sessionid', 3310827 + i), 'srcport', 49152 + (i % 16000))),
      split: splitKv,
    },
    {
      name: 'Palo Alto THREAT',
      product: 'PALO_ALTO',
      lines: range((i) => withColumn(withColumn(withColumn(paThreat, 22, 512044 + i), 24, 49152 + (i % 16000)), 36, `72100441200000${String(1000 + i).padStart(5, '0')}`)),
      split: splitCsvBare,
    },
    {
      name: 'Symantec SEP',
      product: 'SYMANTEC_SEP',
      lines: range((i) => sep.replace('IP Address: 10.60.14.58', `IP Address: 10.60.14.${octet(i)}`).replace('PC-LEGAL-005', `PC-LEGAL-${String(i % 1000).padStart(3, '0')}`)),
      split: splitSymantec,
    },
    {
      name: 'Trend Micro CEF',
      product: 'TREND_MICRO',
      lines: range((i) => cef.replace('dst=10.60.15.19', `dst=10.60.15.${octet(i)}`).replace('PC-OPS-019', `PC-OPS-${String(i % 1000).padStart(3, '0')}`)),
      split: splitCef,
    },
  ];
}

/**
 * Median over ROUNDS of CPU µs per call of fn over every item. Process CPU time rather than wall
 * time: on a shared machine the wall clock also counts the time other processes had the core
 * (figures drifted 2x between runs); CPU time still includes V8's GC helper threads.
 */
function measure<T>(items: T[], fn: (item: T) => unknown): number {
  const rounds: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.cpuUsage();
    for (const item of items) if (fn(item)) sink++;
    const used = process.cpuUsage(t0);
    rounds.push((used.user + used.system) / items.length);
  }
  if (sink < 0) console.log(sink);
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)];
}

export async function run(): Promise<void> {
  const root = repoRoot();
  const all = kinds(root);
  const ctx: ParseContext = { timeZone: 'Asia/Tokyo', receivedAt: new Date('2026-11-20T03:00:00Z') };

  // Every generated line must parse (a silently quarantined line would be cheap and wrong).
  const docs = new Map<Kind, Record<string, unknown>[]>();
  for (const k of all) {
    docs.set(
      k,
      k.lines.map((l) => {
        const out = parseRecord(k.product, l, ctx);
        if (!out.ok) throw new Error(`parse bench: ${k.name} line did not parse: ${out.reason}`);
        return out.events[0].ecs;
      }),
    );
  }

  // Warm-up on the mix, interleaved as on a worker, so no kind gets a JIT state of its own.
  for (let r = 0; r < 5; r++) {
    for (let i = 0; i < LINES_PER_KIND; i++) for (const k of all) parseRecord(k.product, k.lines[i], ctx);
  }

  const rows: string[][] = [];
  const results: { name: string; parse: number; json: number; bare: number }[] = [];
  for (const k of all) {
    const parse = measure(k.lines, (l) => parseRecord(k.product, l, ctx).ok);
    const json = measure(docs.get(k)!, (d) => JSON.stringify(d).length);
    measure(k.lines, k.split); // the tokenizer's own warm-up
    const bare = measure(k.lines, k.split);
    results.push({ name: k.name, parse, json, bare });
    rows.push([k.name, parse.toFixed(2), (1e6 / parse).toFixed(0), json.toFixed(2), bare.toFixed(2), `${(parse / bare).toFixed(0)}x`]);
  }

  const head = ['line kind', 'parseRecord CPU µs/line', 'lines per CPU-second', 'JSON.stringify(ecs) µs', 'baseline: bare split µs', 'parse / baseline'];
  console.log(`parseRecord on the main thread, ${LINES_PER_KIND} generated lines per kind, process CPU time, median of ${ROUNDS} rounds after warm-up`);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));

  appendBenchmark('parse', [
    `Run ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores, Node ${process.versions.node}): \`npm run bench -- parse\` times \`parseRecord\` on the main thread for ${LINES_PER_KIND} generated lines of each kind (syslog header included; session ids, ports and serial numbers vary as in real feeds), after a mixed warm-up; process CPU time (not wall time, which also counts other processes' turns on a shared machine), median of ${ROUNDS} rounds. JSON.stringify of the finished ECS document is timed separately. Baseline: the same lines split into key=value pairs (a single regex), CSV fields (\`split(',')\`) or \`Key: value\` pairs with the simplest code, no normalization.`,
    '',
    table(head, rows),
  ]);

  scaling(root);
}

// The FortiGate webfilter pattern as it was (a `.*` alternative rescanning the text from every
// "newly observed domain"): the baseline showing what quadratic looks like on this machine.
const QUADRATIC_WEB_CATEGORIES = /malicious|phishing|spam url|botnet|command.and.control|newly observed domain.*malicious|crypto.?mining/i;

// Parse time against record size: every product's record grown in one field with each unit of
// FILL_UNITS, 16 KiB against 32 KiB; the worst unit per record is shown.
function scaling(root: string): void {
  const own = (f: string) => readFileSync(path.join(root, 'services', 'ingestion', 'src', 'parsers', '__fixtures__', f), 'utf8');
  const KIB = 16 * 1024;
  const rows: string[][] = [];
  for (const g of growingRecords(own)) {
    let worst = { unit: '', ratio: 0, nanosSmall: 0, nanosLarge: 0 };
    for (const unit of FILL_UNITS) {
      const r = doublingRatio(g, unit, KIB);
      if (r.ratio > worst.ratio) worst = { unit, ...r };
    }
    rows.push([`${g.product} (${g.name})`, JSON.stringify(worst.unit), (worst.nanosSmall / 1e3).toFixed(0), (worst.nanosLarge / 1e3).toFixed(0), worst.ratio.toFixed(2)]);
  }
  const regexMs = (bytes: number) => {
    const text = filler('newly observed domain ', bytes);
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      const start = process.hrtime.bigint();
      QUADRATIC_WEB_CATEGORIES.test(text);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    }
    return best;
  };
  const old = [KIB, 2 * KIB, 4 * KIB].map(regexMs);
  const head = ['record (growing field)', 'worst fill unit', 'µs at 16 KiB', 'µs at 32 KiB', 'ratio (linear: ~2)'];
  console.log('\nparse time against record size (fastest of 7 alternating rounds, wall time)');
  for (const r of [head, ...rows]) console.log(r.join('  '));
  console.log(`baseline, the old FortiGate webfilter regex alone: ${old.map((ms) => ms.toFixed(1)).join(' / ')} ms at 16 / 32 / 64 KiB`);
  appendBenchmark('parse-scaling', [
    `Run ${new Date().toISOString().slice(0, 10)} on this machine (${cpus().length} cores, Node ${process.versions.node}), second part of \`npm run bench -- parse\`: each product's record with one field grown to 16 KiB and to 32 KiB with each fill unit (${FILL_UNITS.map((u) => `\`${JSON.stringify(u)}\``).join(', ')}); parse time per record, the fastest of 7 alternating rounds after a warm-up; the worst unit per record. A linear parser doubles (the fixed cost per record keeps it under 2); a quadratic one quadruples. The unit spec parse-scaling.spec.ts asserts the same ratio under 3 for every record and unit.`,
    '',
    table(head, rows),
    '',
    `Baseline from the same run: the FortiGate webfilter category regex as it was (\`newly observed domain.*malicious\` among its alternatives) on a category text of repeated "newly observed domain ": ${old.map((ms) => ms.toFixed(1)).join(' ms, ')} ms at 16, 32 and 64 KiB (ratio ${(old[1] / old[0]).toFixed(1)} then ${(old[2] / old[1]).toFixed(1)} per doubling).`,
  ]);
}
