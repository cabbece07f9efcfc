import { test as base, expect, type Page } from '@playwright/test';
import { startXvfb, type XDisplay } from './xvfb';
import { startHost, type HostOptions, type HostProcess } from './host-process';
import { openOnDisplay, type AppWindow } from './browser';

/** One running instance of the app: its X display, its browser host and its page. */
export interface AppInstance {
  readonly display: XDisplay;
  readonly host: HostProcess;
  readonly window: AppWindow;
  readonly page: Page;
}

export interface LaunchOptions extends Partial<Omit<HostOptions, 'display'>> {
  role: HostOptions['role'];
  windowSize?: { width: number; height: number };
}

interface Fixtures {
  /** Starts an instance on its own Xvfb display; everything is stopped after the test. */
  launchApp(opts: LaunchOptions): Promise<AppInstance>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  launchApp: async ({}, use, testInfo) => {
    const started: AppInstance[] = [];
    const stops: (() => Promise<void>)[] = [];
    await use(async (opts) => {
      const display = await startXvfb();
      stops.push(() => display.stop());
      const host = await startHost({ ...opts, display: display.name });
      stops.push(() => host.stop());
      const window = await openOnDisplay(host.url, display.name, opts.windowSize);
      stops.push(() => window.close());
      window.page.on('pageerror', (e) => console.error(`[${opts.role} page error]`, e.message));
      const app = { display, host, window, page: window.page };
      started.push(app);
      await expect(window.page.getByTestId('status-bar')).toHaveAttribute('data-connection', 'connected');
      return app;
    });
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const a of started) await testInfo.attach(`host-output-${a.display.name}`, { body: a.host.output(), contentType: 'text/plain' });
    }
    for (const stop of stops.reverse()) await stop().catch(() => {});
  },
});

export { expect };
