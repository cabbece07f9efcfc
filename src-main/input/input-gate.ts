import { AppError } from '../../src-shared/contract/errors';
import { decodeRemoteInput, resolveInjectKey, type MouseButton, type RemoteInputEvent } from '../../src-shared/protocol/input';
import type { AppLogger } from '../platform/app-logger';
import type { InjectedKeyTracker } from './injected-keys';
import type { InputInjector, ScreenSize } from './input-injector-port';

/** Why the gate refused an input event. */
export type InputDropReason = 'no-control' | 'paused' | 'prompt-open' | 'malformed' | 'unknown-key' | 'out-of-range' | 'rate' | 'unavailable';

/** What `onDropped` hears: the reason, the event type when known, and field names (never values). */
export interface InputDrop {
  reason: InputDropReason;
  type?: string;
  detail?: string;
}

/** The shared monitor's rectangle within the virtual screen, in pixels. */
export interface DisplayBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type HandleResult = { accepted: true } | { accepted: false; reason: InputDropReason };

export interface InputGateOptions {
  injector: InputInjector;
  logger: AppLogger;
  /** Hears every dropped event (counting, tests). Must not throw; if it does, the error is logged. */
  onDropped?: (drop: InputDrop) => void;
  /** Told about every injected key, so the requester's own Esc can be told from the helper's. */
  keyTracker?: Pick<InjectedKeyTracker, 'noteInjected'>;
  /** Sustained events per second (a text event costs one per character). Default 1000. */
  maxEventsPerSecond?: number;
  /** Events allowed in a burst above the sustained rate. Default 200. */
  burst?: number;
  /** Injections waiting for the injector before new events are dropped as 'rate'. Default 1000. */
  maxQueued?: number;
  /** Clock in milliseconds (tests). Default `performance.now`. */
  now?: () => number;
}

/** Where normalised (0..1) coordinates land on the display, clamped to its last pixel. */
export function mapToDisplay(x: number, y: number, b: DisplayBounds): { px: number; py: number } {
  const clamp = (v: number, size: number) => Math.min(size - 1, Math.max(0, Math.floor(v * size)));
  return { px: b.x + clamp(x, b.width), py: b.y + clamp(y, b.height) };
}

/** Identity of a held key: the physical key (`code`) when known, else the name ('a' and 'A' alike). */
function keyIdentity(name: string, code: string | undefined): string {
  if (code) return `code:${code}`;
  return `key:${name.length === 1 ? name.toLowerCase() : name}`;
}

const LOG_INTERVAL_MS = 1000;

/**
 * The gate in the requester's main between the helper's input events and the injector
 * (CONVENTIONS.md "Trust lives in main"). It injects an event only if control is granted right
 * now and the session is not paused, the event decodes against the allow-listed schema, and the
 * rate limit allows it; everything else is dropped and logged with a reason. It tracks held keys
 * and buttons and releases them when control ends, a pause begins or the link drops, so nothing
 * stays stuck on the requester's machine. Injection is serialised in arrival order and an
 * injector error never escapes.
 */
export class InputGate {
  private readonly injector: InputInjector;
  private readonly logger: AppLogger;
  private readonly onDropped: ((drop: InputDrop) => void) | undefined;
  private readonly keyTracker: Pick<InjectedKeyTracker, 'noteInjected'> | undefined;
  private readonly now: () => number;
  private readonly rate: number;
  private readonly burst: number;
  private readonly maxQueued: number;

  private control = false;
  private paused = false;
  private promptOpen = false;
  /** Bumped whenever injection stops being allowed: queued events from an older epoch are discarded. */
  private epoch = 0;
  private bounds: DisplayBounds | null = null;
  private screen: ScreenSize | null = null;

  /** Held keys in press order: identity → name pressed. */
  private readonly heldKeys = new Map<string, string>();
  private readonly heldButtons = new Set<MouseButton>();

  private tokens: number;
  private lastRefill: number;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly logState = new Map<string, { at: number; suppressed: number }>();

  constructor(options: InputGateOptions) {
    this.injector = options.injector;
    this.logger = options.logger;
    this.onDropped = options.onDropped;
    this.keyTracker = options.keyTracker;
    this.now = options.now ?? (() => performance.now());
    this.rate = options.maxEventsPerSecond ?? 1000;
    this.burst = options.burst ?? 200;
    this.maxQueued = options.maxQueued ?? 1000;
    this.tokens = this.burst;
    this.lastRefill = this.now();
  }

