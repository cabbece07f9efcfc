/**
 * The messages relay instances exchange on a pair end's Redis channel: a type byte, then the body.
 * Only relay instances publish there (channel names hold 128-bit random tokens, and Redis is on a
 * private network), so the format is minimal; unknown types are logged and ignored.
 */

/** Bytes from the other end's client. */
export const DATA = 1;
/** A joiner announces itself to the host; body: the joiner's token. */
export const JOIN = 2;
/** The other end left or was closed; body: uint16 close code + UTF-8 reason. */
export const CLOSE = 3;
/** The other end wrote this many bytes to its client; body: uint32. */
export const ACK = 4;

/** A message of `type` with `body`. */
export function frame(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(1 + body.length);
  out[0] = type;
  body.copy(out, 1);
  return out;
}

/** A CLOSE message (reason cut to 120 characters, as WebSocket close reasons must be short). */
export function closeFrame(code: number, reason: string): Buffer {
  const r = Buffer.from(reason.slice(0, 120), 'utf8');
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code, 0);
  r.copy(b, 2);
  return frame(CLOSE, b);
}
