import { performance } from 'node:perf_hooks';

/**
 * Token bucket over received frames: about one second's worth of frames may come in a burst,
 * then the sustained rate applies. Legitimate traffic is far below the default (file chunks are
 * 256 KiB, input events a few hundred per second); a peer above it is trying to burn our CPU.
 */
export class FrameRateLimiter {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /** Refills for the time elapsed; call once per batch (reading the clock per frame is wasted work). */
  refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /** Spends one frame's token; false when the peer is over its rate. */
  take(): boolean {
    return --this.tokens >= 0;
  }
}
