import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PDFOptions } from 'puppeteer-core';
import { counter, createLogger, histogram } from '@kanshi/observability';
import { ChromiumBrowser } from './chromium-browser';
import { escapeHtml } from './html';
import { PDF_RENDERER_OPTIONS, PdfRendererOptions } from './pdf-renderer.options';
import { RenderError } from './render.errors';
import { RenderOptions } from './render-options';

// A page is replaced after this many documents (keeps one page's caches from growing).
const RENDERS_PER_PAGE = 50;

const renders = counter('kanshi_report_renders_total', 'PDF renders by outcome (ok, timeout, failed)', ['outcome']);
const renderSeconds = histogram('kanshi_report_render_seconds', 'Time to render one PDF, waiting for a browser included', [], [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]);
const restarts = counter('kanshi_report_browser_restarts_total', 'Renderer browsers replaced, by reason (crashed, timeout, worn)', ['reason']);

interface Slot {
  browser?: ChromiumBrowser;
  launching?: Promise<ChromiumBrowser>;
  busy: boolean;
}

// HTML in, PDF out, on a small pool of warm Chromium browsers (puppeteer-core, Debian's
// Chromium). The pool starts with the first render and closes with the module. Each browser
// renders one document at a time on one reused page that runs no JavaScript and whose every
// request is aborted, so a document can never make the renderer fetch anything. A render past
// its timeout kills its browser (the next render starts a new one); a crashed browser is
// replaced the same way.
@Injectable()
export class PdfRenderer implements OnModuleDestroy {
  private readonly log = createLogger('PdfRenderer');
  private readonly slots: Slot[];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private closing = false;

  constructor(@Inject(PDF_RENDERER_OPTIONS) private readonly opts: PdfRendererOptions) {
    this.slots = Array.from({ length: Math.max(1, opts.browsers) }, () => ({ busy: false }));
  }

  // `html` is a complete document (see documentShell); nothing outside it is loaded.
  async render(html: string, options: RenderOptions = {}): Promise<Buffer> {
    if (this.closing) throw new RenderError('RENDER_FAILED', 'the renderer is shutting down');
    const started = performance.now();
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const slot = await this.acquire(deadline);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const browser = await this.browserOf(slot);
      const work = this.renderOn(browser, html, options, deadline);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => {
            timedOut = true;
            reject(new RenderError('RENDER_TIMEOUT', `rendering took longer than ${timeoutMs} ms`));
          },
          Math.max(0, deadline - Date.now()),
        );
      });
      work.catch(() => undefined);
      const pdf = await Promise.race([work, timeout]);
      renders.inc({ outcome: 'ok' });
      return pdf;
    } catch (err) {
      renders.inc({ outcome: timedOut ? 'timeout' : 'failed' });
      await this.retire(slot, timedOut ? 'timeout' : slot.browser?.alive === false ? 'crashed' : undefined);
      if (RenderError.is(err)) throw err;
      throw new RenderError('RENDER_FAILED', `rendering failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      clearTimeout(timer);
      renderSeconds.observe((performance.now() - started) / 1000);
      this.release(slot);
    }
  }

  // The process ids of the pool's browsers (the bench sums their process trees' memory).
  browserPids(): number[] {
    return this.slots.map((s) => s.browser?.pid).filter((p): p is number => p !== undefined);
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (s) => {
        const b = s.browser ?? (await s.launching?.catch(() => undefined));
        s.browser = undefined;
        await b?.close();
      }),
    );
  }

  private async renderOn(browser: ChromiumBrowser, html: string, options: RenderOptions, deadline: number): Promise<Buffer> {
    if (browser.pageRenders >= RENDERS_PER_PAGE) await browser.recyclePage();
    const page = await browser.openPage();
    browser.renders++;
    browser.pageRenders++;
    const left = () => Math.max(1, deadline - Date.now());
    await page.setContent(html, { waitUntil: 'load', timeout: left() });
    const pdf = await page.pdf({ ...printOptions(options), timeout: left() });
    // The next document starts on an empty page, not on this one's.
    return Buffer.from(pdf);
  }

  private async browserOf(slot: Slot): Promise<ChromiumBrowser> {
    if (slot.browser?.alive && slot.browser.renders < this.opts.maxRendersPerBrowser) return slot.browser;
    if (slot.browser) await this.retire(slot, slot.browser.alive ? 'worn' : 'crashed');
    slot.launching ??= ChromiumBrowser.launch(this.opts.chromiumPath);
    try {
      slot.browser = await slot.launching;
      this.log.info({ pid: slot.browser.pid }, 'renderer browser started');
      return slot.browser;
    } finally {
      slot.launching = undefined;
    }
  }

  private async retire(slot: Slot, reason: 'timeout' | 'crashed' | 'worn' | undefined): Promise<void> {
    const b = slot.browser;
    if (!b) return;
    if (reason === undefined) {
      // An error inside a healthy browser (a bad document): a fresh page is enough.
      await b.recyclePage();
      return;
    }
    slot.browser = undefined;
    restarts.inc({ reason });
    if (reason !== 'worn') this.log.warn({ pid: b.pid, reason }, 'renderer browser replaced');
    await (reason === 'worn' ? b.close() : b.kill());
  }

  private acquire(deadline: number): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise<Slot>((resolve, reject) => {
      const waiter = (slot: Slot) => {
        clearTimeout(timer);
        resolve(slot);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        renders.inc({ outcome: 'timeout' });
        reject(new RenderError('RENDER_TIMEOUT', 'no browser became free before the render timeout'));
      }, deadline - Date.now());
      this.waiting.push(waiter);
    });
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }
}

// page.pdf's options for a render: A4 (or the document's @page size), backgrounds printed, and
// the header and footer when asked for.
export function printOptions(options: RenderOptions): PDFOptions {
  const header = options.provisional || options.headerText || options.footerText;
  return {
    format: 'A4',
    landscape: options.landscape ?? false,
    printBackground: true,
    preferCSSPageSize: true,
    displayHeaderFooter: Boolean(header),
    headerTemplate: header ? headerTemplate(options) : undefined,
    footerTemplate: header ? footerTemplate(options) : undefined,
    margin: header ? { top: '18mm', bottom: '16mm', left: '14mm', right: '14mm' } : undefined,
    // No structure tree nor outline: Puppeteer asks for a tagged PDF by default, which cost the
    // monthly report about a quarter more CPU and made its PDF 4 times as big (docs/reporting.md
    // "The renderer"); the text stays selectable and searchable.
    tagged: false,
    outline: false,
  };
}

const MARK_STYLE = 'font-family: "IPAexGothic", sans-serif; font-size: 8pt; width: 100%; margin: 0 14mm; display: flex; justify-content: space-between; color: #444;';

function headerTemplate(o: RenderOptions): string {
  const mark = o.provisional ? '<span style="color: #b00020; border: 1px solid #b00020; padding: 0 4px;">暫定版 PROVISIONAL</span>' : '<span></span>';
  return `<div style='${MARK_STYLE}'><span>${escapeHtml(o.headerText ?? '')}</span>${mark}</div>`;
}

function footerTemplate(o: RenderOptions): string {
  const mark = o.provisional ? ' <span style="color: #b00020;">暫定版 PROVISIONAL</span>' : '';
  return `<div style='${MARK_STYLE}'><span>${escapeHtml(o.footerText ?? '')}${mark}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
}
