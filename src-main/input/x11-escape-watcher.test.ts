import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { XEvent } from 'x11';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { createMemoryLogger } from '../platform/app-logger';
import { InjectedKeyTracker } from './injected-keys';
import { InputGate } from './input-gate';
import { classifyRawKey, watchX11Escape, type EscapePress, type EscapeWatcher } from './x11-escape-watcher';
import { startXvfb, xvfbUnavailableReason, type XvfbDisplay } from './xvfb-fixture';
import { XTestInjector } from './xtest-injector';

const run = promisify(execFile);
const skipReason = xvfbUnavailableReason();
if (skipReason) console.warn(`[x11-escape-watcher.test] skipping real X11 tests: ${skipReason}`);

const raw = (detail: number, sourceId: number, name = 'XIRawKeyPress'): XEvent => ({ type: 35, name, detail, sourceId, deviceId: 3 }) as XEvent;

describe('classifyRawKey', () => {
  const esc = new Set([9]);
  const xtest = new Set([5]);
  it('an Esc from a real keyboard is the requester\'s, and never spends an echo record', () => {
    let asked = 0;
    expect(classifyRawKey(raw(9, 7), esc, xtest, () => (asked++, true))).toEqual({ synthetic: false });
    expect(asked).toBe(0);
  });
  it('a synthetic Esc is the helper\'s when it is one we injected, else the requester\'s', () => {
    expect(classifyRawKey(raw(9, 5), esc, xtest, () => true)).toBeNull();
    expect(classifyRawKey(raw(9, 5), esc, xtest, () => false)).toEqual({ synthetic: true });
  });
  it('other keys, releases and other events mean nothing', () => {
    expect(classifyRawKey(raw(38, 7), esc, xtest, () => false)).toBeNull();
    expect(classifyRawKey(raw(9, 7, 'XIRawKeyRelease'), esc, xtest, () => false)).toBeNull();
    expect(classifyRawKey({ type: 2, name: 'KeyPress', keycode: 9 }, esc, xtest, () => false)).toBeNull();
  });
});

describe('watchX11Escape on a display that does not exist', () => {
  it('rejects with unavailable and says which display', async () => {
    const e = await watchX11Escape({ display: ':4093', onEscape: () => undefined, isEcho: () => false, connectTimeoutMs: 2000 }).catch((x: unknown) => x);
    expect(isAppError(e, 'unavailable')).toBe(true);
    expect((e as Error).message).toContain(':4093');
  });
});

describe.skipIf(!!skipReason)('watchX11Escape on a real Xvfb (XI2 raw events)', () => {
  let xvfb: XvfbDisplay;
  let watcher: EscapeWatcher;
  let injector: XTestInjector;
  const presses: EscapePress[] = [];
  const tracker = new InjectedKeyTracker();
  const xdotool = (...args: string[]) => run('xdotool', args, { env: { ...process.env, DISPLAY: xvfb.display } });
  /** Presses are delivered asynchronously; wait until `n` arrived or a moment passed. */
  const seen = async (n: number, ms = 1500) => {
    const end = Date.now() + ms;
    while (presses.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    // A little longer, so an extra (wrong) press would show up too.
    await new Promise((r) => setTimeout(r, 150));
    return presses.length;
  };

  beforeAll(async () => {
    xvfb = await startXvfb({ width: 640, height: 480 });
    watcher = await watchX11Escape({ display: xvfb.display, onEscape: (p) => presses.push(p), isEcho: () => tracker.isEcho('Escape', performance.now()) });
    injector = await XTestInjector.connect({ display: xvfb.display });
  }, 20_000);

  afterAll(async () => {
    await watcher?.close();
    await injector?.close();
    await xvfb?.stop();
  });

  it('hears an Esc typed by another program (xdotool, through XTEST), with no window of ours focused', async () => {
    presses.length = 0;
    await xdotool('key', 'Escape');
    expect(await seen(1)).toBe(1);
    expect(presses[0]).toEqual({ synthetic: true });
  });

  it('does not take the helper\'s Esc (injected through the gate) for the requester\'s', async () => {
    presses.length = 0;
    const gate = new InputGate({ injector, logger: createMemoryLogger(), keyTracker: tracker });
    gate.setControl(true);
    gate.handle({ type: 'key', key: 'Escape', down: true });
    gate.handle({ type: 'key', key: 'Escape', down: false });
    expect(await seen(1, 600)).toBe(0);
    // …and the requester's own Esc right after it still counts.
    await xdotool('key', 'Escape');
    expect(await seen(1)).toBe(1);
    await gate.releaseAll();
  });

  it('ignores other keys', async () => {
    presses.length = 0;
    await xdotool('key', 'a', 'Return', 'ctrl+c');
    expect(await seen(1, 600)).toBe(0);
  });

  it('a held Esc counts once (no auto-repeat presses)', async () => {
    presses.length = 0;
    await xdotool('keydown', 'Escape');
    await new Promise((r) => setTimeout(r, 900));
    await xdotool('keyup', 'Escape');
    expect(await seen(2, 600)).toBe(1);
  });

  it('after close() nothing is reported', async () => {
    const other: EscapePress[] = [];
    const w = await watchX11Escape({ display: xvfb.display, onEscape: (p) => other.push(p), isEcho: () => false });
    await w.close();
    await xdotool('key', 'Escape');
    await new Promise((r) => setTimeout(r, 300));
    expect(other).toEqual([]);
  });
});
