import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFETIME_MINUTES, resolveLifetime } from './expiry';
import { MAX_LIFETIME_MINUTES } from './ticket-limits';

describe('resolveLifetime', () => {
  it.each([
    [undefined, 1440, { minutes: 360, capped: false }],
    [undefined, 120, { minutes: 120, capped: true }],
    [30, 120, { minutes: 30, capped: false }],
    [120, 120, { minutes: 120, capped: false }],
    [121, 120, { minutes: 120, capped: true }],
    [0, 120, { minutes: 1, capped: false }],
    [-50, 120, { minutes: 1, capped: false }],
    [59.6, 120, { minutes: 60, capped: false }],
    [10, 0, { minutes: 1, capped: true }],
    [99_999_999, Infinity, { minutes: MAX_LIFETIME_MINUTES, capped: true }],
    [60, NaN, { minutes: 60, capped: false }],
  ])('requested %s, max %s → %j', (requested, max, expected) => {
    expect(resolveLifetime(requested, max)).toEqual(expected);
  });
  it('defaults to 6 hours', () => {
    expect(DEFAULT_LIFETIME_MINUTES).toBe(360);
  });
  it('refuses a non-number request', () => {
    expect(() => resolveLifetime(NaN, 60)).toThrow(/number of minutes/);
    expect(() => resolveLifetime(Infinity, 60)).toThrow(/number of minutes/);
  });
});
