/**
 * Incremental RESP2 reply parser (the Redis wire format): simple strings, errors, integers, bulk
 * strings (binary-safe, kept as Buffers because relayed ciphertext travels in them) and arrays.
 *
 * Large bulk strings arrive in many TCP chunks. Re-parsing from the start on every chunk would be
 * quadratic, so the parser remembers how many bytes the unfinished reply needs at least and only
 * joins the chunks (one copy) once they are all there.
 */

/** One RESP2 value. A null bulk string or null array is `null`; an error reply is a RespError. */
export type RespValue = string | number | Buffer | null | RespError | RespValue[];

/** An error reply from the server (`-ERR …`). Returned as a value inside arrays, thrown for commands. */
export class RespError extends Error {
  override readonly name = 'RespError';
}

/** The server sent bytes that are not RESP2: the connection cannot be trusted any more. */
export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

/** Longest line (type byte + header) accepted; real headers are a few bytes. */
const MAX_LINE = 64 * 1024;
/** Largest bulk string accepted (Redis' own default limit, proto-max-bulk-len). */
const MAX_BULK = 512 * 1024 * 1024;
const MAX_DEPTH = 16;

const INCOMPLETE = Symbol('incomplete');

/** Feeds chunks in, takes complete replies out, in order. */
export class RespParser {
  private chunks: Buffer[] = [];
  private total = 0;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Where the reply being parsed starts in `buf` (parsing restarts there when bytes are missing). */
  private replyStart = 0;
  /** Do not try to parse again before this many bytes (from `pos`) are buffered. */
  private need = 1;

  /** Adds received bytes. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The next complete reply, or undefined when more bytes are needed. Throws RespProtocolError on garbage. */
  next(): { value: RespValue } | undefined {
    if (this.available() < this.need) return undefined;
    this.compact();
    this.replyStart = this.pos;
    const value = this.parseValue(0);
    if (value === INCOMPLETE) {
      this.pos = this.replyStart;
      return undefined;
    }
    this.need = 1;
    return { value };
  }

  private available(): number {
    return this.buf.length - this.pos + this.total;
  }

  /** Joins the waiting chunks onto the unread rest of `buf` (one copy per completed reply, not per chunk). */
  private compact(): void {
    if (this.chunks.length === 0) return;
    const rest = this.buf.subarray(this.pos);
    this.buf = rest.length === 0 && this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat([rest, ...this.chunks], rest.length + this.total);
    this.pos = 0;
    this.chunks = [];
    this.total = 0;
  }

  private parseValue(depth: number): RespValue | typeof INCOMPLETE {
    if (depth > MAX_DEPTH) throw new RespProtocolError('RESP reply nested too deeply');
    const line = this.readLine();
    if (line === INCOMPLETE) return INCOMPLETE;
    const type = line[0];
    const rest = line.subarray(1).toString('latin1');
    switch (type) {
      case 0x2b: // '+'
        return rest;
      case 0x2d: // '-'
        return new RespError(rest);
      case 0x3a: // ':'
        return parseInteger(rest);
      case 0x24: {
        // '$' bulk string
        const len = parseInteger(rest);
        if (len === -1) return null;
        if (len < 0 || len > MAX_BULK) throw new RespProtocolError(`invalid bulk length ${len}`);
        if (this.buf.length - this.pos < len + 2) {
          this.need = this.pos + len + 2 - this.replyStart;
          return INCOMPLETE;
        }
        const data = this.buf.subarray(this.pos, this.pos + len);
        if (this.buf[this.pos + len] !== 0x0d || this.buf[this.pos + len + 1] !== 0x0a) throw new RespProtocolError('bulk string not terminated by CRLF');
        this.pos += len + 2;
        // A copy, so a 300-byte reply does not pin a 64 KiB read buffer (and later compaction cannot alias it).
        return Buffer.from(data);
      }
      case 0x2a: {
        // '*' array
        const n = parseInteger(rest);
        if (n === -1) return null;
        if (n < 0 || n > 1024 * 1024) throw new RespProtocolError(`invalid array length ${n}`);
        const out: RespValue[] = [];
        for (let i = 0; i < n; i++) {
          const v = this.parseValue(depth + 1);
          if (v === INCOMPLETE) return INCOMPLETE;
          out.push(v);
        }
        return out;
      }
      default:
        throw new RespProtocolError(`unexpected RESP type byte 0x${(type ?? 0).toString(16)}`);
    }
  }

  private readLine(): Buffer | typeof INCOMPLETE {
    const end = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (end === -1) {
      if (this.buf.length - this.pos > MAX_LINE) throw new RespProtocolError('RESP header line too long');
      this.need = this.buf.length - this.replyStart + 1;
      return INCOMPLETE;
    }
    if (end === this.pos) throw new RespProtocolError('empty RESP line');
    const line = this.buf.subarray(this.pos, end);
    this.pos = end + 2;
    return line;
  }
}

function parseInteger(s: string): number {
  if (!/^-?\d{1,18}$/.test(s)) throw new RespProtocolError('invalid RESP integer');
  return Number(s);
}

/** Encodes one command as a RESP2 array of bulk strings. */
export function encodeCommand(args: readonly (string | Buffer | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n', 'latin1');
