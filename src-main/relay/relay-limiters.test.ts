import { describe, expect, it } from 'vitest';
import { ByteRateLimiter } from './byte-rate-limiter';
import { clientIp } from './client-ip';
import { IpLimiter } from './ip-limiter';
import { CreditWindow } from './pairing-store';

describe('per-address limits', () => {
  it('counts concurrent connections per address and frees them', () => {
    const l = new IpLimiter(2, 10);
    expect([l.acquireConnection('a'), l.acquireConnection('a'), l.acquireConnection('a'), l.acquireConnection('b')]).toEqual([true, true, false, true]);
    l.releaseConnection('a');
    expect(l.acquireConnection('a')).toBe(true);
    expect(l.addresses).toBe(2);
  });

  it('allows N new pairings per rolling minute', () => {
    let now = 0;
    const l = new IpLimiter(10, 3, () => now);
    expect([1, 2, 3, 4].map(() => l.takePairing('a'))).toEqual([true, true, true, false]);
    expect(l.takePairing('b')).toBe(true);
    now = 59_999;
    expect(l.takePairing('a')).toBe(false);
    now = 60_000;
    expect(l.takePairing('a')).toBe(true);
    now = 200_000;
    l.sweep();
    expect(l.takePairing('a')).toBe(true);
  });
});

describe('byte rate', () => {
  it('allows a one-second burst, then asks for pauses that pay the debt back', () => {
    let now = 0;
    const r = new ByteRateLimiter(1000, 1000, () => now);
    expect(r.take(1000)).toBe(0);
    expect(r.take(500)).toBe(500); // 500 bytes in debt at 1000 B/s
    now = 500;
    expect(r.take(0)).toBe(0);
    now = 10_000;
    expect(r.take(1000)).toBe(0); // refilled, but never beyond the burst
    expect(r.take(1)).toBe(1);
  });
});

describe('flow-control window', () => {
  it('blocks at the window and drains below half of it', () => {
    const drains: number[] = [];
    const w = new CreditWindow(100, () => drains.push(1));
    expect(w.sent(60)).toBe(true);
    expect(w.sent(40)).toBe(false);
    w.credit(40);
    expect(drains).toEqual([]);
    w.credit(20);
    expect(drains).toEqual([1]);
    expect(w.sent(10)).toBe(true);
  });
});

describe('client address behind a proxy', () => {
  const trusted = new Set(['127.0.0.1', '10.0.0.2']);
  it('uses X-Forwarded-For only from trusted proxies, right-most untrusted hop first', () => {
    expect(clientIp('::ffff:203.0.113.9', '1.2.3.4', trusted)).toBe('203.0.113.9'); // not a proxy: header ignored
    expect(clientIp('127.0.0.1', '6.6.6.6, 198.51.100.7', trusted)).toBe('198.51.100.7'); // the client wrote 6.6.6.6
    expect(clientIp('127.0.0.1', ['198.51.100.7, 10.0.0.2'], trusted)).toBe('198.51.100.7'); // two proxies
    expect(clientIp('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
  });
});
