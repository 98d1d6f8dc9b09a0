// Parsing is linear in the record: for every product, a record twice as long (one field grown
// with words, delimiters, quotes or escapes) costs at most about twice as much. A ratio measured
// within one run, not a timed threshold: a regex that backtracks over the field (FortiGate's
// webfilter categories once took 170 ms per 64 KiB record) doubles the ratio to about 4.
import { doublingRatio, FILL_UNITS, growingRecords } from './parse-scaling';
import { parseRecord } from './parse';
import { context, own } from './spec-helpers';

jest.setTimeout(120_000);

// 16 KiB against 32 KiB: large enough for the fixed cost per record to fade, under the 64 KiB line limit.
const BYTES = 16 * 1024;

describe.each(growingRecords(own).map((g) => [`${g.product} (${g.name})`, g] as const))('parse time grows linearly: %s', (_name, g) => {
  it('parses the grown record (so the growth is really read)', () => {
    const out = parseRecord(g.product, g.record('x'.repeat(BYTES)), context());
    expect(out.ok ? 'ok' : out.reason).toBe('ok');
  });

  it.each(FILL_UNITS.map((u) => [JSON.stringify(u), u] as const))('filled with %s: twice the size, at most about twice the time', (_label, unit) => {
    // a loaded machine (CPU caches and memory bandwidth shared with other processes) can slow one
    // round; five tries, each the best of five, before calling it quadratic (which gives about 4)
    let ratio = Infinity;
    for (let attempt = 0; attempt < 5 && ratio >= 3; attempt++) ratio = Math.min(ratio, doublingRatio(g, unit, BYTES).ratio);
    expect(ratio).toBeLessThan(3);
  });
});
