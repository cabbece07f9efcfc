/**
 * The rendezvous relay's own protocol (`remote-assist-relay/1`), spoken by clients
 * (relay-client.ts, relay-code-client.ts) and the server (relay-connection.ts) over one WebSocket
 * per client:
 *
 *   client → relay  text   {"v":1,"op":"host"|"join","pairing":"<id>"}   (first message, within 10 s)
 *   relay → client  text   {"t":"waiting"}   (host registered; wait for a joiner)
 *   relay → client  text   {"t":"paired","iceServers"?:[…]}  (both ends present; from now on only
 *                          binary frames; TURN credentials when the relay mints them)
 *   both ways       binary link bytes, forwarded unchanged and unread
 *   relay → client  close  with a code below and a short reason
 *
 * Easy Connect (docs/relay.md): a short code id stands for a pairing, so a helper can type a code
 * instead of opening an invitation file:
 *
 *   requester → relay  {"v":1,"op":"code-register","pairing","info","expiresAt","maxJoins"}
 *   relay → requester  {"t":"code","code":"<id>","expiresAt":ms}, then close 1000
 *   requester → relay  {"v":1,"op":"code-remove","pairing","code"} → {"t":"removed"}, close 1000
 *   helper → relay     {"v":1,"op":"code-join","code":"<id>"}
 *   relay → helper     {"t":"invitation","info",…}, then as a join: {"t":"paired"} and bytes
 *
 * The pairing id travels in the first message, not the URL, so reverse-proxy access logs never
 * hold it: whoever has the id may join the pairing (and then spend one password attempt). A code
 * id is short and so guessable: the relay rate-limits lookups per address and burns a code after
 * `maxJoins` joins; the helper never learns the pairing id behind it.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PASSWORD_ALPHABET } from '../../src-shared/invitation/password-normalize';

/** Protocol version in the hello. */
export const RELAY_PROTOCOL_VERSION = 1;

/**
 * An opaque pairing id: base64url, at least 22 characters (132 bits, from 16 random bytes), so it
 * cannot be guessed or enumerated; at most 128.
 */
export const PairingId = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, 'a pairing id is 22 to 128 base64url characters');

/** Characters of an Easy Connect code id: the invitation password alphabet (no look-alikes). */
export const CODE_ID_ALPHABET = PASSWORD_ALPHABET;
/** Length of the code ids this relay hands out (21^4 ≈ 194 000 ids). */
export const CODE_ID_LENGTH = 4;

/** An Easy Connect code id as it travels to the relay (never the password part of the code). */
export const CodeId = z.string().regex(new RegExp(`^[${CODE_ID_ALPHABET}]{4,8}$`), 'a code id is 4 to 8 code characters');

// Names shown to the helper before the handshake; control and bidi characters could make a
// message lie. The helper checks them again, and the handshake authenticates the real names.
const ShownName = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !/[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u.test(s) && s.trim() === s, 'a name without control characters or surrounding spaces');

/**
 * The non-secret fields of an invitation the relay keeps for a code and gives to whoever looks the
 * code up: enough for the helper to run the handshake (the invitation id binds it) and to say
 * whom they are connecting to. Nothing here lets anyone test a password.
 */
export const CodeInfo = z
  .object({
    invitationId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'an invitation id'),
    requesterName: ShownName,
    computerName: ShownName,
    allowControl: z.boolean(),
  })
  .strict();
export type CodeInfo = z.infer<typeof CodeInfo>;

/** A TURN server with time-limited credentials, as the relay hands it out (RTCIceServer shape). */
export const RelayIceServer = z
  .object({
    urls: z.array(z.string().regex(/^(turn|turns|stun|stuns):\S+$/).max(512)).min(1).max(8),
    username: z.string().max(512),
    credential: z.string().max(512),
  })
  .strict();
export type RelayIceServer = z.infer<typeof RelayIceServer>;

const v = z.literal(RELAY_PROTOCOL_VERSION);
const HostHello = z.object({ v, op: z.literal('host'), pairing: PairingId }).strict();
const JoinHello = z.object({ v, op: z.literal('join'), pairing: PairingId }).strict();
const CodeRegisterHello = z
  .object({
    v,
    op: z.literal('code-register'),
    pairing: PairingId,
    info: CodeInfo,
    /** When the invitation expires (ms since the epoch); the relay may shorten it. */
    expiresAt: z.number().int().positive(),
    /** Joins after which the code burns (the invitation's wrong-password budget). */
    maxJoins: z.number().int().min(1).max(100),
  })
  .strict();
const CodeRemoveHello = z.object({ v, op: z.literal('code-remove'), pairing: PairingId, code: CodeId }).strict();
const CodeJoinHello = z.object({ v, op: z.literal('code-join'), code: CodeId }).strict();

/** The client's first message. */
export const RelayHello = z.discriminatedUnion('op', [HostHello, JoinHello, CodeRegisterHello, CodeRemoveHello, CodeJoinHello]);
export type RelayHello = z.infer<typeof RelayHello>;

/** The relay's text notices before the pair is formed (or in answer to a code request). */
export const RelayNotice = z.discriminatedUnion('t', [
  z.object({ t: z.literal('waiting') }).strict(),
  z.object({ t: z.literal('paired'), iceServers: z.array(RelayIceServer).max(4).optional() }).strict(),
  z.object({ t: z.literal('code'), code: CodeId, expiresAt: z.number().int().positive() }).strict(),
  z.object({ t: z.literal('removed') }).strict(),
  z.object({ t: z.literal('invitation'), info: CodeInfo, expiresAt: z.number().int().positive(), joinsLeft: z.number().int().min(0) }).strict(),
]);
export type RelayNotice = z.infer<typeof RelayNotice>;

/** Largest hello accepted (a real one is ~100 bytes; a code registration ~400). */
export const MAX_HELLO_BYTES = 2048;

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
  /** Code join: no invitation has this code (never had one, removed, or expired). */
  unknownCode: 4414,
  /** Code join: the code was joined too many times and burnt. */
  codeBurnt: 4423,
  /** Too many connections or new pairings from this address. */
  rateLimited: 4429,
  /** The relay cannot pair clients now (its shared store is unreachable). */
  unavailable: 4503,
} as const;

/** A new random pairing id (128 bits, base64url). */
export function newPairingId(): string {
  return randomBytes(16).toString('base64url');
}
