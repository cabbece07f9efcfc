/**
 * Per-address limits on Easy Connect lookups. A code id is short (≈ 17.6 bits), so someone could
 * try ids one after another to find live codes; each address may look up only a few codes per
 * minute, and far fewer *unknown* codes per hour (a person mistypes a code once or twice; a
 * scanner misses almost every time). Finding a live code still gives no more than its few joins,
 * each a single online password guess.
 */
export class CodeLookupLimiter {
  private readonly lookups = new Map<string, number[]>();
  private readonly misses = new Map<string, number[]>();

  constructor(
    private readonly lookupsPerMinute: number,
    private readonly missesPerHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts a lookup from `ip`; null when allowed, else the sentence to refuse it with. Refused
   * lookups are not counted, so a client that waits is served again.
   */
  take(ip: string): string | null {
    const t = this.now();
    const misses = recent(this.misses, ip, t, 3600_000);
    if (misses.length >= this.missesPerHour) return `too many unknown codes from your address (limit ${this.missesPerHour} per hour); wait, then check the code`;
    const lookups = recent(this.lookups, ip, t, 60_000);
    if (lookups.length >= this.lookupsPerMinute) return `too many code lookups from your address (limit ${this.lookupsPerMinute} per minute); wait a minute`;
    lookups.push(t);
    return null;
  }

  /** `ip` looked up a code that does not exist (or no longer does). */
  miss(ip: string): void {
    recent(this.misses, ip, this.now(), 3600_000).push(this.now());
  }

  /** Forgets addresses with nothing recent (called periodically: memory stays bounded). */
  sweep(): void {
    const t = this.now();
    for (const [map, window] of [
      [this.lookups, 60_000],
      [this.misses, 3600_000],
    ] as const) {
      for (const [ip, times] of map) if (times.every((at) => t - at >= window)) map.delete(ip);
    }
  }
}

/** The times in `map[ip]` within `window` of `t` (pruned in place, created if missing). */
function recent(map: Map<string, number[]>, ip: string, t: number, window: number): number[] {
  const kept = (map.get(ip) ?? []).filter((at) => t - at < window);
  map.set(ip, kept);
  return kept;
}
