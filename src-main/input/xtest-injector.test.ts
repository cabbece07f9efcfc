import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import x11, { type XClient, type XDisplay, type XEvent } from 'x11';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { createMemoryLogger } from '../platform/app-logger';
import { InputGate } from './input-gate';
import { selectInputInjector } from './select-input-injector';
import { startXvfb, xvfbUnavailableReason, type XvfbDisplay } from './xvfb-fixture';
import { XTestInjector } from './xtest-injector';

const skipReason = xvfbUnavailableReason();
if (skipReason) console.warn(`[xtest-injector.test] skipping real X11 tests: ${skipReason}`);

const KS = { Shift_L: 0xffe1, Shift_R: 0xffe2, Escape: 0xff1b, Return: 0xff0d };
const MODIFIER_KEYSYMS = new Set([0xffe1, 0xffe2, 0xffe3, 0xffe4, 0xffe5, 0xffe9, 0xffea, 0xffeb, 0xffec, 0xfe03]);

function connect(display: string): Promise<{ client: XClient; disp: XDisplay }> {
  return new Promise((resolve, reject) => {
    const client = x11.createClient({ display }, (err, disp) => (err ? reject(err) : resolve({ client, disp })));
    client.on('error', reject);
  });
}

function call<T>(send: (cb: (err: unknown, result: T) => boolean) => void): Promise<T> {
  return new Promise((resolve, reject) => send((err, result) => (err ? reject(err) : resolve(result), true)));
}

/**
 * A small X client standing in for the requester's applications: a full-screen window that has the
 * focus and listens for key and button events, plus pointer and keymap queries.
 */
class Watcher {
  readonly events: XEvent[] = [];
  private constructor(
    private readonly client: XClient,
    private readonly disp: XDisplay,
  ) {
    client.on('event', (ev: XEvent) => this.events.push(ev));
  }

  static async open(display: string): Promise<Watcher> {
    const { client, disp } = await connect(display);
    const scr = disp.screen[0]!;
    const wid = client.AllocID();
    const em = x11.eventMask;
    const mask = em.KeyPress! | em.KeyRelease! | em.ButtonPress! | em.ButtonRelease!;
    client.CreateWindow(wid, scr.root, 0, 0, scr.pixel_width, scr.pixel_height, 0, 0, 0, 0, { eventMask: mask, backgroundPixel: scr.white_pixel });
    client.MapWindow(wid);
    client.SetInputFocus(wid, 1);
    await client.sync();
    return new Watcher(client, disp);
  }

  clear(): void {
    this.events.length = 0;
  }

  /** After the injector's events reached the server, a round trip here guarantees their events arrived. */
  async settle(injector: XTestInjector): Promise<void> {
    await injector.sync();
    await this.client.sync();
  }

  /** Keysyms of the KeyPress events, read as Xlib would (Shift picks level 2). */
  async pressedKeysyms(options: { withModifiers?: boolean } = {}): Promise<{ keysym: number; shift: boolean }[]> {
    const { min_keycode: min, max_keycode: max } = this.disp;
    const rows = await call<number[][]>((cb) => this.client.GetKeyboardMapping(min, max - min + 1, cb));
    return this.events
      .filter((e) => e.name === 'KeyPress')
      .map((e) => {
        const row = rows[(e.keycode ?? 0) - min] ?? [];
        const shift = ((e.buttons ?? 0) & 1) !== 0;
        const l0 = row[0] ?? 0;
        let l1 = row[1] ?? 0;
        if (l1 === 0) l1 = l0 >= 0x61 && l0 <= 0x7a ? l0 - 0x20 : l0;
        return { keysym: shift ? l1 : l0, shift };
      })
      .filter((k) => options.withModifiers || !MODIFIER_KEYSYMS.has(k.keysym));
  }

  buttonPresses(): number[] {
    return this.events.filter((e) => e.name === 'ButtonPress').map((e) => e.keycode ?? -1);
  }

  pointer(): Promise<{ rootX: number; rootY: number; keyMask: number }> {
    return call((cb) => this.client.QueryPointer(this.disp.screen[0]!.root, cb));
  }

