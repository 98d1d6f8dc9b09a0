// Parsing is linear in the record: for every product, a record twice as long (one field grown
// with words, delimiters, quotes or escapes) costs at most about twice as much. A ratio measured
// within one run, not a timed threshold: a regex that backtracks over the field (FortiGate's
// webfilter categories once took 170 ms per 64 KiB record) doubles the ratio to about 4.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { FILL_UNITS, growingRecords, MEASURE_FLAGS } from './parse-scaling';
import { parseRecord } from './parse';
import { context, own, OWN_FIXTURES } from './spec-helpers';

jest.setTimeout(180_000);

// 16 KiB against 32 KiB: large enough for the fixed cost per record to fade, under the 64 KiB line limit.
const BYTES = 16 * 1024;
const LIMIT = 3;

// The timing runs in a fresh node process (parse-scaling.ts, measureAll says why), loading the
// TypeScript sources with swc, the compiler the build uses; it prints the ratios as JSON.
async function measureInFreshProcess(): Promise<Record<string, number>> {
  const loader = `
    const fs = require('node:fs');
    const path = require('node:path');
    const swc = require('@swc/core');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      });
      module._compile(code, filename);
    };
    const [scaling, fixtures, bytes, limit] = process.argv.slice(1);
    const own = (name) => fs.readFileSync(path.join(fixtures, name), 'utf8');
    process.stdout.write(JSON.stringify(require(scaling).measureAll(own, Number(bytes), 5, Number(limit))));
  `;
  const args = [...MEASURE_FLAGS, '-e', loader, path.join(__dirname, 'parse-scaling.ts'), OWN_FIXTURES, String(BYTES), String(LIMIT)];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: path.resolve(__dirname, '../../../..'), maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Record<string, number>;
}

let ratios: Record<string, number>;
beforeAll(async () => {
  ratios = await measureInFreshProcess();
});

describe.each(growingRecords(own).map((g, index) => [`${g.product} (${g.name})`, g, index] as const))('parse time grows linearly: %s', (_name, g, index) => {
  it('parses the grown record (so the growth is really read)', () => {
    const out = parseRecord(g.product, g.record('x'.repeat(BYTES)), context());
    expect(out.ok ? 'ok' : out.reason).toBe('ok');
  });

  it.each(FILL_UNITS.map((u) => [JSON.stringify(u), u] as const))('filled with %s: twice the size, at most about twice the time', (_label, unit) => {
    // five tries, each the fastest parse of five rounds, before calling it quadratic (which gives about 4)
    expect(ratios[`${index}:${unit}`]).toBeLessThan(LIMIT);
  });
});
