/**
 * Per-address limits of one relay instance: concurrent connections and new pairings per rolling
 * minute. They stop one address from exhausting the relay's sockets or churning pairings (each
 * pairing is also an online password guess against some invitation, but that budget is enforced
 * end to end by the requester; this is about the relay's own resources).
 */
export class IpLimiter {
  private readonly connections = new Map<string, number>();
  private readonly pairings = new Map<string, number[]>();

  constructor(
    private readonly maxConnectionsPerIp: number,
    private readonly maxPairingsPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a new connection from `ip`; false (nothing counted) when the address is at its limit. */
  acquireConnection(ip: string): boolean {
    const n = this.connections.get(ip) ?? 0;
    if (n >= this.maxConnectionsPerIp) return false;
    this.connections.set(ip, n + 1);
    return true;
  }

  /** A connection from `ip` closed. */
  releaseConnection(ip: string): void {
    const n = (this.connections.get(ip) ?? 1) - 1;
    if (n <= 0) this.connections.delete(ip);
    else this.connections.set(ip, n);
  }

  /** Counts a new pairing from `ip`; false when it already opened the maximum in the last minute. */
  takePairing(ip: string): boolean {
    const t = this.now();
    const recent = (this.pairings.get(ip) ?? []).filter((at) => t - at < 60_000);
    if (recent.length >= this.maxPairingsPerMinute) {
      this.pairings.set(ip, recent);
      return false;
    }
    recent.push(t);
    this.pairings.set(ip, recent);
    return true;
  }

  /** Forgets addresses with no recent pairings (called periodically: memory stays bounded). */
  sweep(): void {
    const t = this.now();
    for (const [ip, times] of this.pairings) {
      if (times.every((at) => t - at >= 60_000)) this.pairings.delete(ip);
    }
  }

  /** Distinct addresses with open connections. */
  get addresses(): number {
    return this.connections.size;
  }
}
