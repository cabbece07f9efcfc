import type { XClient, XError, XEvent, XIRawEvent, XInputExtension } from 'x11';
import { AppError } from '../../src-shared/contract/errors';
import type { AppLogger } from '../platform/app-logger';
import { abandonX11, connectX11 } from './x11-connection';

/** XK_Escape. */
const ESCAPE_KEYSYM = 0xff1b;
/** XIAllDevices / XIAllMasterDevices. */
const ALL_DEVICES = 0;
const ALL_MASTER_DEVICES = 1;

/** Stops watching. */
export interface EscapeWatcher {
  close(): Promise<void>;
}

/** Where one raw Esc press came from, as far as the watcher can tell. */
export interface EscapePress {
  /** True when it came through the XTEST device: injected by us (the helper's Esc) or by another program. */
  synthetic: boolean;
}

export interface X11EscapeWatcherOptions {
  /** X display string, e.g. ':0'. */
  display: string;
  /** Told for each Esc pressed on this computer that is not one main injected. */
  onEscape: (press: EscapePress) => void;
  /**
   * True (and consumed) when a synthetic Esc seen now is one main injected a moment ago (the
   * helper's Esc, which must reach the requester's programs without taking control back).
   */
  isEcho: () => boolean;
  logger?: AppLogger;
  /** How long connecting may take. Default 5000 ms. */
  connectTimeoutMs?: number;
}

/**
 * Sees the requester's Esc anywhere on an X11 desktop, not only while Remote Assist has the
 * focus — the white paper's "press Esc to take back control" has to work while the helper is
 * working in another window. It listens to XI2 *raw* key events on the root window: they are
 * delivered to every client that asks, whatever has the focus, and nothing is grabbed, so the Esc
 * still reaches the focused program (a global shortcut would swallow it, and with it every Esc
 * the helper types for the requester's programs).
 *
 * Telling the requester's Esc from the helper's: each raw event names the slave device it came
 * from. Keys from a real keyboard always count. Keys from the XTEST device are synthetic: ours
 * (the helper's Esc, excused once each by `isEcho`) or another program's (xdotool, a test), which
 * count — when in doubt, taking control back is the safe side.
 */
export async function watchX11Escape(o: X11EscapeWatcherOptions): Promise<EscapeWatcher> {
  let client: XClient | undefined;
  try {
    const connected = await connectX11(o.display, 'xinput', o.connectTimeoutMs ?? 5000);
    client = connected.client;
    if (!connected.ext.xi2) throw new Error('the X server has no XInput 2');
    const watcher = new X11EscapeWatcherImpl(client, connected.ext, o);
    await watcher.start();
    return watcher;
  } catch (e) {
    if (client) abandonX11(client);
    throw new AppError('unavailable', `Cannot watch the keyboard on this X display (${o.display}): ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/**
 * What one X event means here: an Esc the requester pressed (from a real keyboard, or synthetic
 * but not ours), or nothing (another key, another event, or the helper's Esc — `isEcho` is asked,
 * and so consumes its record, only for a synthetic Esc).
 */
export function classifyRawKey(ev: XEvent, escapeKeycodes: ReadonlySet<number>, syntheticDevices: ReadonlySet<number>, isEcho: () => boolean): EscapePress | null {
  if (ev.name !== 'XIRawKeyPress') return null;
  const raw = ev as XIRawEvent;
  if (!escapeKeycodes.has(raw.detail)) return null;
  const synthetic = syntheticDevices.has(raw.sourceId);
  if (synthetic && isEcho()) return null;
  return { synthetic };
}

class X11EscapeWatcherImpl implements EscapeWatcher {
  private escapeKeycodes = new Set<number>();
  private syntheticDevices = new Set<number>();
  private closed = false;

  constructor(
    private readonly client: XClient,
    private readonly xi: XInputExtension,
    private readonly o: X11EscapeWatcherOptions,
  ) {
    client.on('error', (e: XError) => o.logger?.warn('escape watcher: X error', { error: e.message }));
    client.on('end', () => {
      if (!this.closed) o.logger?.warn('escape watcher: the X connection closed; Esc works only in the Remote Assist window now');
    });
    client.on('event', (ev: XEvent) => this.onEvent(ev));
  }

  async start(): Promise<void> {
    await Promise.all([this.readKeymap(), this.readDevices()]);
    const root = this.client.display.screen[0]!.root;
    this.xi.XISelectEvents(root, { deviceId: ALL_MASTER_DEVICES, mask: ['RawKeyPress'] });
    // Wait until the server has the selection, so no Esc after start() is missed.
    await this.client.sync();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      this.client.removeAllListeners('event');
      this.client.on('error', () => undefined);
      try {
        this.client.close(() => resolve());
      } catch {
        resolve();
      }
      // A server that no longer answers must not keep the session from ending.
      setTimeout(resolve, 1000).unref();
    });
  }

  private onEvent(ev: XEvent): void {
    if (ev.name === 'MappingNotify' && ev.request === 1) return void this.readKeymap().catch(() => undefined);
    const press = classifyRawKey(ev, this.escapeKeycodes, this.syntheticDevices, this.o.isEcho);
    if (press) this.o.onEscape(press);
  }

  /** The keycodes that carry Escape at any level (usually just 9). */
  private readKeymap(): Promise<void> {
    const { min_keycode: min, max_keycode: max } = this.client.display;
    return new Promise((resolve, reject) => {
      this.client.GetKeyboardMapping(min, max - min + 1, (err, rows) => {
        if (err) return reject(err);
        const codes = new Set<number>();
        rows.forEach((row, i) => {
          if (row.includes(ESCAPE_KEYSYM)) codes.add(min + i);
        });
        this.escapeKeycodes = codes;
        resolve();
      });
    });
  }

  /** The XTEST slave devices: every master has one, named "… XTEST keyboard/pointer". */
  private readDevices(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.xi.XIQueryDevice(ALL_DEVICES, (err, devices) => {
        if (err) return reject(err);
        this.syntheticDevices = new Set(devices.filter((d) => /\bXTEST\b/.test(d.name)).map((d) => d.deviceId));
        resolve();
      });
    });
  }
}
