// The renderer on the real Chromium: Japanese text, data shown literally, no request ever leaves
// the page, the provisional mark on every page, a crashed browser replaced, a stuck render cut.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { pdfFonts, pdfInfo, pdfPages, pdfText } from '../testing/pdf-text';
import { documentShell } from './document-shell';
import { html, trustedHtml } from './html';
import { PdfRenderer } from './pdf-renderer';
import { RenderError } from './render.errors';

jest.setTimeout(120_000);

let renderer: PdfRenderer;
let server: Server;
let hits: string[] = [];
let origin: string;

beforeAll(async () => {
  renderer = new PdfRenderer({ chromiumPath: process.env.REPORT_CHROMIUM_PATH ?? '/usr/bin/chromium', browsers: 2, timeoutMs: 30_000, maxRendersPerBrowser: 100 });
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('x');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await renderer?.close();
  await new Promise((r) => server?.close(r));
});
beforeEach(() => {
  hits = [];
});

const doc = (body: ReturnType<typeof html>, title = 'テスト') => documentShell({ lang: 'ja', title, body });

describe('PdfRenderer', () => {
  it('renders Japanese text in IPAexGothic as a PDF whose text can be read back', async () => {
    const pdf = await renderer.render(doc(html`<h1>調査報告書</h1><p>検知した脅威: ${'Emotet'} ／ 危険度: 高</p>`));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('調査報告書');
    expect(text).toContain('検知した脅威: Emotet ／ 危険度: 高');
    expect(await pdfFonts(pdf)).toMatch(/IPAexGothic/);
  });

  it('shows markup in the data literally and makes no request for it', async () => {
    const evil = `<img src="${origin}/img.png"><script>fetch('${origin}/script')</script>`;
    const pdf = await renderer.render(doc(html`<p>署名: ${evil}</p>`));
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain(`署名: <img src="${origin}/img.png"><script>fetch('${origin}/script')</script>`);
    expect(hits).toEqual([]);
  });

  it('blocks every request even from markup in the document itself: images, styles, fonts, frames, refreshes', async () => {
    const markup = trustedHtml(`
      <link rel="stylesheet" href="${origin}/style.css">
      <link rel="preload" as="image" href="${origin}/preload.png">
      <style>@import url("${origin}/import.css"); @font-face { font-family: X; src: url("${origin}/font.woff"); } .bg { background: url("${origin}/bg.png"); font-family: X; }</style>
      <meta http-equiv="refresh" content="0;url=${origin}/refresh">
      <img src="${origin}/img.png"><img srcset="${origin}/srcset.png 2x">
      <iframe src="${origin}/frame"></iframe><object data="${origin}/object"></object><embed src="${origin}/embed">
      <video poster="${origin}/poster.png"></video><audio src="${origin}/audio"></audio>
      <svg><image href="${origin}/svg.png" width="10" height="10"/></svg>
      <script>document.write('<img src="${origin}/js.png">'); location.href = '${origin}/nav';</script>
      <script src="${origin}/external.js"></script>
      <form action="${origin}/form"><button>x</button></form>
      <p class="bg">まだここにある</p>`);
    // Not through documentShell: no CSP meta, so only the renderer itself stands in the way.
    const pdf = await renderer.render(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${markup.value}</body></html>`);
    await new Promise((r) => setTimeout(r, 500));
    expect(hits).toEqual([]);
    expect(await pdfText(pdf)).toContain('まだここにある');
  });

  it('marks every page provisional when asked, and prints the header, footer and page numbers', async () => {
    const pages = html`${[1, 2, 3].map((n) => html`<section class="${n > 1 ? 'page-break' : ''}"><h2>第${n}章</h2></section>`)}`;
    const pdf = await renderer.render(doc(pages), { provisional: true, headerText: '月次報告書 2026年11月', footerText: '株式会社サンプル' });
    expect((await pdfInfo(pdf)).Pages).toBe('3');
    const texts = await pdfPages(pdf);
    expect(texts).toHaveLength(3);
    texts.forEach((t, i) => {
      expect(t).toContain('暫定版');
      expect(t).toContain('PROVISIONAL');
      expect(t).toContain('月次報告書 2026年11月');
      expect(t).toMatch(new RegExp(`${i + 1}\\s*/\\s*3`));
    });
    const final = await pdfText(await renderer.render(doc(pages)));
    expect(final).not.toContain('暫定版');
  });

  it('replaces a browser that crashed, and the next render works', async () => {
    await Promise.all([renderer.render(doc(html`<p>1</p>`)), renderer.render(doc(html`<p>2</p>`))]);
    const before = renderer.browserPids();
    expect(before).toHaveLength(2);
    for (const pid of before) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const results = await Promise.all([1, 2, 3, 4].map((n) => renderer.render(doc(html`<p>復旧 ${n}</p>`))));
    expect(await pdfText(results[3])).toContain('復旧 4');
    const after = renderer.browserPids();
    expect(after).toHaveLength(2);
    expect(after.some((p) => before.includes(p))).toBe(false);
  });

  it('fails a render past its timeout with RENDER_TIMEOUT, and the pool renders again afterwards', async () => {
    const big = html`<table>${Array.from({ length: 3000 }, (_, i) => html`<tr><td>${i}</td><td>行 ${i}</td></tr>`)}</table>`;
    const err = await renderer.render(doc(big), { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(RenderError.is(err, 'RENDER_TIMEOUT')).toBe(true);
    expect(await pdfText(await renderer.render(doc(html`<p>次の報告書</p>`)))).toContain('次の報告書');
  });

  it('queues renders beyond the pool size and answers them all', async () => {
    const pdfs = await Promise.all(Array.from({ length: 6 }, (_, i) => renderer.render(doc(html`<p>報告書 ${i}</p>`))));
    const texts = await Promise.all(pdfs.map(pdfText));
    texts.forEach((t, i) => expect(t).toContain(`報告書 ${i}`));
    expect(renderer.browserPids()).toHaveLength(2);
  });
});
