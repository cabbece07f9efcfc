import type { AppLogger } from '../platform/app-logger';
import { FINAL_STATES, type TransferProgress } from './transfer-types';

/** At most this many updates per second per transfer (state changes always go out at once). */
const MIN_INTERVAL_MS = 100;
/** Speed is measured over this much recent history. */
const SPEED_WINDOW_MS = 2000;
/** Finished transfers kept for `list()`. */
const HISTORY = 200;

type Listener = (p: TransferProgress) => void;

/** One transfer's progress: the live record, its speed samples and its throttle. */
export class ProgressHandle {
  private samples: { t: number; bytes: number }[] = [];
  private lastEmit = -Infinity;
  private trailing: NodeJS.Timeout | null = null;

  constructor(
    private readonly hub: ProgressHub,
    private current: TransferProgress,
  ) {}

  get state(): TransferProgress['state'] {
    return this.current.state;
  }

  get isFinal(): boolean {
    return FINAL_STATES.has(this.current.state);
  }

  snapshot(): TransferProgress {
    return { ...this.current };
  }

  /** Applies a change. A new state is published at once; byte counts at most every 100 ms. */
  update(patch: Partial<Omit<TransferProgress, 'transferId' | 'direction'>>): void {
    if (this.isFinal) return;
    const stateChanged = patch.state !== undefined && patch.state !== this.current.state;
    const now = this.hub.now();
    const next = { ...this.current, ...patch };
    for (const k of Object.keys(patch) as (keyof typeof patch)[]) if (patch[k] === undefined) delete next[k];
    if (patch.bytesDone !== undefined) {
      next.bytesDone = Math.max(this.current.bytesDone, patch.bytesDone);
      this.sample(now, next.bytesDone);
    }
    this.current = next;
    this.refreshRate(now);
    if (stateChanged || FINAL_STATES.has(next.state) || now - this.lastEmit >= MIN_INTERVAL_MS) this.emit();
    else if (!this.trailing) {
      // The last update inside a throttle window still reaches the UI, a little later.
      this.trailing = setTimeout(() => this.emit(), MIN_INTERVAL_MS - (now - this.lastEmit));
      this.trailing.unref?.();
    }
  }

  private sample(t: number, bytes: number): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[0]!.t > SPEED_WINDOW_MS) this.samples.shift();
  }

  private refreshRate(now: number): void {
    const c = this.current;
    if (c.state !== 'transferring') {
      c.bytesPerSecond = 0;
      c.secondsLeft = FINAL_STATES.has(c.state) || c.state === 'verifying' ? 0 : null;
      return;
    }
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t - first.t < 50) return;
    c.bytesPerSecond = Math.round(((last.bytes - first.bytes) * 1000) / (now - first.t || 1));
    c.secondsLeft = c.bytesPerSecond > 0 ? Math.ceil((c.size - c.bytesDone) / c.bytesPerSecond) : null;
  }

  private emit(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.lastEmit = this.hub.now();
    this.hub.publish(this.snapshot());
    if (this.isFinal) this.hub.retire(this);
  }
}

/** Progress of every transfer in both directions: listeners, `list()`, bounded history. */
export class ProgressHub {
  private readonly listeners = new Set<Listener>();
  private readonly handles: ProgressHandle[] = [];

  constructor(
    private readonly logger: AppLogger,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts tracking a transfer and publishes its first state. */
  track(initial: Omit<TransferProgress, 'bytesPerSecond' | 'secondsLeft' | 'bytesDone'>): ProgressHandle {
    const handle = new ProgressHandle(this, { bytesDone: 0, bytesPerSecond: 0, secondsLeft: null, ...initial });
    this.handles.push(handle);
    this.publish(handle.snapshot());
    return handle;
  }

  onProgress(cb: Listener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  list(): TransferProgress[] {
    return this.handles.map((h) => h.snapshot());
  }

  publish(p: TransferProgress): void {
    for (const cb of this.listeners) {
      try {
        cb(p);
      } catch (e) {
        this.logger.warn('file progress listener threw', { error: e });
      }
    }
  }

  /** Drops the oldest finished transfers beyond the history limit. */
  retire(_finished: ProgressHandle): void {
    let excess = this.handles.filter((h) => h.isFinal).length - HISTORY;
    for (let i = 0; i < this.handles.length && excess > 0; ) {
      if (this.handles[i]!.isFinal) {
        this.handles.splice(i, 1);
        excess--;
      } else i++;
    }
  }
}