  /** True while the helper's events are being injected (control granted and not paused). */
  get active(): boolean {
    return this.control && !this.paused;
  }

  /** Control granted (true) or taken back (false: held keys and buttons are released). */
  setControl(granted: boolean): void {
    if (granted === this.control) return;
    this.control = granted;
    if (!granted) this.stopInjecting('control-ended');
  }

  /** Pause (held keys and buttons are released) or resume. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) this.stopInjecting('paused');
  }

  /**
   * A consent question is on the requester's screen (or shown again): nothing from the helper is
   * injected until it is answered, so only the person at the computer can answer it — the helper
   * must not click "Yes" on their own file. Held keys and buttons are released.
   */
  setPromptOpen(open: boolean): void {
    if (open === this.promptOpen) return;
    this.promptOpen = open;
    if (open) this.stopInjecting('prompt-open');
  }

  /** The shared monitor within the virtual screen; null means the whole screen. */
  setDisplayBounds(bounds: DisplayBounds | null): void {
    if (bounds !== null) {
      const { x, y, width, height } = bounds;
      if (![x, y, width, height].every(Number.isFinite) || width < 1 || height < 1) {
        throw new AppError('invalid-input', 'Display bounds must be finite with a positive size.');
      }
      bounds = { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
    }
    this.bounds = bounds;
  }

  /** The link dropped (or the session ends): discard queued events and release everything held. */
  releaseAll(): Promise<void> {
    return this.stopInjecting('release-all');
  }

  /** Resolves once every injection accepted so far has been attempted. */
  idle(): Promise<void> {
    return this.queue;
  }

  /**
   * Decides about one event from the helper (any value: it comes off the wire) and, if accepted,
   * queues its injection. Never throws.
   */
  handle(raw: unknown): HandleResult {
    try {
      return this.decide(raw);
    } catch (error) {
      // Nothing above should throw; if it does, the event is not injected and main lives on.
      this.logger.error('input gate: unexpected error', { error });
      return this.drop({ reason: 'malformed', detail: 'internal' });
    }
  }

  private decide(raw: unknown): HandleResult {
    if (!this.control) return this.drop({ reason: 'no-control', type: typeOf(raw) });
    if (this.paused) return this.drop({ reason: 'paused', type: typeOf(raw) });
    if (this.promptOpen) return this.drop({ reason: 'prompt-open', type: typeOf(raw) });
    if (!this.injector.available) return this.drop({ reason: 'unavailable', type: typeOf(raw) });
    const decoded = decodeRemoteInput(raw);
    if (!decoded.ok) return this.drop({ reason: decoded.reason, type: typeOf(raw), detail: decoded.detail });
    const event = decoded.event;
    // Releasing something held always passes: dropping it would leave a key or button stuck.
    if (!this.releasesHeld(event) && (this.queued >= this.maxQueued || !this.take(cost(event)))) {
      return this.drop({ reason: 'rate', type: event.type });
    }
    // Held state changes when the event is accepted (not when it is injected), so a release that
    // arrives while its press is still queued is recognised, and stopInjecting sees everything.
    const inject = this.prepare(event);
    const epoch = this.epoch;
    this.enqueue(async () => {
      if (epoch !== this.epoch) return; // control ended, pause or link drop since it was accepted
      await inject();
    });
    return { accepted: true };
  }

  private releasesHeld(event: RemoteInputEvent): boolean {
    if (event.type === 'pointer.button') return !event.down && this.heldButtons.has(event.button);
    if (event.type === 'key') {
      const name = resolveInjectKey(event.key, event.code);
      return !event.down && name !== null && this.heldKeys.has(keyIdentity(name, event.code));
    }
    return false;
  }

  /** Updates the held state for an accepted event and returns its injection. */
  private prepare(event: RemoteInputEvent): () => Promise<void> {
    // The coordinates refer to the monitor shared when the event arrived, not when it is injected.
    const bounds = this.bounds;
    switch (event.type) {
      case 'pointer.move':
        return () => this.moveTo(event.x, event.y, bounds);
      case 'pointer.button':
        if (event.down) this.heldButtons.add(event.button);
        else this.heldButtons.delete(event.button);
        return async () => {
          await this.moveTo(event.x, event.y, bounds);
          await this.injector.button(event.button, event.down);
        };
      case 'pointer.wheel':
        return async () => {
          await this.moveTo(event.x, event.y, bounds);
          await this.injector.wheel(event.dx, event.dy);
        };
      case 'key': {
        const resolved = resolveInjectKey(event.key, event.code) ?? event.key; // non-null: the decoder checked it
        const id = keyIdentity(resolved, event.code);
        let name = resolved;
        if (event.down) {
          if (!this.heldKeys.has(id)) this.heldKeys.set(id, resolved);
        } else {
          name = this.heldKeys.get(id) ?? resolved; // release what was pressed ('a', even if 'A' comes up)
          this.heldKeys.delete(id);
        }
        return () => {
          this.keyTracker?.noteInjected(name, event.down, this.now());
          return this.injector.key(name, event.down);
        };
      }
      case 'text':
        return () => this.injector.typeText(event.text);
    }
  }

  private async moveTo(x: number, y: number, bounds: DisplayBounds | null): Promise<void> {
    const { px, py } = mapToDisplay(x, y, bounds ?? (await this.wholeScreen()));
    await this.injector.moveTo(px, py);
  }

  private async wholeScreen(): Promise<DisplayBounds> {
    this.screen ??= await this.injector.screenSize();
    return { x: 0, y: 0, ...this.screen };
  }

  private stopInjecting(why: string): Promise<void> {
    this.epoch++;
    const keys = [...this.heldKeys.values()].reverse(); // last pressed first: modifiers go last
    const buttons = [...this.heldButtons];
    this.heldKeys.clear();
    this.heldButtons.clear();
    return this.enqueue(async () => {
      if (keys.length + buttons.length > 0) this.logger.info('input gate: releasing held input', { why, keys: keys.length, buttons: buttons.length });
      for (const key of keys) {
        await this.attempt('key', () => {
          this.keyTracker?.noteInjected(key, false, this.now());
          return this.injector.key(key, false);
        });
      }
      for (const button of buttons) await this.attempt('button', () => this.injector.button(button, false));
    });
  }

  /** Serialises injections; a failure is logged and never reaches the caller. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queued++;
    this.queue = this.queue.then(() => this.attempt('inject', task)).finally(() => void this.queued--);
    return this.queue;
  }

  private async attempt(op: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (error) {
      this.logThrottled(`error:${op}`, 'error', 'input gate: injection failed', { op, error: describe(error) });
    }
  }

  /** Token bucket: `rate` per second sustained, `burst` at once. */
  private take(n: number): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) * this.rate) / 1000);
    this.lastRefill = now;
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  private drop(drop: InputDrop): HandleResult {
    // Field names only: a dropped event may carry what the helper typed.
    const suspicious = drop.reason === 'malformed' || drop.reason === 'unknown-key' || drop.reason === 'out-of-range';
    this.logThrottled(`drop:${drop.reason}`, suspicious ? 'warn' : 'info', 'input gate: event dropped', { ...drop });
    try {
      this.onDropped?.(drop);
    } catch (error) {
      this.logger.error('input gate: onDropped threw', { error: describe(error) });
    }
    return { accepted: false, reason: drop.reason };
  }

  /** One line per kind per second at most, with how many were left out since the last one. */
  private logThrottled(kind: string, level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    const now = this.now();
    const state = this.logState.get(kind);
    if (state && now - state.at < LOG_INTERVAL_MS) {
      state.suppressed++;
      return;
    }
    const suppressed = state?.suppressed ?? 0;
    this.logState.set(kind, { at: now, suppressed: 0 });
    this.logger.log(level, message, suppressed > 0 ? { ...fields, suppressed } : fields);
  }
}

/** Rate cost: one per event, one per character for text. */
function cost(event: RemoteInputEvent): number {
  return event.type === 'text' ? Math.max(1, [...event.text].length) : 1;
}

/** The event's `type` if it is a short string (for logs), else undefined. */
function typeOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' && /^[a-z.]{1,32}$/.test(type) ? type : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
