import { describe, expect, it } from 'vitest';
import { RespError, RespParser, RespProtocolError, encodeCommand, type RespValue } from './resp-parser';

function parseAll(chunks: Buffer[]): RespValue[] {
  const p = new RespParser();
  const out: RespValue[] = [];
  for (const c of chunks) {
    p.push(c);
    for (let r = p.next(); r; r = p.next()) out.push(r.value);
  }
  return out;
}

const wire = Buffer.concat([
  Buffer.from('+OK\r\n-ERR wrong type\r\n:42\r\n:-7\r\n$-1\r\n*-1\r\n$0\r\n\r\n'),
  Buffer.from('$5\r\na\r\nb\x00\r\n'),
  Buffer.from('*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n*2\r\n:1\r\n$1\r\nz\r\n'),
]);

function check(values: RespValue[]) {
  expect(values).toHaveLength(9);
  expect(values[0]).toBe('OK');
  expect(values[1]).toBeInstanceOf(RespError);
  expect((values[1] as RespError).message).toBe('ERR wrong type');
  expect(values.slice(2, 6)).toEqual([42, -7, null, null]);
  expect(values[6]).toEqual(Buffer.alloc(0));
  expect(values[7]).toEqual(Buffer.from('a\r\nb\x00')); // binary-safe: CRLF and NUL inside
  expect(values[8]).toEqual([Buffer.from('message'), Buffer.from('ch'), [1, Buffer.from('z')]]);
}

describe('RESP2 parser', () => {
  it('parses every reply type in one chunk', () => {
    check(parseAll([wire]));
  });

  it('parses the same replies delivered one byte at a time', () => {
    check(parseAll([...wire].map((b) => Buffer.from([b]))));
  });

  it('assembles a 4 MiB bulk string from 64 KiB chunks without losing or reordering bytes', () => {
    const body = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31) & 0xff;
    const all = Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from('\r\n+after\r\n')]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < all.length; i += 65536) chunks.push(all.subarray(i, i + 65536));
    const values = parseAll(chunks);
    expect(values).toHaveLength(2);
    expect((values[0] as Buffer).equals(body)).toBe(true);
    expect(values[1]).toBe('after');
  });

  it('rejects bytes that are not RESP', () => {
    for (const bad of ['?what\r\n', ':12x\r\n', '$3\r\nabcXY', '*99999999\r\n', '\r\n']) {
      const p = new RespParser();
      p.push(Buffer.from(bad));
      expect(() => p.next(), bad).toThrow(RespProtocolError);
    }
  });

  it('encodes commands as arrays of bulk strings (binary and numbers included)', () => {
    expect(encodeCommand(['SET', 'k', Buffer.from([0, 13, 10]), 5]).toString('latin1')).toBe('*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n\x00\r\n\r\n$1\r\n5\r\n');
  });
});
