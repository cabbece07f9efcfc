import { describe, expect, it } from 'vitest';
import { LinkProtocolError } from './link-errors';
import { DEFAULT_MAX_FRAME_BYTES, FrameOpener, FrameSealer, MAX_HEADER_BYTES } from './record-layer';
import { randomDirectionKey } from './link-test-helpers';

const enc = (o: object) => Buffer.from(JSON.stringify(o));

function pair(opts: { maxFrameBytes?: number } = {}) {
  const key = randomDirectionKey();
  return { sealer: new FrameSealer(key, opts), opener: new FrameOpener(key, opts) };
}

function openAll(opener: FrameOpener, bytes: Buffer) {
  opener.push(bytes);
  const out = [];
  for (let f = opener.next(); f; f = opener.next()) out.push({ channelId: f.channelId, header: JSON.parse(f.header.toString()) as unknown, body: f.body ? [...f.body] : undefined });
  return out;
}

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof LinkProtocolError) return e.reason;
    throw e;
  }
  return 'no error';
}

describe('record layer frame codec', () => {
  it('round-trips small and large messages, with and without bodies, split at every byte', () => {
    const { sealer, opener } = pair();
    const big = Buffer.alloc(256 * 1024 + 7, 0xab);
    const frames = [
      Buffer.concat(sealer.seal(1, enc({ a: 1 }))),
      Buffer.concat(sealer.seal(3, enc({ id: 'f', seq: 0 }), big)),
      Buffer.concat(sealer.seal(2, enc({ text: 'é✓' }), new Uint8Array([9]))),
    ];
    const stream = Buffer.concat(frames);
    // Feed it in odd-sized pieces to exercise reassembly across chunk boundaries.
    const got: { channelId: number; header: unknown; bodyLen: number }[] = [];
    for (let i = 0; i < stream.length; ) {
      const n = 1 + ((i * 7919) % 70001);
      opener.push(stream.subarray(i, i + n));
      i += n;
      for (let f = opener.next(); f; f = opener.next()) got.push({ channelId: f.channelId, header: JSON.parse(f.header.toString()), bodyLen: f.body?.length ?? -1 });
    }
    expect(got).toEqual([
      { channelId: 1, header: { a: 1 }, bodyLen: -1 },
      { channelId: 3, header: { id: 'f', seq: 0 }, bodyLen: big.length },
      { channelId: 2, header: { text: 'é✓' }, bodyLen: 1 },
    ]);
    expect(opener.bufferedBytes).toBe(0);
  });

  it('the wire carries no plaintext and no nonce', () => {
    const { sealer } = pair();
    const wire = Buffer.concat(sealer.seal(1, enc({ secret: 'hunter2-plaintext' })));
    expect(wire.includes(Buffer.from('hunter2'))).toBe(false);
    expect(wire.length).toBe(4 + 5 + enc({ secret: 'hunter2-plaintext' }).length + 16);
  });

  it('a frame sealed under another key, or in the other direction, is tampered', () => {
    const a = pair();
    const b = pair();
    expect(reasonOf(() => openAll(b.opener, Buffer.concat(a.sealer.seal(1, enc({})))))).toBe('tampered');
  });

  it('replay, reorder, truncation and bit flips are all rejected (tampered; oversized for a huge length)', () => {
    // A small frame limit, so a flip in the high length bytes is caught as 'oversized' at once.
    const mk = () => pair({ maxFrameBytes: 100 });
    const check = (build: (s: FrameSealer) => Buffer) => {
      const { sealer, opener } = mk();
      return reasonOf(() => openAll(opener, build(sealer)));
    };
    const f = (s: FrameSealer, x: number) => Buffer.concat(s.seal(1, enc({ x })));
    expect(check((s) => { const a = f(s, 1); return Buffer.concat([a, a]); })).toBe('tampered');
    expect(check((s) => { const a = f(s, 1); const b = f(s, 2); return Buffer.concat([b, a]); })).toBe('tampered');
    for (let idx = 0; idx < 32; idx++) {
      // Every byte position (length, ciphertext, tag) of a 32-byte frame, followed by a good frame.
      const r = check((s) => {
        const a = Buffer.from(f(s, 1));
        expect(a.length).toBe(32);
        a[idx]! ^= 0x01;
        return Buffer.concat([a, f(s, 2)]);
      });
      expect(r).toBe(idx < 3 ? 'oversized' : 'tampered');
    }
    expect(check((s) => { const a = f(s, 1); const cut = Buffer.from(a.subarray(0, a.length - 3)); cut.writeUInt32BE(a.length - 7, 0); return Buffer.concat([cut, f(s, 2)]); })).toBe('tampered');
  });

  it("refuses an oversized length as soon as its 4 bytes arrive, before buffering any body ('oversized')", () => {
    const { opener } = pair();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(1024 ** 3, 0);
    opener.push(len.subarray(0, 3)); // incomplete header: nothing to judge yet
    expect(() => opener.push(len.subarray(3))).toThrow(LinkProtocolError);
    expect(opener.bufferedBytes).toBe(0);
    const small = pair({ maxFrameBytes: 1000 });
    const l2 = Buffer.alloc(4);
    l2.writeUInt32BE(1001, 0);
    expect(reasonOf(() => small.opener.push(l2))).toBe('oversized');
    l2.writeUInt32BE(1000, 0);
    expect(reasonOf(() => pair({ maxFrameBytes: 1000 }).opener.push(l2))).toBe('no error');
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(1024 * 1024 + 64);
  });

  it('refuses frames too short to carry a tag, and impossible header lengths', () => {
    const { opener } = pair();
    const l = Buffer.alloc(4);
    l.writeUInt32BE(10, 0);
    expect(reasonOf(() => opener.push(l))).toBe('tampered');
  });

  it('the sealer refuses messages that cannot fit (a caller bug), and a failed opener stays failed', () => {
    const { sealer, opener } = pair({ maxFrameBytes: 1000 });
    expect(() => sealer.seal(1, enc({}), new Uint8Array(1000))).toThrow(RangeError);
    expect(() => sealer.seal(1, Buffer.alloc(MAX_HEADER_BYTES + 1))).toThrow(RangeError);
    expect(() => sealer.seal(256, enc({}))).toThrow(RangeError);
    expect(sealer.maxBodyBytes(2)).toBe(1000 - 16 - 5 - 2);
    const l = Buffer.alloc(4);
    l.writeUInt32BE(5000, 0);
    expect(() => opener.push(l)).toThrow(LinkProtocolError);
    expect(() => opener.next()).toThrow(LinkProtocolError);
  });
});
