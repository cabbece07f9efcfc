// The apparatus for one round: two Xvfb displays, the requester's and the helper's browser hosts
// (real `remote-assist host` processes), their pages in headed Chromium, and the pattern window
// that fills the requester's screen. Started fresh every round, because Chromium's paint timing
// varies between launches and a round must be read against its own floor.
import fs from 'node:fs';
import path from 'node:path';
import { startXvfb, type XDisplay } from '../e2e/harness/xvfb';
import { startHost, type HostProcess } from '../e2e/harness/host-process';
import type { AppInstance } from '../e2e/harness/fixtures';
import { launchChromium, type BenchBrowser } from './chromium';
import { openXvfbProbe } from './xvfb-probe';
import { installAutoConsent, installPattern, installVideoProbe, type PatternState } from './page-scripts';

/** One running app instance plus its browser (for the resource sampler). */
export interface BenchApp extends AppInstance {
  readonly chromium: BenchBrowser;
}

/** Everything one round runs on. */
export interface Rig {
  readonly requester: BenchApp;
  readonly helper: BenchApp;
  /** The window that paints the timestamp pattern on the requester's display, above the app. */
  readonly pattern: BenchBrowser;
  /**
   * Sets the pattern's mode and raises its window: the requester's own window comes to the front
   * when a session starts, and would otherwise cover the code. Rejects if the code is not readable
   * from the requester's screen afterwards.
   */
  setPattern(mode: PatternState['mode']): Promise<void>;
  stop(): Promise<void>;
}

export interface RigOptions {
  workDir: string;
  round: number;
  /** Extra environment for the requester's host (e.g. NODE_OPTIONS=--cpu-prof). */
  requesterEnv?: Record<string, string>;
  /** Extra init scripts for the requester's page (experiments with WebRTC settings). */
  requesterInitScripts?: string[];
}

async function startApp(role: 'requester' | 'helper', display: XDisplay, o: RigOptions, stops: (() => Promise<unknown>)[]): Promise<BenchApp> {
  const profileDir = path.join(o.workDir, `round-${o.round}`, role);
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  const host: HostProcess = await startHost({ role, display: display.name, profileDir, ...(role === 'requester' && o.requesterEnv ? { env: o.requesterEnv } : {}) });
  stops.push(() => host.stop());
  const chromium = await launchChromium({
    display: display.name,
    marker: `${role}-${o.round}`,
    // The helper's window fills its screen so the video is shown as large as possible.
    size: role === 'helper' ? { width: 1280, height: 800 } : { width: 960, height: 720 },
    initScripts: role === 'helper' ? [installVideoProbe] : [installAutoConsent, ...(o.requesterInitScripts ?? [])],
  });
  stops.push(() => chromium.close());
  await chromium.page.goto(host.url);
  await chromium.page.getByTestId('status-bar').and(chromium.page.locator('[data-connection="connected"]')).waitFor({ timeout: 20_000 });
  const window = { browser: chromium.browser, page: chromium.page, close: () => chromium.close() };
  return { display, host, window, page: chromium.page, chromium };
}

/** Starts a round's displays, hosts and windows. On failure everything started is stopped. */
export async function startRig(o: RigOptions): Promise<Rig> {
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
    stops.length = 0;
  };
  try {
    const displayA = await startXvfb();
    stops.push(() => displayA.stop());
    const displayB = await startXvfb();
    stops.push(() => displayB.stop());
    const requester = await startApp('requester', displayA, o, stops);
    const helper = await startApp('helper', displayB, o, stops);
    // Launched last so its full-screen window is on top (Xvfb has no window manager to restack).
    const pattern = await launchChromium({ display: displayA.name, marker: `pattern-${o.round}`, fullscreen: true });
    stops.push(() => pattern.close());
    await pattern.page.evaluate(installPattern);
    return {
      requester,
      helper,
      pattern,
      async setPattern(mode) {
        await pattern.page.evaluate((m) => void ((globalThis as unknown as { __pattern: PatternState }).__pattern.mode = m), mode);
        await pattern.page.bringToFront();
        const probe = await openXvfbProbe(displayA.name);
        try {
          for (let i = 0; i < 50; i++) {
            if ((await probe.readOnce()) !== null) return;
            await new Promise((r) => setTimeout(r, 20));
          }
          throw new Error(`the timestamp code is not readable at (0,0) of ${displayA.name}: is another window covering the pattern?`);
        } finally {
          probe.close();
        }
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
