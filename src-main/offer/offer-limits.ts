/**
 * Admission control of the offer listener, decided before a byte is read. The listener is an
 * open port on a machine that may sit on a hostile network, so:
 *  - each address may hold a few handshakes at once, and start only so many per minute (a token
 *    bucket), so one flooding address cannot occupy the listener;
 *  - all addresses together hold at most `maxPending` handshakes (the global cap), and the
 *    socket count is capped too, so a distributed flood costs us bounded memory and CPU;
 *  - IPv6 addresses count per /64, the block one subscriber usually gets: otherwise one machine
 *    could present 2^64 "different" addresses.
 */

/** The limits; the defaults suit production, tests shorten the window. */
export interface OfferLimits {
  /** Concurrent handshakes from one address (default 4). */
  maxPendingPerAddress: number;
  /** Concurrent handshakes in total (default 32). */
  maxPending: number;
  /** Connections one address may start per window, as a burst (default 20). */
  attemptsPerAddress: number;
  /** The window in which an address's budget refills completely (default 60 s). */
  attemptWindowMs: number;
  /** Addresses remembered at most; the stalest are forgotten first (default 10 000). */
  maxTrackedAddresses: number;
}

/** Production defaults. */
export const DEFAULT_OFFER_LIMITS: OfferLimits = {
  maxPendingPerAddress: 4,
  maxPending: 32,
  attemptsPerAddress: 20,
  attemptWindowMs: 60_000,
  maxTrackedAddresses: 10_000,
};

/** Why a connection was not admitted. */
export type Rejection = 'rate-limited' | 'address-busy' | 'listener-busy';

interface Bucket {
  tokens: number;
  updated: number;
  pending: number;
}

/** Tracks attempts and pending handshakes per address. */
export class AdmissionControl {
  private readonly buckets = new Map<string, Bucket>();
  private pendingTotal = 0;

  constructor(
    readonly limits: OfferLimits,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Handshakes running now. */
  get pending(): number {
    return this.pendingTotal;
  }

  /** Admits a connection from `ip` (counting it as pending) or says why not. */
  admit(ip: string): Rejection | null {
    const key = addressKey(ip);
    const b = this.bucket(key);
    if (b.tokens < 1) return 'rate-limited';
    b.tokens -= 1; // even a refused-as-busy connection spends a token: retrying in a loop must not pay off
    if (b.pending >= this.limits.maxPendingPerAddress) return 'address-busy';
    if (this.pendingTotal >= this.limits.maxPending) return 'listener-busy';
    b.pending++;
    this.pendingTotal++;
    return null;
  }

  /** A handshake admitted for `ip` ended (either way). */
  release(ip: string): void {
    const b = this.buckets.get(addressKey(ip));
    if (b && b.pending > 0) b.pending--;
    if (this.pendingTotal > 0) this.pendingTotal--;
  }

  private bucket(key: string): Bucket {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.limits.maxTrackedAddresses) this.evict();
      b = { tokens: this.limits.attemptsPerAddress, updated: t, pending: 0 };
      this.buckets.set(key, b);
    } else {
      const rate = this.limits.attemptsPerAddress / this.limits.attemptWindowMs;
      b.tokens = Math.min(this.limits.attemptsPerAddress, b.tokens + (t - b.updated) * rate);
      b.updated = t;
      // Map order is insertion order: re-insert so the stalest entries stay at the front.
      this.buckets.delete(key);
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Forgets the stalest idle address (full buckets first would be nicer; this is bounded and O(1) amortised). */
  private evict(): void {
    for (const [k, b] of this.buckets) {
      if (b.pending === 0) {
        this.buckets.delete(k);
        return;
      }
    }
  }
}

/** IPv4 as is; IPv6 by its /64 prefix; IPv4-mapped IPv6 as the IPv4 address. */
export function addressKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const groups = expandIpv6(ip.split('%')[0]!);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : ip;
}

function expandIpv6(ip: string): string[] | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return null;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  return all.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? all.map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')) : null;
}
