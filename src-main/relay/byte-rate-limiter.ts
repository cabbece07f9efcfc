/**
 * Token bucket in bytes per second for one end of a pair. Bytes already received are always
 * forwarded (a WebSocket message cannot be half-read); the bucket goes into debt and says how long
 * the sender must be paused to pay it back. Slowing a fast sender, instead of cutting it, keeps a
 * legitimate file transfer alive on a busy relay.
 */
export class ByteRateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly bytesPerSecond: number,
    /** Burst allowance: one second of traffic. */
    private readonly burst = bytesPerSecond,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` bytes; returns 0 when within the rate, else the milliseconds to pause reading. */
  take(n: number): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.bytesPerSecond) / 1000);
    this.last = t;
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.bytesPerSecond);
  }
}
