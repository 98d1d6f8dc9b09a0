// The project builds, tests and runs from a clone anywhere: no tracked source refers to a path
// outside the repository (the vendor samples the tests use live in the project).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
// Spelled in pieces so this file does not match its own rules.
const SHARED = 'shared';
const NAMED = [new RegExp(`\\.\\./${SHARED}\\b`), new RegExp(`${SHARED}/fixtures`), new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${SHARED}['"]`)];
// path.resolve/join(__dirname, '<literal>', ...): where the leading string arguments lead.
const FROM_DIRNAME = /path\.(?:resolve|join)\(\s*__dirname\s*((?:,\s*(?:'[^']*'|"[^"]*"|`[^`$]*`)\s*)+)/g;
const LITERAL = /'([^']*)'|"([^"]*)"|`([^`]*)`/g;
// Specs run from the sources; everything else is compiled into dist/ and run from there.
const RUNS_FROM_SOURCES = /\.(spec|int-spec|e2e-spec)\.ts$/;

/** What in `text` (the file `file`, relative to `root`) points outside `root`, as short reasons. */
function outsideReferences(root: string, file: string, text: string): string[] {
  const reasons = NAMED.filter((re) => re.test(text)).map((re) => `names ${re.exec(text)![0]}`);
  const dir = path.dirname(path.join(root, RUNS_FROM_SOURCES.test(file) ? file : path.join('dist', file)));
  for (const m of text.matchAll(FROM_DIRNAME)) {
    const segments = [...m[1].matchAll(LITERAL)].map((s) => s[1] ?? s[2] ?? s[3]);
    if (path.relative(root, path.resolve(dir, ...segments)).startsWith('..')) reasons.push(`leads out of the repository: ${m[0].trim()})`);
  }
  return reasons;
}

describe('self-contained repository', () => {
  it('flags paths to a sibling folder, named or climbed to', () => {
    const root = '/repo';
    const fromDir = (fn: 'resolve' | 'join', args: string) => `path.${fn}(__dirname, ${args})`;
    expect(outsideReferences(root, 'a/b/c.ts', `read('../${SHARED}/fixtures/x.log')`)).toHaveLength(2);
    expect(outsideReferences(root, 'a/b/c.ts', `path.join(root, '..', '${SHARED}', 'x')`)).toEqual([`names '..', '${SHARED}'`]);
    expect(outsideReferences(root, 'a/b/c.spec.ts', fromDir('resolve', "'../../../vendors'"))).toEqual([`leads out of the repository: ${fromDir('resolve', "'../../../vendors'")}`]);
    expect(outsideReferences(root, 'a/b/c.spec.ts', fromDir('join', "'..', '..', '..', 'x'"))).toHaveLength(1);
    // compiled code runs from dist/a/b: three levels up is the repository itself
    expect(outsideReferences(root, 'a/b/c.ts', fromDir('join', "'..', '..', '..'"))).toEqual([]);
    expect(outsideReferences(root, 'a/b/c.ts', fromDir('join', "'../../../..'"))).toHaveLength(1);
    expect(outsideReferences(root, 'a/b/c.spec.ts', `import { x } from '../../d';\n${fromDir('resolve', "'..', '..', 'src'")}`)).toEqual([]);
  });

  it('has no tracked .ts, .js or .json file that refers to a path outside the repository', () => {
    const files = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.js', '*.json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .split('\0')
      .filter((f) => f !== '' && existsSync(path.join(ROOT, f)));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((f) => outsideReferences(ROOT, f, readFileSync(path.join(ROOT, f), 'utf8')).map((r) => `${f}: ${r}`));
    expect(offenders).toEqual([]);
  });
});
