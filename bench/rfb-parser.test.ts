import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RfbParser, type RfbHandlers, type ServerInit } from './rfb-parser';
import { rfbClientMessages } from './rfb-messages';
import { tsCode } from './ts-code';

// Bytes x11vnc 0.9.16 sent to the bench's client on a 48×40 Xvfb display with the timestamp code
// for 1234 drawn at (0,0): greeting, security, ServerInit and one full raw update (recorded by
// bench/tools/record-rfb-fixture.ts).
const recorded = Buffer.from(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/x11vnc-48x40-raw.b64'), 'utf8'), 'base64');

function record(chunks: Iterable<Uint8Array>) {
  const seen: { version?: string; types?: number[]; ok?: boolean; init?: ServerInit; updates: { rects: number; bytes: number; regionTouched: boolean }[]; error?: Error } = { updates: [] };
  const handlers: RfbHandlers = {
    version: (v) => (seen.version = v),
    securityTypes: (t) => (seen.types = t),
    securityResult: (ok) => (seen.ok = ok),
    serverInit: (i) => {
      seen.init = i;
      parser.setBitsPerPixel(32);
    },
    updateEnd: (u) => seen.updates.push(u),
    error: (e) => (seen.error = e),
  };
  const parser = new RfbParser(handlers);
  for (const c of chunks) parser.push(c);
  return { seen, parser };
}

function* slices(buf: Uint8Array, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('RfbParser', () => {
  it('parses a recorded x11vnc session and reads the timestamp code from the raw update', () => {
    const { seen, parser } = record([recorded]);
    expect(seen.error).toBeUndefined();
    expect(seen.version).toBe('RFB 003.008');
    expect(seen.types).toContain(1);
    expect(seen.ok).toBe(true);
    expect(seen.init).toMatchObject({ width: 48, height: 40 });
    expect(seen.init!.format.bitsPerPixel).toBe(32);
    expect(seen.updates).toHaveLength(1);
    expect(seen.updates[0]!.regionTouched).toBe(true);
    expect(seen.updates[0]!.bytes).toBeGreaterThanOrEqual(4 + 12 + 48 * 40 * 4);
    expect(tsCode.read(parser.regionPixels, 32, 32)).toBe(1234);
  });

  it('gives the same result when the bytes arrive one at a time or in odd slices', () => {
    for (const size of [1, 7, 1000]) {
      const { seen, parser } = record(slices(recorded, size));
      expect(seen.error).toBeUndefined();
      expect(seen.updates).toHaveLength(1);
      expect(tsCode.read(parser.regionPixels, 32, 32)).toBe(1234);
    }
  });

  it('copies only the part of a rectangle that overlaps the region, at the right place', () => {
    // After the handshake: one update with a 4×2 raw rectangle at (30,31): only its first two
    // columns of the first row fall inside the 32×32 region.
    const head = recorded.subarray(0, recorded.length - (4 + 12 + 48 * 40 * 4));
    const rect = Buffer.alloc(4 + 12 + 4 * 2 * 4);
    rect.writeUInt8(0, 0);
    rect.writeUInt16BE(1, 2);
    rect.writeUInt16BE(30, 4);
    rect.writeUInt16BE(31, 6);
    rect.writeUInt16BE(4, 8);
    rect.writeUInt16BE(2, 10);
    rect.writeInt32BE(0, 12);
    for (let i = 0; i < 8; i++) rect.writeUInt32LE(0x00010101 * (i + 1), 16 + i * 4);
    const { seen, parser } = record([head, rect]);
    expect(seen.updates).toEqual([{ rects: 1, bytes: rect.length, regionTouched: true }]);
    const at = (x: number, y: number) => parser.regionPixels[(y * 32 + x) * 4];
    expect([at(30, 31), at(31, 31)]).toEqual([1, 2]);
  });

  it('reports a server that refuses the connection, and a foreign greeting', () => {
    const refusal = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([0, 0, 0, 0, 4]), Buffer.from('busy')]);
    expect(record([refusal]).seen.error?.message).toMatch(/refused the connection: busy/);
    expect(record([Buffer.from('SSH-2.0-OpenSSH_9\r\n')]).seen.error?.message).toMatch(/not an RFB server/);
  });

  it('refuses encodings it did not offer instead of misreading the stream', () => {
    const head = recorded.subarray(0, recorded.length - (4 + 12 + 48 * 40 * 4));
    const zrle = Buffer.alloc(16);
    zrle.writeUInt16BE(1, 2);
    zrle.writeUInt16BE(8, 8);
    zrle.writeUInt16BE(8, 10);
    zrle.writeInt32BE(16, 12);
    expect(record([head, zrle]).seen.error?.message).toMatch(/unexpected encoding 16/);
  });
});

describe('rfbClientMessages', () => {
  it('encodes an incremental update request as RFC 6143 §7.5.3 lays it out', () => {
    expect([...rfbClientMessages.updateRequest(true, 1, 2, 1280, 800)]).toEqual([3, 1, 0, 1, 0, 2, 5, 0, 3, 32]);
  });
});
