import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// A PDF's text as poppler's pdftotext sees it (what a reader would copy), page by page.
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = execFile('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin!.end(pdf);
  });
  const pages = text.split('\f');
  if (pages[pages.length - 1].trim() === '') pages.pop();
  return pages;
}

export async function pdfText(pdf: Buffer): Promise<string> {
  return (await pdfPages(pdf)).join('\n');
}

// pdfinfo's fields (Pages, Page size, Producer, ...).
export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  const stdout = await onFile(pdf, 'pdfinfo');
  return Object.fromEntries(stdout.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

// pdffonts' table: the fonts embedded in the PDF.
export function pdfFonts(pdf: Buffer): Promise<string> {
  return onFile(pdf, 'pdffonts');
}

async function onFile(pdf: Buffer, tool: string): Promise<string> {
  const { writeFile, rm, mkdtemp } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'kanshi-pdfinfo-'));
  try {
    await writeFile(join(dir, 'r.pdf'), pdf);
    return (await run(tool, [join(dir, 'r.pdf')])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
