import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { Browser, HTTPRequest, Page } from 'puppeteer-core';

// The flags every renderer browser runs with: headless, no sandbox (containers), nothing that
// talks to the network on its own, and as few processes as a browser that shows one page of
// inline HTML needs (measured in docs/benchmarks.md "reporting"): the GPU process folded into
// the browser process, and none of the extra renderers a full headless Chromium starts by itself
// (a spare renderer kept ready for the next site, the omnibox pop-up's WebUI preloaded for a
// window that is never shown). The zygote stays: every page.pdf starts a print compositor
// process, and without a zygote to fork it from, that start costs ~0.25 CPU s more.
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--in-process-gpu',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-features=SpareRendererForSitePerProcess,PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup,Translate,MediaRouter,OptimizationHints',
];

// One Chromium process of the pool with its one reusable page. The page runs no JavaScript,
// and every request it would make (images, styles, fonts, frames, navigations) is aborted: the
// document set with setContent is all it ever shows.
export class ChromiumBrowser {
  private page: Page | undefined;
  private closed = false;
  renders = 0;
  pageRenders = 0;
  // Requests the page tried and was refused (for tests and the log).
  blockedRequests = 0;

  private constructor(
    readonly browser: Browser,
    private readonly userDataDir: string,
    // The tab Chromium opens at launch: closed once the first page of our own is open, so its
    // renderer does not stay around for nothing. (Rendering on it instead raced with Chromium's
    // start-up under load: "Target closed" on the first setContent.)
    private initialPage: Page | undefined,
  ) {
    browser.on('disconnected', () => {
      this.closed = true;
    });
  }

  static async launch(executablePath: string): Promise<ChromiumBrowser> {
    const userDataDir = await mkdtemp(join(tmpdir(), 'kanshi-chromium-'));
    try {
      const browser = await puppeteer.launch({
        executablePath,
        headless: true,
        userDataDir,
        args: CHROMIUM_FLAGS,
        // Puppeteer's own signal handlers would outlive the pool; the module closes it.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: 30_000,
      });
      const [initialPage] = await browser.pages();
      return new ChromiumBrowser(browser, userDataDir, initialPage);
    } catch (err) {
      await rm(userDataDir, { recursive: true, force: true });
      throw err;
    }
  }

  get alive(): boolean {
    return !this.closed && this.browser.connected;
  }

  get pid(): number | undefined {
    return this.browser.process()?.pid;
  }

  // The reusable page, made on first use (or after recyclePage).
  async openPage(): Promise<Page> {
    if (this.page && !this.page.isClosed()) return this.page;
    const page = await this.browser.newPage();
    const initial = this.initialPage;
    this.initialPage = undefined;
    if (initial && !initial.isClosed()) await initial.close().catch(() => undefined);
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (req: HTTPRequest) => {
      this.blockedRequests++;
      // A refused navigation (a meta refresh, a link) is cancelled rather than failed, so the
      // page keeps the document instead of showing Chromium's error page.
      void req.abort(req.isNavigationRequest() ? 'aborted' : 'blockedbyclient').catch(() => undefined);
    });
    this.page = page;
    this.pageRenders = 0;
    return page;
  }

  async recyclePage(): Promise<void> {
    const page = this.page;
    this.page = undefined;
    if (page && !page.isClosed()) await page.close().catch(() => undefined);
  }

  // Closes the browser (killing it if it does not exit at once) and removes its profile.
  async close(): Promise<void> {
    this.closed = true;
    const proc = this.browser.process();
    await Promise.race([this.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(undefined) : proc.once('exit', r)));
    }
    await rm(this.userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }

  // For a stuck render: no polite close, the process goes at once.
  async kill(): Promise<void> {
    this.closed = true;
    this.browser.process()?.kill('SIGKILL');
    await this.close();
  }
}
