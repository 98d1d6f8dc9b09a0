// How PdfRenderer runs Chromium; RenderingModule fills it from the service's configuration.
export const PDF_RENDERER_OPTIONS = Symbol('PDF_RENDERER_OPTIONS');

export interface PdfRendererOptions {
  chromiumPath: string;
  // Warm browsers kept (each renders one document at a time).
  browsers: number;
  timeoutMs: number;
  // A browser is replaced after this many renders.
  maxRendersPerBrowser: number;
}
