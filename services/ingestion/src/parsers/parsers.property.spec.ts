// Property-based robustness: whatever arrives (random text, random bytes, damaged vendor lines),
// every product parser answers with valid events or a reason, and never throws.
import fc from 'fast-check';
import { splitHttpBody } from './body-splitter';
import { parseCefExtensions } from './cef.parser';
import { decodeDeviceText } from './charset';
import { parseKeyValues } from './fortinet.parser';
import { parseRecord } from './parse';
import { SEVERITY_SCORE } from './severity';
import { context, lines, own, ownBytes } from './spec-helpers';
import { parseTimestamp } from './time';
import { SENSOR_PRODUCTS, type ParseOutcome, type SensorProduct } from './types';

const ctx = context('Asia/Tokyo', '2026-11-20T03:00:00Z');
const SCORES = new Set(Object.values(SEVERITY_SCORE));

const SEEDS: Record<SensorProduct, string[]> = {
  FIREEYE_NX: [own('fireeye-nx-extended.json'), own('fireeye-mail-body.txt'), own('fireeye-cef.log').trim(), own('fireeye-nx-text-normal.txt').trim()],
  FIREEYE_EX: [own('fireeye-ex-email.json').trim(), own('fireeye-ex-url.json').trim(), own('fireeye-ex-text-normal.txt').trim()],
  FIREEYE_CM: [own('fireeye-cm-camelcase.json').trim(), own('fireeye-cm-aggregated.json').trim(), own('fireeye-cm-text-concise.txt').trim()],
  FIREEYE_HX: [own('fireeye-hx.json').trim()],
  FORTIGATE: [...lines(own('fortigate-utm.log')), ...lines(own('fortigate-more.log')), decodeDeviceText(ownBytes('fortigate-ja.sjis.log')).trim()],
  FORTIWEB: lines(own('fortiweb.log')),
  PALO_ALTO: [...lines(own('paloalto-threat.log')), ...lines(own('paloalto-panos10.log')), ...lines(own('paloalto-by-version.log'))],
  IMPERVA_SECURESPHERE: lines(own('imperva-securesphere-cef.log')),
  SYMANTEC_SEP: [...lines(own('symantec-sep.log')), ...lines(own('symantec-sep-more.log')), decodeDeviceText(ownBytes('symantec-sep-ja.sjis.log')).trim()],
  TREND_MICRO: [...lines(own('trendmicro-cef.log')), ...lines(own('trendmicro-leef.log')), ...lines(own('trendmicro-deepsecurity-cef.log'))],
  CROWDSTRIKE_FALCON: [own('crowdstrike-detection-summary.json'), own('crowdstrike-epp-alert.json').trim(), own('crowdstrike-auth-audit.json').trim()],
  CYBEREASON: [own('cybereason-malop.json'), own('cybereason-malop-prevented.json').trim()],
  CARBON_BLACK: [own('carbonblack-alert-v7.json'), own('carbonblack-watchlist-v7.json').trim()],
  GENERIC_CEF: lines(own('generic-cef.log')),
  GENERIC_JSON: lines(own('generic.ndjson')),
};

const DELIMITERS = [',', '=', '|', '"', '{', '}', '[', ']', ':', ' ', '\t', '^', '\\', '<', '>'];

type Mutation = { kind: 'truncate' | 'delete' | 'duplicate' | 'flip' | 'swap' | 'insert'; a: number; b: number; c: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('truncate', 'delete', 'duplicate', 'flip', 'swap', 'insert'),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  text: fc.string({ unit: 'binary', maxLength: 12 }),
});

function occurrences(s: string, d: string): number[] {
  const out: number[] = [];
  for (let i = s.indexOf(d); i >= 0; i = s.indexOf(d, i + 1)) out.push(i);
  return out;
}

/** Damages a real record the ways transports and devices do. */
function mutate(seed: string, m: Mutation): string {
  const d = DELIMITERS[m.b % DELIMITERS.length];
  switch (m.kind) {
    case 'truncate':
      return seed.slice(0, m.a % (seed.length + 1));
    case 'delete':
    case 'duplicate': {
      const at = occurrences(seed, d);
      if (!at.length) return seed;
      const i = at[m.a % at.length];
      return m.kind === 'delete' ? seed.slice(0, i) + seed.slice(i + 1) : seed.slice(0, i) + d + seed.slice(i);
    }
    case 'flip': {
      const buf = Buffer.from(seed, 'utf8');
      if (!buf.length) return seed;
      for (let k = 0; k <= m.c % 4; k++) buf[(m.a + k * (m.b + 1)) % buf.length] ^= 1 << ((m.b + k) % 8);
      return decodeDeviceText(buf);
    }
    case 'swap': {
      const sep = [',', ' ', '\t', '|', '^', '":'][m.c % 6];
      const parts = seed.split(sep);
      if (parts.length < 2) return seed;
      const i = m.a % parts.length;
      const j = m.b % parts.length;
      [parts[i], parts[j]] = [parts[j], parts[i]];
      return parts.join(sep);
    }
    case 'insert': {
      const i = m.a % (seed.length + 1);
      return seed.slice(0, i) + m.text + seed.slice(i);
    }
  }
}