  /** Keycodes currently down, from QueryKeymap. */
  async keysDown(): Promise<number[]> {
    const bits = await call<Uint8Array>((cb) => this.client.QueryKeymap(cb));
    const down: number[] = [];
    for (let k = 8; k < 256; k++) if (((bits[k >> 3] ?? 0) & (1 << (k & 7))) !== 0) down.push(k);
    return down;
  }

  async keycodesFor(keysym: number): Promise<number[]> {
    const { min_keycode: min, max_keycode: max } = this.disp;
    const rows = await call<number[][]>((cb) => this.client.GetKeyboardMapping(min, max - min + 1, cb));
    return rows.flatMap((row, i) => (row.slice(0, 2).includes(keysym) ? [min + i] : []));
  }

  close(): void {
    this.client.terminate();
  }
}

const codes = (text: string) => [...text].map((c) => c.codePointAt(0)!);

describe.skipIf(skipReason !== null)('XTestInjector on a real Xvfb display', () => {
  let xvfb: XvfbDisplay;
  let injector: XTestInjector;
  let watcher: Watcher;
  const errors: { error: Error; fatal: boolean }[] = [];

  beforeAll(async () => {
    xvfb = await startXvfb();
    injector = await XTestInjector.connect({ display: xvfb.display, onError: (error, fatal) => errors.push({ error, fatal }) });
    watcher = await Watcher.open(xvfb.display);
  }, 20_000);

  afterAll(async () => {
    await injector?.close();
    watcher?.close();
    await xvfb?.stop();
  });

  beforeEach(() => watcher.clear());

  it('moves the pointer to absolute pixels, clamped to the screen (checked with xdotool)', async () => {
    expect(await injector.screenSize()).toEqual({ width: 1280, height: 800 });
    await injector.moveTo(321, 123);
    await watcher.settle(injector);
    const { stdout } = await promisify(execFile)('xdotool', ['getmouselocation'], { env: { ...process.env, DISPLAY: xvfb.display } });
    expect(stdout).toMatch(/^x:321 y:123 /);
    await injector.moveTo(5000, -20);
    await watcher.settle(injector);
    expect(await watcher.pointer()).toMatchObject({ rootX: 1279, rootY: 0 });
  });

  it('types "Hello, World!" as the right keysyms, pressing Shift only where needed', async () => {
    await injector.moveTo(600, 400);
    await injector.typeText('Hello, World!');
    await watcher.settle(injector);
    const keys = await watcher.pressedKeysyms();
    expect(keys.map((k) => k.keysym)).toEqual(codes('Hello, World!'));
    expect(keys.map((k) => k.shift)).toEqual([...'Hello, World!'].map((c) => 'HW!'.includes(c)));
    expect(await watcher.keysDown()).toEqual([]); // nothing left pressed, Shift included
  });

  it('gives a character key its level whatever the Shift state, and leaves named keys to the modifiers', async () => {
    await injector.key('H', true);
    await injector.key('H', false);
    await injector.key('ShiftLeft', true);
    await injector.key('1', true); // the helper holds Shift but sends '1' (e.g. another layout): '1' it is
    await injector.key('1', false);
    await injector.key('?', true);
    await injector.key('?', false);
    await injector.key('Tab', true); // Shift+Tab stays Shift+Tab
    await injector.key('Tab', false);
    await injector.key('ShiftLeft', false);
    await watcher.settle(injector);
    const keys = await watcher.pressedKeysyms();
    expect(keys.map((k) => k.keysym)).toEqual([...codes('H1?'), 0xfe20 /* ISO_Left_Tab: Shift+Tab */]);
    expect(await watcher.keysDown()).toEqual([]);
  });

  it('delivers Escape and other named keys', async () => {
    for (const key of ['Escape', 'Enter']) {
      await injector.key(key, true);
      await injector.key(key, false);
    }
    await watcher.settle(injector);
    expect((await watcher.pressedKeysyms()).map((k) => k.keysym)).toEqual([KS.Escape, KS.Return]);
    expect(watcher.events.filter((e) => e.name === 'KeyRelease')).toHaveLength(2);
  });

  it('turns the wheel into buttons 4/5 (vertical) and 6/7 (horizontal), one per notch', async () => {
    await injector.moveTo(100, 100);
    await injector.wheel(0, 2);
    await injector.wheel(0, -1);
    await injector.wheel(1, 0);
    await injector.wheel(-1, 0);
    await watcher.settle(injector);
    expect(watcher.buttonPresses()).toEqual([5, 5, 4, 7, 6]);
    expect(watcher.events.filter((e) => e.name === 'ButtonRelease').map((e) => e.keycode)).toEqual([5, 5, 4, 7, 6]);
  });

  it('presses and releases pointer buttons', async () => {
    await injector.moveTo(200, 200);
    await injector.button('left', true);
    await injector.button('left', false);
    await injector.button('right', true);
    await injector.button('right', false);
    await watcher.settle(injector);
    expect(watcher.buttonPresses()).toEqual([1, 3]);
    expect(watcher.events.find((e) => e.name === 'ButtonPress')).toMatchObject({ x: 200, y: 200 });
  });

  it('types characters the keymap lacks through a spare keycode, and gives it back on close', async () => {
    const own = await XTestInjector.connect({ display: xvfb.display });
    await own.typeText('ж€');
    await own.sync();
    await watcher.settle(own);
    expect((await watcher.pressedKeysyms()).map((k) => k.keysym)).toEqual([0x1000436, 0x10020ac]);
    expect(await watcher.keycodesFor(0x1000436)).toHaveLength(1);
    await own.close();
    expect(own.available).toBe(false);
    expect(await watcher.keycodesFor(0x1000436)).toEqual([]);
    expect(await watcher.keysDown()).toEqual([]);
  });

  it('behind the gate: maps normalised coordinates and releaseAll releases a held Shift and button', async () => {
    const gate = new InputGate({ injector, logger: createMemoryLogger() });
    gate.setControl(true);
    gate.handle({ type: 'pointer.move', x: 0.5, y: 0.25 });
    gate.handle({ type: 'key', key: 'Shift', code: 'ShiftLeft', down: true });
    gate.handle({ type: 'pointer.button', x: 0.5, y: 0.25, button: 'left', down: true });
    await gate.idle();
    await watcher.settle(injector);
    const [shiftL] = await watcher.keycodesFor(KS.Shift_L);
    expect(await watcher.keysDown()).toEqual([shiftL]);
    const held = await watcher.pointer();
    expect(held).toMatchObject({ rootX: 640, rootY: 200 });
    expect(held.keyMask & 0x101).toBe(0x101); // Shift and Button1 are down

    await gate.releaseAll();
    await watcher.settle(injector);
    expect(await watcher.keysDown()).toEqual([]);
    expect((await watcher.pointer()).keyMask & 0x1ff).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(skipReason !== null)('XTestInjector failures', () => {
  it('reports a lost X connection through onError, then rejects calls; the gate drops and never throws', async () => {
    const xvfb = await startXvfb({ width: 640, height: 480 });
    const errors: { error: Error; fatal: boolean }[] = [];
    try {
      const injector = await XTestInjector.connect({ display: xvfb.display, onError: (error, fatal) => errors.push({ error, fatal }) });
      const logger = createMemoryLogger();
      const gate = new InputGate({ injector, logger });
      gate.setControl(true);
      gate.handle({ type: 'key', key: 'a', down: true });
      await gate.idle();
      await xvfb.stop();
      await vi.waitFor(() => expect(injector.available).toBe(false));
      expect(errors.at(-1)?.fatal).toBe(true);
      await expect(injector.moveTo(1, 1)).rejects.toSatisfy((e: unknown) => isAppError(e, 'unavailable'));
      expect(gate.handle({ type: 'pointer.move', x: 0, y: 0 })).toEqual({ accepted: false, reason: 'unavailable' });
      await expect(gate.releaseAll()).resolves.toBeUndefined(); // the release fails inside and is logged
      expect(logger.entries.some((e) => e.message === 'input gate: injection failed')).toBe(true);
      await injector.close();
    } finally {
      await xvfb.stop();
    }
  });

  it('refuses an unreachable display with AppError("unavailable")', async () => {
    for (const display of [':49999', 'not a display', '']) {
      await expect(XTestInjector.connect({ display, connectTimeoutMs: 2000 })).rejects.toSatisfy((e: unknown) => isAppError(e, 'unavailable'));
    }
    await expect(selectInputInjector({ platform: 'linux', env: {}, display: ':49999' })).rejects.toSatisfy((e: unknown) => isAppError(e, 'unavailable'));
  });
});
