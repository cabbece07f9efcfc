import type { XClient, XError, XEvent, XTestExtension } from 'x11';
import { AppError } from '../../src-shared/contract/errors';
import { isInjectKeyName, WHEEL_MAX_NOTCHES } from '../../src-shared/protocol/input';
import type { AppLogger } from '../platform/app-logger';
import type { InputInjector, MouseButton, ScreenSize } from './input-injector-port';
import { abandonX11, connectX11 } from './x11-connection';
import { indexKeymap, isCharacterKey, keysymForCodePoint, keysymsForKey, type KeyPlacement } from './x11-keysyms';

export interface XTestInjectorOptions {
  /** X display string, e.g. ':0' or ':99.0'. */
  display: string;
  logger?: AppLogger;
  /** Hears problems: X protocol errors (fatal = false) and the connection being lost (fatal = true: the injector is then unavailable). */
  onError?: (error: Error, fatal: boolean) => void;
  /** How long connecting may take. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** How long one request may wait for its reply. Default 3000 ms. */
  requestTimeoutMs?: number;
}

const SHIFT_MASK = 0x1;
const LOCK_MASK = 0x2;
const BUTTON_NUMBERS: Record<MouseButton, number> = { left: 1, middle: 2, right: 3 };
const SHIFT_L = 0xffe1;
/** A spare keycode is not remapped again sooner than this after use: the receiving client must read the old mapping first. */
const SPARE_REUSE_MS = 50;

/** The modifier state read for a run of characters, and the Shift keys found held. */
interface ShiftState {
  mask?: number;
  heldShifts?: number[];
}

interface SpareUse {
  keycode: number;
  usedAt: number;
}

/**
 * InputInjector for Linux X11 through the XTEST extension, over the pure-JS `x11` package (no
 * native code; ~35 µs per event). Key names become keysyms, keysyms become keycodes through the
 * server's own keyboard mapping, and the Shift state is adjusted around a character's key press
 * when the character's level needs it (x11vnc's "modtweak"). Characters the keymap lacks are typed
 * by mapping them onto a spare (empty) keycode, the technique xdotool uses; the spare keycodes are
 * given back on close(). Errors never escape as exceptions: protocol errors and a lost connection
 * are reported through `onError`/the logger, after which `available` is false and calls reject.
 *
 * Limitations: only group 1, levels 1–2 of the keymap are used for existing keys (a character on
 * an AltGr level is typed through a spare keycode instead); a client that reads the keymap late may
 * see a spare keycode's newer symbol if more than ~18 distinct unmapped characters are typed
 * within SPARE_REUSE_MS (Xvfb has 18 spare keycodes).
 */
export class XTestInjector implements InputInjector {
  private alive = true;
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<(error: Error) => void>();

  private keymap = new Map<number, KeyPlacement>();
  private mappingStale = true;
  private shiftKeycodes: number[] = [];
  /** Keycodes whose rows were empty: ours to borrow. */
  private freeSpares: number[] = [];
  /** keysym → the spare keycode it is mapped onto, least recently used first. */
  private readonly spares = new Map<number, SpareUse>();
  private readonly pressedKeys = new Map<number, Set<string>>();
  private readonly pressedButtons = new Set<number>();
  private size: ScreenSize;

  private constructor(
    private readonly client: XClient,
    private readonly xtest: XTestExtension,
    private readonly root: number,
    size: ScreenSize,
    private readonly minKeycode: number,
    private readonly maxKeycode: number,
    private readonly options: XTestInjectorOptions,
  ) {
    this.size = size;
    client.on('error', (error: XError) => {
      if (typeof error.error === 'number') this.report(new Error(`X protocol error: ${error.message} (code ${error.error}, request ${error.majorOpcode ?? '?'})`), false);
      else this.lose(error);
    });
    client.on('end', () => this.lose(new Error('X connection closed by the server')));
    client.on('event', (event: XEvent) => {
      // Someone (perhaps us) changed the keyboard mapping: re-read it before the next key.
      if (event.name === 'MappingNotify' && event.request !== 2) this.mappingStale = true;
    });
  }

