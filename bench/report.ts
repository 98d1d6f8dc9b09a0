import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const FILE = path.resolve(__dirname.split(path.sep).includes('dist') ? path.join(__dirname, '..', '..') : path.join(__dirname, '..'), 'docs', 'benchmarks.md');

export function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

// Replaces the "## <name>" section's "Latest run" block in docs/benchmarks.md, keeping the rest.
export function appendBenchmark(name: string, lines: string[]): void {
  if (process.env.BENCH_NO_WRITE === '1') return;
  const marker = `<!-- bench:${name} -->`;
  const block = `${marker}\n${lines.join('\n')}\n${marker}`;
  let doc = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n\nFigures printed by `npm run bench -- <name>`, each with its baseline from the same run.\n';
  const re = new RegExp(`${marker}[\\s\\S]*?${marker}`);
  if (re.test(doc)) doc = doc.replace(re, block);
  else doc = `${doc.trimEnd()}\n\n## ${name}\n\n${block}\n`;
  writeFileSync(FILE, doc);
}
