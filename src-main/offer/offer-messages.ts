/**
 * The plaintext messages of the offer handshake, framed like the invitation handshake
 * (uint32 BE length, ≤ 4 KiB of UTF-8 JSON, strict schemas, canonical base64 of exact lengths):
 *
 *   H→R offer-hello  {proto, helperName, helperKey, nonceH, eh}
 *   R→H offer-host   {computerName, hostKey, nonceR, er, sigR}      or offer-refuse
 *   H→R offer-auth   {sigH}
 *   R→H offer-accept {}                                              or offer-refuse
 *   then sealed frames (record-layer.ts), starting with the requester's "ready".
 *
 * Every field is attacker-controlled until the signatures verify; nothing here trusts a value.
 */
import { z } from 'zod';
import { DisplayName, MAX_HANDSHAKE_MESSAGE_BYTES, isCanonicalBase64 } from '../link/handshake-messages';
import { ED25519_PUBLIC_BYTES, ED25519_SIGNATURE_BYTES } from './ed25519-keys';
import { OfferHandshakeError } from './offer-errors';

/** Protocol name and version of offers, spoken in `offer-hello` and bound into the transcript. */
export const OFFER_PROTOCOL = 'remote-assist-offer/1';
/** Nonces and X25519 public keys are 32 bytes. */
export const OFFER_NONCE_BYTES = 32;
export const X25519_PUBLIC_BYTES = 32;

const b64 = (bytes: number) => z.string().refine((s) => isCanonicalBase64(s, bytes), `must be ${bytes} bytes of canonical base64`);

/** Why the requester turns a helper away. */
export const OfferRefusalReason = z.enum(['not-allowed', 'busy', 'offers-disabled', 'incompatible', 'bad-signature', 'rate-limited']);
export type OfferRefusalReason = z.infer<typeof OfferRefusalReason>;

/** H→R: the helper's opening. `helperKey` is only a claim until `offer-auth` verifies. */
export const OfferHello = z
  .object({
    type: z.literal('offer-hello'),
    proto: z.string().max(64),
    helperName: DisplayName,
    helperKey: b64(ED25519_PUBLIC_BYTES),
    nonceH: b64(OFFER_NONCE_BYTES),
    eh: b64(X25519_PUBLIC_BYTES),
  })
  .strict();

/** R→H: the requester's ephemeral key and its host key's signature of the transcript. */
export const OfferHost = z
  .object({
    type: z.literal('offer-host'),
    computerName: DisplayName,
    hostKey: b64(ED25519_PUBLIC_BYTES),
    nonceR: b64(OFFER_NONCE_BYTES),
    er: b64(X25519_PUBLIC_BYTES),
    sigR: b64(ED25519_SIGNATURE_BYTES),
  })
  .strict();

/** H→R: the helper identity's signature of the transcript. */
export const OfferAuth = z.object({ type: z.literal('offer-auth'), sigH: b64(ED25519_SIGNATURE_BYTES) }).strict();

/** R→H: the helper is listed and the computer is free; sealed frames follow. */
export const OfferAccept = z.object({ type: z.literal('offer-accept') }).strict();

/** R→H: no session, and why (`fingerprint` echoes the helper ID that was not listed). */
export const OfferRefuse = z
  .object({
    type: z.literal('offer-refuse'),
    reason: OfferRefusalReason,
    message: z.string().max(500),
    fingerprint: z.string().max(128).optional(),
  })
  .strict();

/** Any offer handshake message. */
export const OfferMessage = z.discriminatedUnion('type', [OfferHello, OfferHost, OfferAuth, OfferAccept, OfferRefuse]);
export type OfferMessage = z.infer<typeof OfferMessage>;
export type OfferHello = z.infer<typeof OfferHello>;
export type OfferHost = z.infer<typeof OfferHost>;
export type OfferRefuse = z.infer<typeof OfferRefuse>;

const LENGTH_BYTES = 4;

/** Frames one message. Throws RangeError if it is too large (a bug: our own messages are small). */
export function encodeOfferMessage(msg: OfferMessage): Buffer {
  const json = Buffer.from(JSON.stringify(msg), 'utf8');
  if (json.length > MAX_HANDSHAKE_MESSAGE_BYTES) throw new RangeError('offer handshake message too large');
  const out = Buffer.allocUnsafe(LENGTH_BYTES + json.length);
  out.writeUInt32BE(json.length, 0);
  json.copy(out, LENGTH_BYTES);
  return out;
}

/** Parses and validates one message body; every rejection is OfferHandshakeError('protocol-error'). */
export function parseOfferMessage(body: Buffer): OfferMessage {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new OfferHandshakeError('protocol-error', 'Not a Remote Assist offer (the message is not valid UTF-8 JSON).');
  }
  const parsed = OfferMessage.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
      .join('; ');
    throw new OfferHandshakeError('protocol-error', `Malformed offer handshake message (${where}).`);
  }
  return parsed.data;
}

/** Bytes held at most while reassembling: one message plus one network read of slack. */
const MAX_BUFFERED = LENGTH_BYTES + MAX_HANDSHAKE_MESSAGE_BYTES + 64 * 1024;

/**
 * Reassembles messages from a byte stream, parsing lazily so bytes after the last handshake
 * message stay raw for the record layer (`takeRemaining`).
 */
export class OfferDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds received bytes; refuses a peer that sends far more than a handshake needs. */
  push(chunk: Buffer): void {
    if (this.buf.length + chunk.length > MAX_BUFFERED) throw new OfferHandshakeError('protocol-error', 'The peer sent more data than a handshake allows.');
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.announced();
  }

  /** The next complete message, or null when more bytes are needed. */
  next(): OfferMessage | null {
    if (this.buf.length < LENGTH_BYTES) return null;
    const n = this.announced();
    if (this.buf.length < LENGTH_BYTES + n) return null;
    const body = this.buf.subarray(LENGTH_BYTES, LENGTH_BYTES + n);
    this.buf = this.buf.subarray(LENGTH_BYTES + n);
    return parseOfferMessage(body);
  }

  /** Bytes received after the last message returned by `next`. */
  takeRemaining(): Buffer {
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }

  /** Checks the announced length as soon as its 4 bytes are here, so garbage fails at once. */
  private announced(): number {
    if (this.buf.length < LENGTH_BYTES) return 0;
    const n = this.buf.readUInt32BE(0);
    if (n === 0 || n > MAX_HANDSHAKE_MESSAGE_BYTES) {
      throw new OfferHandshakeError('protocol-error', `Not a Remote Assist offer (a message of ${n} bytes was announced; the limit is ${MAX_HANDSHAKE_MESSAGE_BYTES}).`);
    }
    if (this.buf.length > LENGTH_BYTES && this.buf[LENGTH_BYTES] !== 0x7b /* '{' */) throw new OfferHandshakeError('protocol-error', 'Not a Remote Assist offer (the message is not a JSON object).');
    return n;
  }
}