function problemsIn(value: unknown, path: string, depth: number, out: string[]): void {
  if (depth > 40) return;
  if (value === null || value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value))) {
    out.push(path);
  } else if (Array.isArray(value)) {
    if (!value.length) out.push(path);
    value.forEach((v, i) => problemsIn(v, `${path}[${i}]`, depth + 1, out));
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as object)) problemsIn(v, `${path}.${k}`, depth + 1, out);
  }
}

/** The contract of parseRecord, checked on one outcome. */
function checkOutcome(product: SensorProduct, record: string): boolean {
  let out: ParseOutcome;
  try {
    out = parseRecord(product, record, ctx);
  } catch (e) {
    throw new Error(`${product} threw on ${JSON.stringify(record.slice(0, 200))}: ${String(e)}`);
  }
  if (!out.ok) {
    expect(typeof out.reason).toBe('string');
    expect(out.reason.trim().length).toBeGreaterThan(0);
    if (out.reason.includes('internal parser error')) throw new Error(`${out.reason} on ${JSON.stringify(record.slice(0, 300))}`);
    return false;
  }
  expect(out.events.length).toBeGreaterThan(0);
  for (const e of out.events) {
    expect(e.occurredAt).toBeInstanceOf(Date);
    expect(Number.isNaN(e.occurredAt.getTime())).toBe(false);
    expect(e.ecs['@timestamp']).toBe(e.occurredAt.toISOString());
    expect(['alert', 'event']).toContain(e.kind);
    expect([true, false, null]).toContain(e.blocked);
    expect(e.raw).toBe(record);
    const event = e.ecs.event as Record<string, unknown>;
    expect(event.kind).toBe(e.kind);
    expect(SCORES.has(event.severity as number)).toBe(true);
    for (const v of [e.vendorEventId, e.groupKey, e.vendorSeverity, e.ruleName]) {
      if (v !== null) expect(typeof v === 'string' && v.trim() !== '').toBe(true);
    }
    const problems: string[] = [];
    problemsIn(e.ecs, 'ecs', 0, problems);
    expect(problems).toEqual([]);
  }
  return true;
}

const RUNS = { strings: 200, bytes: 200, mutations: 600 };

describe.each(SENSOR_PRODUCTS.map((p) => [p]))('%s parser under random input', (product) => {
  const seeds = SEEDS[product];

  it('answers random strings with events or a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.json()), (s) => {
        checkOutcome(product, s);
      }),
      { numRuns: RUNS.strings },
    );
  });

  it('answers random bytes, decoded as a device would be, with events or a reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        checkOutcome(product, decodeDeviceText(Buffer.from(bytes)));
      }),
      { numRuns: RUNS.bytes },
    );
  });

  it('answers damaged real vendor records (truncated, delimiters lost or doubled, bytes flipped, fields swapped)', () => {
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (pick, ms) => {
        const seed = seeds[pick % seeds.length];
        seen[checkOutcome(product, ms.reduce(mutate, seed)) ? 'ok' : 'rejected']++;
      }),
      { numRuns: RUNS.mutations },
    );
    // The damage is mild enough that many records still parse, and harsh enough that some do not.
    expect(seen.ok).toBeGreaterThan(RUNS.mutations / 10);
    expect(seen.rejected).toBeGreaterThan(0);
  });

  it('parses every undamaged seed', () => {
    for (const seed of seeds.filter((s) => !s.startsWith('<190>date=2026-11-20 time=10:17:00'))) {
      expect(checkOutcome(product, seed)).toBe(true);
    }
  });
});

describe('syntax round trips', () => {
  const key = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,10}$/);

  it('CEF extension values survive escaping and parsing', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, fc.string({ unit: 'grapheme', maxLength: 30 })), { selector: ([k]) => k, maxLength: 6 }), (pairs) => {
        const values = pairs.map(([k, v]) => [k, v.replace(/[\r\n]/g, ' ').trim()] as const);
        const text = values.map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\').replace(/=/g, '\\=')}`).join(' ');
        expect(Object.fromEntries(parseCefExtensions(text))).toEqual(Object.fromEntries(values));
      }),
      { numRuns: 300 },
    );
  });

  it('FortiGate quoted values survive escaping and parsing', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, fc.string({ unit: 'grapheme', maxLength: 30 })), { selector: ([k]) => k, maxLength: 6 }), (pairs) => {
        const text = pairs.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ');
        expect(Object.fromEntries(parseKeyValues(text))).toEqual(Object.fromEntries(pairs));
      }),
      { numRuns: 300 },
    );
  });

  it('a wall-clock time printed in a zone reads back as the same instant', () => {
    const zones = ['Asia/Tokyo', 'UTC', 'Asia/Kolkata', 'Australia/Eucla', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(...zones), (d, zone) => {
        const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
        const parts = Object.fromEntries(
          new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
            .formatToParts(whole)
            .map((p) => [p.type, p.value]),
        );
        const text = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
        expect(parseTimestamp(text, { timeZone: zone, receivedAt: whole })?.toISOString()).toBe(whole.toISOString());
      }),
      { numRuns: 300 },
    );
  });

  it('splitHttpBody and decodeDeviceText never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(undefined, 'application/json', 'application/x-ndjson; charset=shift_jis', 'text/plain; charset=euc-jp'), (bytes, type) => {
        const r = splitHttpBody(Buffer.from(bytes), type);
        expect(typeof decodeDeviceText(Buffer.from(bytes), type?.split('charset=')[1])).toBe('string');
        expect('records' in r ? Array.isArray(r.records) : typeof r.error === 'string' && r.error.length > 0).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
