/**
 * The record layer: how every byte after the handshake is framed and sealed.
 *
 *   frame     = length (uint32 BE, of what follows) | AES-256-GCM ciphertext | 16-byte tag
 *   plaintext = channel id (1 byte) | header length (uint32 BE) | header (JSON, UTF-8) | body bytes
 *
 * The 96-bit nonce is a per-direction 4-byte prefix from the key schedule followed by a 64-bit
 * counter that both sides keep and that is never sent. The length header is the AAD. Hence a
 * replayed, reordered, dropped, truncated or altered frame fails authentication: the receiver's
 * counter, or the length it authenticates, no longer matches what the sender sealed.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { LinkProtocolError } from './link-errors';

/** Largest frame (ciphertext + tag, without the 4 length bytes) accepted by default: 1 MiB of payload plus slack. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024 + 64;
/** Largest JSON header in a frame. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Channel id 0 carries the link's own messages (ready, ping, pong, close); the app channels start at 1. */
export const LINK_CHANNEL_ID = 0;

const LENGTH_BYTES = 4;
const TAG_BYTES = 16;
const PREFIX_BYTES = 5;
const MIN_FRAME_BYTES = PREFIX_BYTES + TAG_BYTES;
/** Plaintexts smaller than this are assembled in one buffer (one cipher call); larger bodies are sealed in place. */
const SMALL_PLAINTEXT_BYTES = 16 * 1024;
/**
 * Per-direction usage limit of one key. AES-GCM's confidentiality bound degrades with the amount
 * of data under one key (TLS 1.3 stops at about 2^38 bytes); a session that reaches it must reconnect.
 */
const MAX_BYTES_PER_KEY = 2 ** 38;

/** One direction's traffic key: the AES-256 key and the fixed 4-byte nonce prefix. */
export interface DirectionKey {
  key: Uint8Array;
  noncePrefix: Uint8Array;
}

/** A frame after authentication and decryption. `body` is undefined when the sender sent no bytes. */
export interface OpenedFrame {
  channelId: number;
  header: Buffer;
  body: Buffer | undefined;
}

/** Frame-size options shared by both directions. */
export interface RecordLayerOptions {
  maxFrameBytes?: number;
}

/** Counts frames and derives the nonce for each; shared by the sealer and the opener. */
class NonceSequence {
  private counter = 0;
  private bytes = 0;
  private readonly nonce = Buffer.alloc(12);
  constructor(prefix: Uint8Array) {
    if (prefix.length !== 4) throw new RangeError('the nonce prefix must be 4 bytes');
    this.nonce.set(prefix, 0);
  }

  /** The nonce for the next frame; charges `frameBytes` against the key's usage limit. */
  next(frameBytes: number): Buffer {
    this.bytes += frameBytes;
    if (this.bytes > MAX_BYTES_PER_KEY || this.counter >= Number.MAX_SAFE_INTEGER) {
      throw new LinkProtocolError('protocol-error', 'This connection has carried the maximum amount of data for one key; reconnect to continue.');
    }
    const c = this.counter++;
    this.nonce.writeUInt32BE(Math.floor(c / 2 ** 32), 4);
    this.nonce.writeUInt32BE(c >>> 0, 8);
    return this.nonce;
  }
}

function checkKey(k: DirectionKey): Buffer {
  if (k.key.length !== 32) throw new RangeError('the traffic key must be 32 bytes');
  return Buffer.from(k.key);
}

/** Seals outgoing frames for one direction. Not thread-safe by design: one sealer per socket. */
export class FrameSealer {
  private readonly key: Buffer;
  private readonly nonces: NonceSequence;
  readonly maxFrameBytes: number;

  constructor(key: DirectionKey, opts: RecordLayerOptions = {}) {
    this.key = checkKey(key);
    this.nonces = new NonceSequence(key.noncePrefix);
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** The largest body that fits in one frame with a header of `headerBytes` bytes. */
  maxBodyBytes(headerBytes: number): number {
    return this.maxFrameBytes - TAG_BYTES - PREFIX_BYTES - headerBytes;
  }

  /**
   * Seals one message and returns the pieces to write in order (length, ciphertext…, tag), so a
   * large body is encrypted straight from the caller's buffer without first being copied.
   * Throws RangeError for a message that does not fit in a frame (a bug in the caller).
   */
  seal(channelId: number, header: Uint8Array, body?: Uint8Array): Buffer[] {
    if (!Number.isInteger(channelId) || channelId < 0 || channelId > 255) throw new RangeError('bad channel id');
    if (header.length > MAX_HEADER_BYTES) throw new RangeError(`a frame header may be at most ${MAX_HEADER_BYTES} bytes`);
    const bodyBytes = body?.byteLength ?? 0;
    const plainBytes = PREFIX_BYTES + header.length + bodyBytes;
    const frameBytes = plainBytes + TAG_BYTES;
    if (frameBytes > this.maxFrameBytes) throw new RangeError(`a frame may carry at most ${this.maxBodyBytes(header.length)} body bytes here`);

    const length = Buffer.allocUnsafe(LENGTH_BYTES);
    length.writeUInt32BE(frameBytes, 0);
    const cipher = createCipheriv('aes-256-gcm', this.key, this.nonces.next(frameBytes), { authTagLength: TAG_BYTES });
    cipher.setAAD(length);
    const pieces: Buffer[] = [length];
    if (plainBytes <= SMALL_PLAINTEXT_BYTES) {
      const plain = Buffer.allocUnsafe(plainBytes);
      writePrefix(plain, channelId, header.length);
      plain.set(header, PREFIX_BYTES);
      if (body) plain.set(body, PREFIX_BYTES + header.length);
      pieces.push(cipher.update(plain));
    } else {
      const prefix = Buffer.allocUnsafe(PREFIX_BYTES + header.length);
      writePrefix(prefix, channelId, header.length);
      prefix.set(header, PREFIX_BYTES);
      pieces.push(cipher.update(prefix));
      if (body) pieces.push(cipher.update(body));
    }
    const rest = cipher.final();
    if (rest.length > 0) pieces.push(rest);
    pieces.push(cipher.getAuthTag());
    return pieces;
  }
}

function writePrefix(buf: Buffer, channelId: number, headerBytes: number): void {
  buf[0] = channelId;
  buf.writeUInt32BE(headerBytes, 1);
}

/**
 * Reassembles and opens incoming frames for one direction. Feed it bytes with `push`, then call
 * `next` until it returns null. Every rejection is a LinkProtocolError; after one, discard it.
 */
export class FrameOpener {
  private readonly key: Buffer;
  private readonly nonces: NonceSequence;
  private readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  private head = 0;
  private buffered = 0;
  /** Length of the frame being assembled, or -1 while its length header is still incomplete. */
  private pending = -1;
  private pendingLength: Buffer | null = null;
  private failed = false;
  /**
   * Reused assembly buffer for frames that span several network reads. Ciphertext is dead once
   * opened (the plaintext is a fresh buffer), so reusing it saves an allocation per large frame —
   * and the garbage collection that comes with it on the file-transfer hot path.
   */
  private scratch: Buffer = Buffer.alloc(0);

