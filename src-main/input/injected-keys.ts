import { normaliseKeyName } from '../../src-shared/protocol/input';

/** How long after an injection a local key event is taken for its echo. */
export const ECHO_WINDOW_MS = 250;
/** Records kept at most; older ones are dropped first (a page that never reports must not grow this). */
const MAX_RECORDS = 256;

interface InjectedRecord {
  key: string;
  down: boolean;
  at: number;
}

/** 'ShiftLeft' → 'Shift', 'Esc' → 'Escape': the injector's names and the page's DOM names compare equal. */
function baseKey(key: string): string {
  const sided = /^(Shift|Control|Alt|Meta)(Left|Right)$/.exec(key);
  if (sided?.[1]) return sided[1];
  return normaliseKeyName(key) ?? key;
}

/**
 * Remembers which keys main injected, so an injected key the requester's page or a global shortcut
 * sees is not mistaken for the requester pressing it. Why: the requester's Esc takes control back,
 * but an XTest-injected Esc looks exactly like a real one there, and the helper's Esc must reach
 * the requester's applications without revoking control. Each injection excuses one local event
 * within ECHO_WINDOW_MS, so a real Esc right after a helper's Esc still counts.
 * All times are milliseconds on one clock (the caller's `now`).
 */
export class InjectedKeyTracker {
  private records: InjectedRecord[] = [];

  constructor(private readonly windowMs: number = ECHO_WINDOW_MS) {}

  /** Called by the input gate for every key event it injects. */
  noteInjected(key: string, down: boolean, at: number): void {
    this.prune(at);
    this.records.push({ key: baseKey(key), down, at });
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
  }

  /**
   * True (and the record is consumed) when a local key event — a keydown unless `down` is false —
   * matches a key we injected within the window; false means the requester pressed it.
   */
  isEcho(key: string, at: number, down = true): boolean {
    this.prune(at);
    const k = baseKey(key);
    const i = this.records.findIndex((r) => r.key === k && r.down === down && Math.abs(at - r.at) <= this.windowMs);
    if (i < 0) return false;
    this.records.splice(i, 1);
    return true;
  }

  /** Forgets everything (control ended). */
  clear(): void {
    this.records = [];
  }

  private prune(now: number): void {
    if (this.records.length === 0) return;
    this.records = this.records.filter((r) => now - r.at <= this.windowMs);
  }
}