  /**
   * Connects to `display` and checks the XTEST extension. Rejects with AppError('unavailable')
   * when the display cannot be reached or lacks XTEST.
   */
  static async connect(options: XTestInjectorOptions): Promise<XTestInjector> {
    const { display } = options;
    if (!display) throw new AppError('unavailable', 'Remote control needs an X11 display, and none was given.');
    let client: XClient | undefined;
    try {
      const connected = await connectX11(display, 'xtest', options.connectTimeoutMs ?? 5000);
      client = connected.client;
      const disp = client.display;
      const screen = Number(/\.(\d+)$/.exec(display)?.[1] ?? 0);
      const scr = disp.screen[screen];
      if (!scr) throw new Error(`the display has no screen ${screen}`);
      const injector = new XTestInjector(client, connected.ext, scr.root, { width: scr.pixel_width, height: scr.pixel_height }, disp.min_keycode, disp.max_keycode, options);
      await injector.serial(() => injector.refreshMapping());
      return injector;
    } catch (error) {
      if (client) abandonX11(client);
      throw new AppError('unavailable', `Cannot control this X display (${display}): ${describe(error)}.`, { display });
    }
  }

  get available(): boolean {
    return this.alive && !this.closed;
  }

  async screenSize(): Promise<ScreenSize> {
    const geometry = await this.request<{ width: number; height: number }>((cb) => this.client.GetGeometry(this.root, cb));
    this.size = { width: geometry.width, height: geometry.height };
    return { ...this.size };
  }

  moveTo(px: number, py: number): Promise<void> {
    return this.serial(async () => {
      const x = clampInt(px, 0, this.size.width - 1);
      const y = clampInt(py, 0, this.size.height - 1);
      this.xtest.FakeInput(this.xtest.MotionNotify, 0, 0, this.root, x, y);
    });
  }

  button(button: MouseButton, down: boolean): Promise<void> {
    const n = BUTTON_NUMBERS[button];
    if (n === undefined) return Promise.reject(new AppError('invalid-input', 'Unknown mouse button.'));
    return this.serial(async () => this.fakeButton(n, down));
  }

  wheel(dx: number, dy: number): Promise<void> {
    return this.serial(async () => {
      // X reports wheels as buttons: 4 up, 5 down, 6 left, 7 right; one click per notch.
      const clicks = (n: number) => clampInt(Math.abs(n), 0, WHEEL_MAX_NOTCHES);
      for (let i = 0; i < clicks(dy); i++) this.click(dy > 0 ? 5 : 4);
      for (let i = 0; i < clicks(dx); i++) this.click(dx > 0 ? 7 : 6);
    });
  }

  key(name: string, down: boolean): Promise<void> {
    if (!isInjectKeyName(name)) return Promise.reject(new AppError('invalid-input', 'Key not on the allow-list.'));
    return this.serial(async () => {
      await this.freshMapping();
      if (!down) {
        const keycode = this.keycodeHeldFor(name) ?? this.find(keysymsForKey(name))?.keycode;
        if (keycode !== undefined) this.fakeKey(keycode, false);
        return;
      }
      const keysyms = keysymsForKey(name);
      const placement = this.find(keysyms) ?? (await this.borrowSpare(keysyms[0]!));
      const press = () => this.fakeKey(placement.keycode, true, name);
      // A named key is pressed as is (the helper's own modifiers apply); a character gets its level.
      if (isCharacterKey(name)) await this.atLevel(placement, press, {});
      else press();
    });
  }

  typeText(text: string): Promise<void> {
    return this.serial(async () => {
      await this.freshMapping();
      const shiftState: ShiftState = {};
      // One character at a time: a spare keycode borrowed for it is typed before it can be reused.
      for (const ch of text) {
        const ks = keysymForCodePoint(ch.codePointAt(0)!);
        const placement = this.find([ks]) ?? (await this.borrowSpare(ks));
        await this.atLevel(
          placement,
          () => {
            this.rawKey(placement.keycode, true);
            this.rawKey(placement.keycode, false);
          },
          shiftState,
        );
      }
    });
  }

  /** A round trip: resolves once the server has processed every event sent so far. */
  sync(): Promise<void> {
    return this.serial(() => this.request((cb) => this.client.GetInputFocus(cb)).then(() => undefined));
  }

