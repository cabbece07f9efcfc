import type { LinkLog } from './link-options';

/**
 * Logs warnings, but at most `burst` per window: a hostile peer sending a stream of bad messages
 * must not be able to fill the disk through our diagnostics. Suppressed entries are counted and
 * reported with the next one that gets through.
 */
export class RateLimitedLog {
  private windowStart = 0;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly log: LinkLog,
    private readonly burst = 20,
    private readonly windowMs = 10_000,
  ) {}

  /** Logs a warning unless the window's budget is spent. */
  warn(message: string, fields?: Record<string, unknown>): void {
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.burst) {
      this.suppressed++;
      return;
    }
    this.inWindow++;
    const extra = this.suppressed > 0 ? { suppressedBefore: this.suppressed } : {};
    this.suppressed = 0;
    this.log('warn', message, { ...fields, ...extra });
  }
}
