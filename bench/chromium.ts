// Launching Debian's Chromium on an Xvfb display, headed, with the e2e harness's flags. A marker
// flag in the command line lets the resource sampler find this browser's processes in /proc.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/harness/browser';
import { TS_CODE_PAGE_SCRIPT } from './ts-code';

/** A headed Chromium with one page. */
export interface BenchBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The `--ra-bench=` marker in its command line. */
  readonly marker: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  display: string;
  marker: string;
  size?: { width: number; height: number };
  /** Init scripts (function sources or strings) to run in every document before its own scripts. */
  initScripts?: (string | (() => void))[];
  /** Make the window fill the screen (no browser bars), so the page's (0,0) is the screen's (0,0). */
  fullscreen?: boolean;
  extraArgs?: string[];
}

/** Launches Chromium headed on `display`; the page starts blank. */
export async function launchChromium(o: LaunchOptions): Promise<BenchBrowser> {
  const size = o.size ?? { width: 1280, height: 800 };
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: false,
    env: { ...process.env, DISPLAY: o.display },
    args: [...CHROMIUM_FLAGS, `--window-size=${size.width},${size.height}`, `--ra-bench=${o.marker}`, ...(o.extraArgs ?? [])],
  });
  const context = await browser.newContext({ viewport: null });
  // Page functions are compiled by tsx, which inserts esbuild's `__name` helper: define it first.
  await context.addInitScript(TS_CODE_PAGE_SCRIPT);
  for (const s of o.initScripts ?? []) await context.addInitScript(typeof s === 'string' ? s : `(${s.toString()})();`);
  const page = await context.newPage();
  if (o.fullscreen) {
    const cdp = await context.newCDPSession(page);
    const { windowId } = (await cdp.send('Browser.getWindowForTarget')) as { windowId: number };
    await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'fullscreen' } });
    await cdp.detach();
  }
  return { browser, context, page, marker: o.marker, close: () => browser.close() };
}