  constructor(key: DirectionKey, opts: RecordLayerOptions = {}) {
    this.key = checkKey(key);
    this.nonces = new NonceSequence(key.noncePrefix);
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes received but not yet opened. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** True when a frame is partly received (so an end of stream here cuts a frame in half). */
  get midFrame(): boolean {
    return this.buffered > 0 || this.pending >= 0;
  }

  /** Adds received bytes. Checks a new frame's length at once, so a claimed 1 GiB frame is refused before any of it is buffered. */
  push(chunk: Buffer): void {
    if (this.failed) throw new LinkProtocolError('protocol-error', 'the frame decoder has already failed');
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.readLength();
  }

  /** The next complete frame, or null when more bytes are needed. */
  next(): OpenedFrame | null {
    if (this.failed) throw new LinkProtocolError('protocol-error', 'the frame decoder has already failed');
    try {
      this.readLength();
      if (this.pending < 0 || this.buffered < this.pending) return null;
      const frame = this.take(this.pending);
      const length = this.pendingLength!;
      this.pending = -1;
      this.pendingLength = null;
      // The next frame's length is checked by the following call (or push), so this frame is not lost.
      return this.open(length, frame);
    } catch (e) {
      this.failed = true;
      throw e;
    }
  }

  private readLength(): void {
    if (this.pending >= 0 || this.buffered < LENGTH_BYTES) return;
    const n = this.take(LENGTH_BYTES).readUInt32BE(0);
    if (n > this.maxFrameBytes) {
      this.failed = true;
      throw new LinkProtocolError('oversized', `The peer announced a ${n}-byte frame; the limit is ${this.maxFrameBytes}.`);
    }
    if (n < MIN_FRAME_BYTES) {
      this.failed = true;
      throw new LinkProtocolError('tampered', `The peer sent a ${n}-byte frame, too short to be authentic.`);
    }
    this.pending = n;
    this.pendingLength = Buffer.allocUnsafe(LENGTH_BYTES);
    this.pendingLength.writeUInt32BE(n, 0);
  }

  private open(length: Buffer, frame: Buffer): OpenedFrame {
    const cipherBytes = frame.length - TAG_BYTES;
    const decipher = createDecipheriv('aes-256-gcm', this.key, this.nonces.next(frame.length), { authTagLength: TAG_BYTES });
    decipher.setAAD(length);
    decipher.setAuthTag(frame.subarray(cipherBytes));
    // update() hands out plaintext before the tag is checked; nothing reads it unless final() succeeds.
    const plain = decipher.update(frame.subarray(0, cipherBytes));
    try {
      decipher.final();
    } catch {
      throw new LinkProtocolError('tampered', 'A frame failed authentication (altered, replayed, reordered or truncated).');
    }
    const headerBytes = plain.readUInt32BE(1);
    if (headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes > plain.length) {
      throw new LinkProtocolError('protocol-error', 'A frame has an impossible header length.');
    }
    const bodyStart = PREFIX_BYTES + headerBytes;
    return {
      channelId: plain[0]!,
      header: plain.subarray(PREFIX_BYTES, bodyStart),
      body: bodyStart < plain.length ? plain.subarray(bodyStart) : undefined,
    };
  }

  /**
   * Removes and returns the first `n` buffered bytes, copying (into the scratch buffer) only when
   * they span chunks. The result is only valid until the next call.
   */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    const avail = first.length - this.head;
    let out: Buffer;
    if (avail >= n) {
      out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
    } else {
      if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, Math.min(2 * this.scratch.length, this.maxFrameBytes)));
      out = this.scratch.subarray(0, n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0]!;
        const take = Math.min(c.length - this.head, n - filled);
        c.copy(out, filled, this.head, this.head + take);
        filled += take;
        this.head += take;
        if (this.head === c.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    this.buffered -= n;
    return out;
  }
}
