import { html, HtmlValue, trustedHtml } from './html';
import { SafeHtml } from './safe-html';

// The fonts every report is set in: IPAexGothic (Debian's fonts-ipaexfont-gothic) for Japanese
// and Latin alike, so a PDF looks the same on every machine that renders it. IPAexGothic has one
// weight only: bold text would be emboldened by Chromium and printed as Type 3 glyph outlines
// (slower to print, a bigger PDF, text that copies badly), so nothing is bold; headings stand out
// by size and rules, table heads by their background, severities by colour.
export const REPORT_FONT_FAMILY = '"IPAexGothic", "IPAGothic", sans-serif';

// Nothing but the document itself: the renderer also aborts every request, this says so twice.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

const BASE_CSS = `
@page { size: A4; margin: 18mm 14mm 16mm 14mm; }
html { font-family: ${REPORT_FONT_FAMILY}; font-size: 10pt; color: #111; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
h1 { font-size: 18pt; margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 8mm 0 3mm; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
h1, h2, h3, h4, th, b, strong { font-weight: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.page-break { page-break-before: always; }
`;

// A complete document for PdfRenderer.render: language, title, the base style (fonts, tables,
// A4 margins) plus `css`, and the body. `css` is the template's own style sheet (code, not data).
export function documentShell(doc: { lang: 'ja' | 'en'; title: string; css?: string; body: HtmlValue }): string {
  const page: SafeHtml = html`<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${doc.title}</title>
<style>${trustedHtml(BASE_CSS + (doc.css ?? ''))}</style>
</head>
<body>${doc.body}</body>
</html>`;
  return page.value;
}
