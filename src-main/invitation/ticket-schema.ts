// The `.rainvite` file: JSON, UTF-8, validated by these schemas. v1 objects are strict (an
// unknown key is refused): a file with fields we do not understand is not one we should act on.
// The sealed content is the exception (see SealedContentSchema).
import { z } from 'zod';
import { hostProblem } from './candidate-host';
import { isLoopbackHost } from '../relay/relay-url';
import {
  KEY_CHECK_BYTES,
  MAX_CANDIDATES,
  MAX_LIFETIME_MINUTES,
  MAX_NAME_LENGTH,
  MAX_PAIRING_ID_LENGTH,
  MAX_RANDOM_BYTES,
  MAX_SEALED_BYTES,
  MAX_URL_LENGTH,
  MIN_RANDOM_BYTES,
  NONCE_BYTES,
  TAG_BYTES,
  TICKET_FORMAT,
  TICKET_VERSION,
  kdfParamsProblem,
} from './ticket-limits';

/** Issues whose message is a whole sentence to show as is (ticket-issues.ts), not a field detail. */
export const WHOLE_SENTENCE = { wholeSentence: true } as const;

/** Unpadded base64url of `min`..`max` bytes, in its one canonical spelling. */
function base64urlBytes(min: number, max: number) {
  const what = min === max ? `${min} bytes` : `${min} to ${max} bytes`;
  return z
    .string()
    .max(Math.ceil((max * 4) / 3))
    .refine((s) => /^[A-Za-z0-9_-]*$/.test(s) && s.length % 4 !== 1 && Buffer.from(s, 'base64url').toString('base64url') === s, {
      error: 'is not base64url text',
    })
    .refine((s) => {
      const n = Math.floor((s.length * 3) / 4);
      return n >= min && n <= max;
    }, { error: `must encode ${what}` });
}

// Control characters, lone surrogates, line separators and bidi overrides: in a name they could
// rewrite a terminal line (the CLI prints names) or make a consent prompt lie about who is asking.
const INVISIBLE = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

const DisplayName = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .refine((s) => !INVISIBLE.test(s), { error: 'must not contain control characters' })
  .refine((s) => s.trim() !== '', { error: 'must not be blank' });

const IsoDateTime = z.iso.datetime({ offset: true, error: 'is not a date and time in ISO 8601 form with a time-zone offset' });

const Host = z
  .string()
  .min(1)
  .max(253)
  .superRefine((host, ctx) => {
    const problem = hostProblem(host);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
const Port = z.int().min(1).max(65535);

/** One address the helper may try: an IP literal or DNS name, and a TCP port. */
export const CandidateSchema = z.strictObject({ host: Host, port: Port });
/** An address the helper may try. */
export type Candidate = z.infer<typeof CandidateSchema>;

/**
 * A relay rendezvous: where to meet and under which pairing id. TLS (wss://) is required, except
 * for a relay on the requester's own computer (loopback), which only tests use — the same rule
 * as the relay setting and `parseRelayUrl`.
 */
export const RelaySchema = z.object({
  url: z
    .string()
    .min(1)
    .max(MAX_URL_LENGTH)
    .refine((u) => URL.canParse(u) && (['wss:', 'https:'].includes(new URL(u).protocol) || (['ws:', 'http:'].includes(new URL(u).protocol) && isLoopbackHost(new URL(u).hostname))), {
      error: 'must be a wss:// or https:// address',
    }),
  pairingId: z
    .string()
    .min(1)
    .max(MAX_PAIRING_ID_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, "-" and "_"' }),
});
/** A relay rendezvous. */
export type Relay = z.infer<typeof RelaySchema>;

/**
 * The sealed plaintext. Unlike the clear part it is extensible: unknown keys are dropped, not
 * refused, so a later writer can add optional hints without a format bump. That is safe because
 * these bytes are authenticated (nobody but the password holder wrote them); known keys keep
 * strict types.
 */
export const SealedContentSchema = z
  .object({
    candidates: z.array(z.object({ host: Host, port: Port })).max(MAX_CANDIDATES),
    relay: RelaySchema.optional(),
  })
  .refine((c) => c.candidates.length > 0 || c.relay !== undefined, { error: 'lists no address and no relay to connect to' });
/** What the password unseals. */
export type SealedContent = z.infer<typeof SealedContentSchema>;

/** How the key is derived from the password; hostile parameters are refused here, before any scrypt. */
export const KdfSchema = z
  .strictObject({
    alg: z.literal('scrypt'),
    N: z.int(),
    r: z.int(),
    p: z.int(),
    salt: base64urlBytes(MIN_RANDOM_BYTES, MAX_RANDOM_BYTES),
  })
  .superRefine((kdf, ctx) => {
    const problem = kdfParamsProblem(kdf);
    if (problem === null) return;
    ctx.addIssue({
      code: 'custom',
      params: WHOLE_SENTENCE,
      message: `This invitation asks for key-derivation settings Remote Assist refuses (scrypt ${problem}). It was not made by Remote Assist, or it was altered; ask for a new invitation.`,
    });
  });
/** The `kdf` block of a ticket. */
export type TicketKdf = z.infer<typeof KdfSchema>;

/** The AEAD box: the nonce, the password check (see ticket-crypto.ts) and ciphertext ‖ GCM tag. */
export const SealedSchema = z.strictObject({
  alg: z.literal('aes-256-gcm'),
  nonce: base64urlBytes(NONCE_BYTES, NONCE_BYTES),
  keyCheck: base64urlBytes(KEY_CHECK_BYTES, KEY_CHECK_BYTES),
  ciphertext: base64urlBytes(TAG_BYTES + 2, MAX_SEALED_BYTES + TAG_BYTES),
});

/** `encrypted`: addresses only inside `sealed`. `compatibility`: also in clear text, for older helpers. */
export const TicketMode = z.enum(['encrypted', 'compatibility']);
/** `encrypted` or `compatibility`. */
export type TicketMode = z.infer<typeof TicketMode>;

/** A whole v1 invitation file. */
export const TicketSchema = z
  .strictObject({
    format: z.literal(TICKET_FORMAT),
    version: z.literal(TICKET_VERSION),
    id: base64urlBytes(MIN_RANDOM_BYTES, MAX_RANDOM_BYTES),
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime,
    requester: z.strictObject({ userName: DisplayName, computerName: DisplayName }),
    allowControl: z.boolean(),
    mode: TicketMode,
    kdf: KdfSchema,
    sealed: SealedSchema,
    candidates: z.array(CandidateSchema).min(1).max(MAX_CANDIDATES).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.mode === 'encrypted' && t.candidates !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['candidates'], message: 'must not be there: an encrypted-only invitation keeps its addresses sealed' });
    }
    if (t.mode === 'compatibility' && t.candidates === undefined) {
      ctx.addIssue({ code: 'custom', path: ['candidates'], message: 'is missing: a compatibility invitation lists its addresses in clear text' });
    }
    const lifetime = Date.parse(t.expiresAt) - Date.parse(t.createdAt);
    if (!(lifetime > 0)) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'is not after "createdAt"' });
    if (lifetime > MAX_LIFETIME_MINUTES * 60_000) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: `is more than ${MAX_LIFETIME_MINUTES / 1440} days after "createdAt"` });
  });
/** A validated v1 invitation, as read from or written to a `.rainvite` file. */
export type Ticket = z.infer<typeof TicketSchema>;
