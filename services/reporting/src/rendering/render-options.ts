// What PdfRenderer.render accepts besides the document.
export interface RenderOptions {
  // Marks every page "暫定版 / PROVISIONAL" (a month in progress).
  provisional?: boolean;
  // Printed small at the top / bottom of every page (plain text: escaped); the footer also
  // carries "page / pages".
  headerText?: string;
  footerText?: string;
  landscape?: boolean;
  // This render's limit instead of REPORT_RENDER_TIMEOUT_MS.
  timeoutMs?: number;
}