  /** Releases held keys and buttons, gives the spare keycodes back, and disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    const closing = this.serial(async () => {
      for (const keycode of this.pressedKeys.keys()) this.rawKey(keycode, false);
      this.pressedKeys.clear();
      for (const button of [...this.pressedButtons]) this.fakeButton(button, false);
      for (const { keycode } of this.spares.values()) this.client.ChangeKeyboardMapping(keycode, 2, [0, 0]);
      this.spares.clear();
      await this.request((cb) => this.client.GetInputFocus(cb));
    });
    this.closed = true;
    try {
      await closing;
    } catch (error) {
      this.options.logger?.warn('xtest: could not release everything on close', { error: describe(error) });
    }
    this.client.removeAllListeners('end');
    try {
      this.client.terminate();
    } catch {
      /* already gone */
    }
    this.failPending(new AppError('unavailable', 'The X input injector was closed.'));
  }

  // --- keys ---------------------------------------------------------------------------------

  private find(keysyms: readonly number[]): KeyPlacement | undefined {
    for (const ks of keysyms) {
      const spare = this.spares.get(ks);
      if (spare) {
        this.touchSpare(ks, spare);
        return { keycode: spare.keycode, level: null, alpha: false };
      }
      const placement = this.keymap.get(ks);
      if (placement) return placement;
    }
    return undefined;
  }

  /** Maps `keysym` onto a spare keycode (both levels, so the Shift state does not matter). */
  private async borrowSpare(keysym: number): Promise<KeyPlacement> {
    let keycode = this.freeSpares.pop();
    if (keycode === undefined) {
      const victim = [...this.spares].find(([, use]) => !this.pressedKeys.has(use.keycode));
      if (!victim) throw new AppError('unavailable', 'No spare keycode left to type this character.');
      const [oldKeysym, use] = victim;
      const wait = use.usedAt + SPARE_REUSE_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.spares.delete(oldKeysym);
      keycode = use.keycode;
    }
    this.client.ChangeKeyboardMapping(keycode, 2, [keysym, keysym]);
    this.spares.set(keysym, { keycode, usedAt: performance.now() });
    return { keycode, level: null, alpha: false };
  }

  private touchSpare(keysym: number, use: SpareUse): void {
    this.spares.delete(keysym);
    this.spares.set(keysym, { keycode: use.keycode, usedAt: performance.now() });
  }

  /**
   * Runs `action` with Shift set so the key produces the placement's level, then restores Shift.
   * The server's modifier state (which includes the requester's own keys) is read once per
   * `state` object: a run of characters shares one round trip.
   */
  private async atLevel(p: KeyPlacement, action: () => void, state: ShiftState): Promise<void> {
    if (p.level === null) return action();
    state.mask ??= (await this.request<{ keyMask: number }>((cb) => this.client.QueryPointer(this.root, cb))).keyMask;
    const shift = (state.mask & SHIFT_MASK) !== 0;
    const lock = (state.mask & LOCK_MASK) !== 0;
    const current = p.alpha ? Number(shift !== lock) : Number(shift);
    if (p.level === current) return action();
    if (!shift) {
      const shiftKey = this.find([SHIFT_L])?.keycode ?? this.shiftKeycodes[0];
      if (shiftKey === undefined) return action(); // no Shift key at all: the other level rather than nothing
      this.rawKey(shiftKey, true);
      action();
      this.rawKey(shiftKey, false);
      return;
    }
    state.heldShifts ??= await this.heldShiftKeycodes();
    for (const k of state.heldShifts) this.rawKey(k, false);
    action();
    for (const k of state.heldShifts) this.rawKey(k, true);
  }

  private async heldShiftKeycodes(): Promise<number[]> {
    const keys = await this.request<Uint8Array>((cb) => this.client.QueryKeymap(cb));
    return this.shiftKeycodes.filter((k) => ((keys[k >> 3] ?? 0) & (1 << (k & 7))) !== 0);
  }

  private keycodeHeldFor(name: string): number | undefined {
    for (const [keycode, names] of this.pressedKeys) if (names.has(name)) return keycode;
    return undefined;
  }

  private async freshMapping(): Promise<void> {
    if (this.mappingStale) await this.refreshMapping();
  }

  /** Reads the keyboard and modifier mappings; keeps the spare keycodes that still hold our symbols. */
  private async refreshMapping(): Promise<void> {
    this.mappingStale = false;
    const count = this.maxKeycode - this.minKeycode + 1;
    const rows = await this.request<number[][]>((cb) => this.client.GetKeyboardMapping(this.minKeycode, count, cb));
    const modifiers = await this.request<number[][]>((cb) => this.client.GetModifierMapping(cb));
    this.shiftKeycodes = (modifiers[0] ?? []).filter((k) => k !== 0);
    for (const [keysym, use] of [...this.spares]) {
      if (rows[use.keycode - this.minKeycode]?.[0] !== keysym) this.spares.delete(keysym);
    }
    const borrowed = new Set([...this.spares.values()].map((u) => u.keycode));
    // Keycode 8 is skipped: XKB servers do not deliver it reliably. High keycodes are used first.
    this.freeSpares = rows
      .map((row, i) => ({ keycode: this.minKeycode + i, empty: row.every((ks) => ks === 0) }))
      .filter(({ keycode, empty }) => empty && keycode > 8 && !borrowed.has(keycode))
      .map(({ keycode }) => keycode);
    this.keymap = indexKeymap(
      rows.map((row, i) => (borrowed.has(this.minKeycode + i) ? [] : row)),
      this.minKeycode,
    );
  }

  // --- raw events ---------------------------------------------------------------------------

  /** Presses or releases a keycode for the helper, remembering what is held (for close()). */
  private fakeKey(keycode: number, down: boolean, name?: string): void {
    this.rawKey(keycode, down);
    if (!down) {
      this.pressedKeys.delete(keycode);
      return;
    }
    const names = this.pressedKeys.get(keycode) ?? new Set<string>();
    if (name !== undefined) names.add(name);
    this.pressedKeys.set(keycode, names);
  }

  /** A transient key event (Shift adjustments, typed text): not tracked. */
  private rawKey(keycode: number, down: boolean): void {
    this.xtest.FakeInput(down ? this.xtest.KeyPress : this.xtest.KeyRelease, keycode, 0, 0, 0, 0);
  }

  private fakeButton(n: number, down: boolean): void {
    this.xtest.FakeInput(down ? this.xtest.ButtonPress : this.xtest.ButtonRelease, n, 0, 0, 0, 0);
    if (down) this.pressedButtons.add(n);
    else this.pressedButtons.delete(n);
  }

  private click(n: number): void {
    this.fakeButton(n, true);
    this.fakeButton(n, false);
  }

  // --- plumbing -----------------------------------------------------------------------------

  /** Runs operations one at a time, in call order; rejects when the connection is gone. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(() => {
      if (!this.alive) throw new AppError('unavailable', 'The X connection was lost; remote control is unavailable.');
      return op();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** One request with a reply, as a promise that also settles if the connection drops or the server hangs. */
  private request<T>(send: (cb: (err: XError | null | undefined, result: T) => boolean) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.alive) return reject(new AppError('unavailable', 'The X connection was lost.'));
      const timeoutMs = this.options.requestTimeoutMs ?? 3000;
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(rejectPending);
      };
      const rejectPending = (error: Error) => {
        done();
        reject(error);
      };
      const timer = setTimeout(() => rejectPending(new AppError('timeout', `The X server did not answer within ${timeoutMs} ms.`)), timeoutMs);
      timer.unref?.();
      this.pending.add(rejectPending);
      try {
        send((err, result) => {
          done();
          if (err) reject(new Error(`X request failed: ${err.message}`));
          else resolve(result);
          return true; // handled: the client must not emit it again as 'error'
        });
      } catch (error) {
        rejectPending(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private lose(error: Error): void {
    if (!this.alive) return;
    this.alive = false;
    this.pressedKeys.clear();
    this.pressedButtons.clear();
    this.failPending(new AppError('unavailable', `The X connection was lost: ${error.message}`));
    if (!this.closed) this.report(error, true);
  }

  private failPending(error: Error): void {
    for (const reject of [...this.pending]) reject(error);
  }

  private report(error: Error, fatal: boolean): void {
    this.options.logger?.log(fatal ? 'error' : 'warn', fatal ? 'xtest: connection lost, remote control unavailable' : 'xtest: X error', { error: error.message });
    try {
      this.options.onError?.(error, fatal);
    } catch {
      /* a listener's failure must not take the injector down */
    }
  }
}

function clampInt(v: number, min: number, max: number): number {
  if (!Number.isFinite(v)) return min;
  return Math.min(max, Math.max(min, Math.round(v)));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
