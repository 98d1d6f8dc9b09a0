// A busy customer's monthly report through the real view, template and renderer: many pages,
// the header on each, the Japanese font embedded, no glyphs printed as outlines (Type 3 fonts
// come from faked bold: slow to print, big, and they copy badly), data shown literally.
import { PdfRenderer } from '../rendering/pdf-renderer';
import { busyMonthInput } from '../testing/busy-month';
import { pdfFonts, pdfInfo, pdfPages } from '../testing/pdf-text';
import { monthlyReportDocument } from './monthly-report.template';
import { buildMonthlyReportView } from './monthly-report.view';

jest.setTimeout(120_000);

let renderer: PdfRenderer;

beforeAll(() => {
  renderer = new PdfRenderer({ chromiumPath: process.env.REPORT_CHROMIUM_PATH ?? '/usr/bin/chromium', browsers: 1, timeoutMs: 60_000, maxRendersPerBrowser: 10 });
});
afterAll(async () => {
  await renderer?.close();
});

describe('a busy month rendered', () => {
  it('has 10+ pages with the title on every one, IPAexGothic embedded and no Type 3 fonts', async () => {
    const view = buildMonthlyReportView(busyMonthInput(7));
    const doc = monthlyReportDocument(view);
    const pdf = await renderer.render(doc.html, doc.options);
    expect(Number((await pdfInfo(pdf)).Pages)).toBeGreaterThanOrEqual(10);
    const pages = await pdfPages(pdf);
    pages.forEach((p, i) => {
      expect(p).toContain('月次報告書 2026年11月');
      expect(p).toMatch(new RegExp(`${i + 1}\\s*/\\s*${pages.length}`));
    });
    const text = pages.join('\n');
    expect(text).toContain('株式会社サンプル商事 第7事業部 <Sample & Co.>');
    expect(text).toContain(view.incidents[view.incidents.length - 1].title);
    const fonts = await pdfFonts(pdf);
    expect(fonts).toMatch(/\+IPAexGothic\s+CID TrueType/);
    expect(fonts).not.toMatch(/Type 3/);
  });
});
