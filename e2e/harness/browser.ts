import { chromium, type Browser, type Page } from '@playwright/test';

/** Debian's Chromium; Playwright never downloads a browser here. */
export const CHROMIUM = process.env.RA_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags verified on this machine (DESIGN.md section 11): headed on Xvfb, "Entire screen" picked
 * without a picker, real local IPs in ICE candidates (no mDNS), nothing phoning home.
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--lang=en-US',
  '--auto-select-desktop-capture-source=Entire screen',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--window-position=0,0',
];

export interface AppWindow {
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

/** Opens `url` in a headed Chromium window on the given X display. */
export async function openOnDisplay(url: string, display: string, size = { width: 960, height: 720 }): Promise<AppWindow> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: false,
    env: { ...process.env, DISPLAY: display },
    args: [...CHROMIUM_FLAGS, `--window-size=${size.width},${size.height}`],
  });
  const context = await browser.newContext({ viewport: null });
  const page = await context.newPage();
  await page.goto(url);
  return { browser, page, close: () => browser.close() };
}
