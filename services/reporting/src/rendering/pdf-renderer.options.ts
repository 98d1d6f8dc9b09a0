import { availableParallelism } from 'node:os';

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

// REPORT_BROWSERS when unset: one browser per core but one, at least one. A render keeps about
// one core busy (Chromium's renderer lays out and prints while the browser process writes the
// PDF), so on 2 cores a second browser mostly makes both renders wait for a core: throughput
// barely moves while every report takes longer (docs/benchmarks.md "reporting").
export function defaultBrowsers(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}
