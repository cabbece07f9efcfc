/**
 * The rendezvous relay's own protocol (`remote-assist-relay/1`), spoken by clients
 * (relay-client.ts) and the server (relay-connection.ts) over one WebSocket per client:
 *
 *   client → relay  text   {"v":1,"op":"host"|"join","pairing":"<id>"}   (first message, within 10 s)
 *   relay → client  text   {"t":"waiting"}   (host registered; wait for a joiner)
 *   relay → client  text   {"t":"paired"}    (both ends present; from now on only binary frames)
 *   both ways       binary link bytes, forwarded unchanged and unread
 *   relay → client  close  with a code below and a short reason
 *
 * The pairing id travels in the first message, not the URL, so reverse-proxy access logs never
 * hold it: whoever has the id may join the pairing (and then spend one password attempt).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Protocol version in the hello. */
export const RELAY_PROTOCOL_VERSION = 1;

/**
 * An opaque pairing id: base64url, at least 22 characters (132 bits, from 16 random bytes), so it
 * cannot be guessed or enumerated; at most 128.
 */
export const PairingId = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, 'a pairing id is 22 to 128 base64url characters');

/** The client's first message. */
export const RelayHello = z
  .object({
    v: z.literal(RELAY_PROTOCOL_VERSION),
    op: z.enum(['host', 'join']),
    pairing: PairingId,
  })
  .strict();
export type RelayHello = z.infer<typeof RelayHello>;

/** The relay's text notices before the pair is formed. */
export const RelayNotice = z.discriminatedUnion('t', [z.object({ t: z.literal('waiting') }).strict(), z.object({ t: z.literal('paired') }).strict()]);
export type RelayNotice = z.infer<typeof RelayNotice>;

/** Largest hello accepted (a real one is ~100 bytes). */
export const MAX_HELLO_BYTES = 1024;

/** WebSocket close codes the relay uses (4000–4999 are for applications). */
export const RELAY_CLOSE = {
  /** The client or its peer ended normally. */
  normal: 1000,
  /** The relay is shutting down. */
  goingAway: 1001,
  /** The other end of the pair left. */
  peerLeft: 4000,
  /** Malformed hello, text after pairing, binary before pairing. */
  badRequest: 4400,
  /** Join: no host waits with this pairing id. */
  unknownPairing: 4404,
  /** No hello in time, waited too long for a joiner, or no bytes either way for too long. */
  timeout: 4408,
  /** Join: the pair already has its two ends. */
  pairFull: 4409,
  /** The pair reached its maximum lifetime. */
  lifetime: 4410,
  /** Host: another client already hosts this pairing id. */
  pairingTaken: 4411,
  /** The pair used up its byte quota. */
  quota: 4413,
  /** Too many connections or new pairings from this address. */
  rateLimited: 4429,
  /** The relay cannot pair clients now (its shared store is unreachable). */
  unavailable: 4503,
} as const;

/** A new random pairing id (128 bits, base64url). */
export function newPairingId(): string {
  return randomBytes(16).toString('base64url');
}
