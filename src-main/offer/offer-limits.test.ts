import { describe, expect, it } from 'vitest';
import { AdmissionControl, DEFAULT_OFFER_LIMITS, addressKey } from './offer-limits';

function control(over: Partial<typeof DEFAULT_OFFER_LIMITS> = {}) {
  let t = 0;
  const c = new AdmissionControl({ ...DEFAULT_OFFER_LIMITS, ...over }, () => t);
  return { c, advance: (ms: number) => (t += ms) };
}

describe('offer admission control', () => {
  it('caps concurrent handshakes per address and in total', () => {
    const { c } = control({ maxPendingPerAddress: 2, maxPending: 3 });
    expect([c.admit('10.0.0.1'), c.admit('10.0.0.1'), c.admit('10.0.0.1')]).toEqual([null, null, 'address-busy']);
    expect([c.admit('10.0.0.2'), c.admit('10.0.0.3')]).toEqual([null, 'listener-busy']);
    expect(c.pending).toBe(3);
    c.release('10.0.0.1');
    expect(c.admit('10.0.0.3')).toBeNull();
  });

  it('spends a token per attempt (busy ones too) and refills over the window', () => {
    const { c, advance } = control({ attemptsPerAddress: 3, attemptWindowMs: 60_000, maxPendingPerAddress: 1 });
    expect([c.admit('10.0.0.1'), c.admit('10.0.0.1'), c.admit('10.0.0.1'), c.admit('10.0.0.1')]).toEqual([null, 'address-busy', 'address-busy', 'rate-limited']);
    c.release('10.0.0.1');
    advance(19_999);
    expect(c.admit('10.0.0.1')).toBe('rate-limited');
    advance(2);
    expect(c.admit('10.0.0.1')).toBeNull();
  });

  it('counts IPv6 per /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    const { c } = control({ attemptsPerAddress: 1 });
    expect(c.admit('2001:db8:1:2::a')).toBeNull();
    expect(c.admit('2001:db8:1:2::b')).toBe('rate-limited');
  });

  it('forgets the stalest idle addresses beyond its bound', () => {
    const { c } = control({ maxTrackedAddresses: 2, attemptsPerAddress: 1 });
    c.admit('10.0.0.1');
    c.release('10.0.0.1');
    c.admit('10.0.0.2');
    c.release('10.0.0.2');
    c.admit('10.0.0.3'); // evicts 10.0.0.1
    expect(c.admit('10.0.0.1')).toBeNull();
    expect(c.admit('10.0.0.3')).toBe('rate-limited');
  });
});
