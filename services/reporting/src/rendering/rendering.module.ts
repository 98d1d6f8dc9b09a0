import { Module } from '@nestjs/common';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { ReportingConfig } from '../config';
import { PDF_RENDERER_OPTIONS, PdfRendererOptions } from './pdf-renderer.options';
import { PdfRenderer } from './pdf-renderer';

// The PDF renderer, one pool per process.
@Module({
  providers: [
    {
      provide: PDF_RENDERER_OPTIONS,
      inject: [PLATFORM_CONFIG],
      useFactory: (c: ReportingConfig): PdfRendererOptions => ({
        chromiumPath: c.REPORT_CHROMIUM_PATH,
        browsers: c.REPORT_BROWSERS,
        timeoutMs: c.REPORT_RENDER_TIMEOUT_MS,
        maxRendersPerBrowser: c.REPORT_BROWSER_MAX_RENDERS,
      }),
    },
    PdfRenderer,
  ],
  exports: [PdfRenderer],
})
export class RenderingModule {}
