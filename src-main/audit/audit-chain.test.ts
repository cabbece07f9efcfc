import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, dayStamp, fileStamp, formatLocalIso, formatOffset } from './audit-chain';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace (RFC 8785 for log values)', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: -0.5 } })).toBe('{"a":{"c":-0.5,"d":[true,null,"x"]},"b":1}');
    // UTF-16 code unit order: "Z" < "a" < "é" < "😀".
    expect(canonicalJson({ '😀': 1, é: 2, a: 3, Z: 4 })).toBe('{"Z":4,"a":3,"é":2,"😀":1}');
    expect(canonicalJson({ s: 'line\n"q"\u0000\ud800' })).toBe('{"s":"line\\n\\"q\\"\\u0000\\ud800"}');
  });

  it('does not depend on key order, and survives a JSON round trip', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(o));
        expect(canonicalJson(JSON.parse(JSON.stringify(o)))).toBe(canonicalJson(o));
      }),
      { numRuns: 200 },
    );
  });

  it('chainHash is SHA-256 over previous hash + canonical JSON', () => {
    const expected = createHash('sha256').update('ab' + '{"a":1,"b":2}').digest('hex');
    expect(chainHash('ab', { b: 2, a: 1 })).toBe(expected);
  });
});

describe('local time formatting', () => {
  const at = new Date(Date.UTC(2026, 10, 25, 13, 3, 7, 123));
  it.each([
    [60, '2026-11-25T14:03:07.123+01:00', '20261125140307'],
    [0, '2026-11-25T13:03:07.123+00:00', '20261125130307'],
    [330, '2026-11-25T18:33:07.123+05:30', '20261125183307'],
    [-210, '2026-11-25T09:33:07.123-03:30', '20261125093307'],
    [-840, '2026-11-24T23:03:07.123-14:00', '20261124230307'],
  ])('offset %i min → %s', (offset, iso, stamp) => {
    expect(formatLocalIso(at, offset)).toBe(iso);
    expect(Date.parse(iso)).toBe(at.getTime());
    expect(fileStamp(at, offset)).toBe(stamp);
    expect(dayStamp(at, offset)).toBe(stamp.slice(0, 8));
  });

  it('formats offsets', () => {
    expect([formatOffset(0), formatOffset(-30), formatOffset(765)]).toEqual(['+00:00', '-00:30', '+12:45']);
  });
});
