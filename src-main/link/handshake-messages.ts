/**
 * The plaintext handshake messages and their framing: a 4-byte big-endian length, then at most
 * 4 KiB of UTF-8 JSON. Everything here is attacker-controlled input, so it is size-bounded before
 * parsing, schema-validated strictly (unknown fields are errors), and binary fields must be
 * canonical base64 of the exact length. Every rejection is a HandshakeError('protocol-error').
 */
import { z } from 'zod';
import { HandshakeError } from './link-errors';

/** Protocol name and version, spoken in `hello` and bound into the PAKE. */
export const PROTOCOL = 'remote-assist/1';
/** Largest handshake message body. */
export const MAX_HANDSHAKE_MESSAGE_BYTES = 4096;
/** Nonces and CPace shares are 32 bytes; confirmations are HMAC-SHA512 tags. */
export const NONCE_BYTES = 32;
export const SHARE_BYTES = 32;
export const CONFIRM_BYTES = 64;

const LENGTH_BYTES = 4;
/** Bytes the decoder holds at most: one message plus one network read of slack. */
const MAX_BUFFERED = LENGTH_BYTES + MAX_HANDSHAKE_MESSAGE_BYTES + 64 * 1024;

/** True when `s` is the canonical standard base64 encoding of exactly `bytes` bytes. */
export function isCanonicalBase64(s: string, bytes: number): boolean {
  if (s.length !== 4 * Math.ceil(bytes / 3)) return false;
  const b = Buffer.from(s, 'base64');
  return b.length === bytes && b.toString('base64') === s;
}

const b64 = (bytes: number) => z.string().refine((s) => isCanonicalBase64(s, bytes), `must be ${bytes} bytes of canonical base64`);

/**
 * A person's or computer's display name as the other side will show it (consent prompt, audit log).
 * Control and bidirectional-override characters are refused: they could make a name look like
 * another one ("Helpdesk" rendered from reversed text) in the very prompt that asks for consent.
 */
export const DisplayName = z
  .string()
  .min(1)
  .max(64)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/.test(s), 'contains control or invisible characters')
  .refine((s) => s.trim() === s && s.length > 0, 'must not start or end with spaces');

/** Invitation ids are random tokens (≥ 128 bits) in URL-safe characters. */
export const InvitationId = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'is not a valid invitation id');

/** H→R: the helper's opening, with its CPace share Ya. */
export const HelloMessage = z
  .object({
    type: z.literal('hello'),
    proto: z.string().max(64),
    invitationId: InvitationId,
    helperName: DisplayName,
    nonceA: b64(NONCE_BYTES),
    ya: b64(SHARE_BYTES),
  })
  .strict();

/** R→H: the requester's share Yb and its key confirmation. */
export const ShareMessage = z
  .object({
    type: z.literal('share'),
    requesterName: DisplayName,
    nonceB: b64(NONCE_BYTES),
    yb: b64(SHARE_BYTES),
    /** What remains of the invitation's budget if this attempt turns out to be wrong. */
    attemptsLeft: z.number().int().min(0).max(1000),
    confirmB: b64(CONFIRM_BYTES),
  })
  .strict();

/** H→R: the helper's key confirmation. */
export const ConfirmMessage = z.object({ type: z.literal('confirm'), confirmA: b64(CONFIRM_BYTES) }).strict();

/** R→H: no link for you, and why. */
export const RefuseMessage = z
  .object({
    type: z.literal('refuse'),
    reason: z.enum(['unknown-invitation', 'expired', 'locked', 'used', 'busy', 'cancelled', 'incompatible']),
    message: z.string().max(500),
    expiresAt: z.number().int().nonnegative().optional(),
  })
  .strict();

/** Any handshake message. */
export const HandshakeMessage = z.discriminatedUnion('type', [HelloMessage, ShareMessage, ConfirmMessage, RefuseMessage]);
export type HandshakeMessage = z.infer<typeof HandshakeMessage>;
export type HelloMessage = z.infer<typeof HelloMessage>;
export type ShareMessage = z.infer<typeof ShareMessage>;

/** Frames one handshake message. Throws RangeError if it is too large (a bug: our own messages are small). */
export function encodeHandshakeMessage(msg: HandshakeMessage): Buffer {
  const json = Buffer.from(JSON.stringify(msg), 'utf8');
  if (json.length > MAX_HANDSHAKE_MESSAGE_BYTES) throw new RangeError('handshake message too large');
  const out = Buffer.allocUnsafe(LENGTH_BYTES + json.length);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, LENGTH_BYTES);
  return out;
}

/**
 * Reassembles handshake messages from a byte stream. Parses lazily (`next`), so bytes that follow
 * the last handshake message stay raw and can be handed to the record layer (`takeRemaining`).
 */
export class HandshakeDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds received bytes; refuses a peer that sends far more than a handshake needs. */
  push(chunk: Buffer): void {
    if (this.buf.length + chunk.length > MAX_BUFFERED) {
      throw new HandshakeError('protocol-error', 'The peer sent more data than a handshake allows.');
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.checkLength();
  }

  /** The next complete message, or null when more bytes are needed. */
  next(): HandshakeMessage | null {
    if (this.buf.length < LENGTH_BYTES) return null;
    const n = this.checkLength();
    if (this.buf.length < LENGTH_BYTES + n) return null;
    const body = this.buf.subarray(LENGTH_BYTES, LENGTH_BYTES + n);
    this.buf = this.buf.subarray(LENGTH_BYTES + n);
    return parseHandshakeMessage(body);
  }

  /** Bytes received after the last message returned by `next`. */
  takeRemaining(): Buffer {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  /** Validates the announced length as soon as its 4 bytes are here (so garbage fails fast). */
  private checkLength(): number {
    if (this.buf.length < LENGTH_BYTES) return 0;
    const n = this.buf.readUInt32BE(0);
    if (n === 0 || n > MAX_HANDSHAKE_MESSAGE_BYTES) {
      throw new HandshakeError('protocol-error', `Not a Remote Assist handshake (a message of ${n} bytes was announced; the limit is ${MAX_HANDSHAKE_MESSAGE_BYTES}).`);
    }
    if (this.buf.length > LENGTH_BYTES && this.buf[LENGTH_BYTES] !== 0x7b /* '{' */) {
      throw new HandshakeError('protocol-error', 'Not a Remote Assist handshake (the message is not a JSON object).');
    }
    return n;
  }
}

/** Parses and validates one message body. */
export function parseHandshakeMessage(body: Buffer): HandshakeMessage {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new HandshakeError('protocol-error', 'Not a Remote Assist handshake (the message is not valid UTF-8 JSON).');
  }
  const parsed = HandshakeMessage.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
      .join('; ');
    throw new HandshakeError('protocol-error', `Malformed handshake message (${where}).`);
  }
  return parsed.data;
}

/** Decodes a base64 field that the schema has already checked. */
export function b64bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** Encodes bytes for a base64 field. */
export function toB64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}
