// Making and opening invitations. createTicket → file text; parseTicketFile (ticket-parse.ts)
// → Ticket; openTicket(ticket, password) → the sealed addresses. See DESIGN.md §3.
import crypto from 'node:crypto';
import { AppError } from '../../src-shared/contract/errors';
import { validatePassword } from '../../src-shared/invitation/password-rules';
import { fileNameTimestamp, toIsoWithOffset } from '../../src-shared/invitation/time-text';
import { parseStrictJson } from './strict-json';
import { ticketAssociatedData } from './ticket-aad';
import { deriveTicketKeys, keyCheckMatches, openSealedBytes, sealBytes } from './ticket-crypto';
import { expiredError, tamperedError, ticketProblem, wrongPasswordError } from './ticket-errors';
import { describeIssue } from './ticket-issues';
import { DEFAULT_KDF_PARAMS, MAX_JSON_DEPTH, MAX_LIFETIME_MINUTES, MIN_RANDOM_BYTES, TICKET_EXTENSION, TICKET_FORMAT, TICKET_VERSION, type KdfParams } from './ticket-limits';
import { parseTicketFile, validateTicket } from './ticket-parse';
import { SealedContentSchema, TicketSchema, type Candidate, type Relay, type Ticket, type TicketMode } from './ticket-schema';

export { parseTicketFile, validateTicket } from './ticket-parse';

/** What the requester's side knows when it makes an invitation. */
export interface CreateTicketOptions {
  password: string;
  requester: { userName: string; computerName: string };
  allowControl: boolean;
  mode: TicketMode;
  candidates: Candidate[];
  relay?: Relay;
  /** Already resolved against policy (see resolveLifetime); whole minutes, 1 … 30 days. */
  lifetimeMinutes: number;
  now?: Date;
  /** scrypt cost; DEFAULT_KDF_PARAMS unless a test wants speed. Must be within KDF_LIMITS. */
  kdf?: KdfParams;
  /** The invitation id, when the listener was started first (≥ 16 random bytes, base64url); else generated. */
  id?: string;
}

/** A new invitation: the validated object, the exact file text to save, and a suggested file name. */
export interface CreatedTicket {
  ticket: Ticket;
  fileText: string;
  fileName: string;
}

/** An invitation opened with its password: where to connect (never shown before this). */
export interface OpenedTicket {
  ticket: Ticket;
  candidates: Candidate[];
  relay?: Relay;
}

const ASK = 'Ask the person who sent it for a new invitation.';

/** Makes and seals a new invitation. Throws AppError('invalid-input') for a bad password, lifetime, name or address. */
export async function createTicket(options: CreateTicketOptions): Promise<CreatedTicket> {
  const passwordProblem = validatePassword(options.password);
  if (passwordProblem !== null) throw new AppError('invalid-input', passwordProblem);
  const { lifetimeMinutes } = options;
  if (!Number.isInteger(lifetimeMinutes) || lifetimeMinutes < 1 || lifetimeMinutes > MAX_LIFETIME_MINUTES) {
    throw new AppError('invalid-input', `The invitation lifetime must be a whole number of minutes from 1 to ${MAX_LIFETIME_MINUTES} (got ${lifetimeMinutes}).`);
  }
  const content = SealedContentSchema.safeParse({ candidates: options.candidates, relay: options.relay });
  if (!content.success) {
    throw new AppError('invalid-input', `Cannot create the invitation: ${describeIssue(content.error.issues[0]!, { candidates: options.candidates, relay: options.relay })}.`);
  }
  // Whole seconds: the file says what the requester's clock said, no false precision.
  const created = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const expires = new Date(created.getTime() + lifetimeMinutes * 60_000);
  const params = options.kdf ?? DEFAULT_KDF_PARAMS;
  const salt = crypto.randomBytes(MIN_RANDOM_BYTES);
  const clearCandidates = content.data.candidates.map(({ host, port }) => ({ host, port }));
  const header: Omit<Ticket, 'sealed' | 'candidates'> = {
    format: TICKET_FORMAT,
    version: TICKET_VERSION,
    id: options.id ?? crypto.randomBytes(MIN_RANDOM_BYTES).toString('base64url'),
    createdAt: toIsoWithOffset(created),
    expiresAt: toIsoWithOffset(expires),
    requester: { userName: options.requester.userName, computerName: options.requester.computerName },
    allowControl: options.allowControl,
    mode: options.mode,
    kdf: { alg: 'scrypt', N: params.N, r: params.r, p: params.p, salt: salt.toString('base64url') },
  };
  const clear = options.mode === 'compatibility' ? { candidates: clearCandidates } : {};
  const keys = await deriveTicketKeys(options.password, params, salt);
  let sealed;
  try {
    const aad = ticketAssociatedData({ ...header, ...clear, sealed: { alg: 'aes-256-gcm' } });
    sealed = sealBytes(keys.aeadKey, Buffer.from(JSON.stringify(content.data), 'utf8'), aad);
  } finally {
    keys.aeadKey.fill(0);
  }
  const draft = {
    ...header,
    sealed: { alg: 'aes-256-gcm', nonce: sealed.nonce.toString('base64url'), keyCheck: keys.keyCheck.toString('base64url'), ciphertext: sealed.ciphertext.toString('base64url') },
    ...clear,
  };
  const checked = TicketSchema.safeParse(draft);
  if (!checked.success) throw new AppError('invalid-input', `Cannot create the invitation: ${describeIssue(checked.error.issues[0]!, draft)}.`);
  const fileText = `${JSON.stringify(checked.data, null, 2)}\n`;
  // Never hand out a file this build cannot read back.
  const ticket = parseTicketFile(fileText);
  return { ticket, fileText, fileName: ticketFileName(options.requester.computerName, created) };
}

/**
 * Checks the password and unseals the addresses, without looking at the expiry (the CLI's
 * `inspect` shows expired invitations too). Throws 'wrong-password', or 'invalid-input' with
 * reason 'tampered' when the password is right but the file was edited.
 */
export async function unsealTicket(ticket: Ticket, password: string): Promise<OpenedTicket> {
  // Re-validate: a Ticket may come from code, not from parseTicketFile, and the KDF bounds must hold.
  const valid = validateTicket(ticket);
  // No ticket is made with an invalid password, so it cannot match; skip the scrypt.
  if (validatePassword(password) !== null) throw wrongPasswordError();
  const keys = await deriveTicketKeys(password, valid.kdf, Buffer.from(valid.kdf.salt, 'base64url'));
  let plain: Buffer | null;
  try {
    if (!keyCheckMatches(Buffer.from(valid.sealed.keyCheck, 'base64url'), keys.keyCheck)) throw wrongPasswordError();
    const { nonce, ciphertext } = valid.sealed;
    plain = openSealedBytes(keys.aeadKey, Buffer.from(nonce, 'base64url'), Buffer.from(ciphertext, 'base64url'), ticketAssociatedData(valid));
  } finally {
    keys.aeadKey.fill(0);
  }
  if (plain === null) throw tamperedError();
  const content = readSealedContent(plain);
  if (valid.mode === 'compatibility') {
    // The associated data already binds the clear list; this guards against a writer bug.
    const same = (a: Candidate[], b: Candidate[]) => a.length === b.length && a.every((c, i) => c.host === b[i]!.host && c.port === b[i]!.port);
    if (!same(valid.candidates ?? [], content.candidates)) throw tamperedError();
  }
  const candidates = content.candidates.map(({ host, port }) => ({ host, port }));
  return content.relay ? { ticket: valid, candidates, relay: content.relay } : { ticket: valid, candidates };
}

// The plaintext is authenticated, so a problem here is a writer's bug, not an attack; still, it
// gets a precise reason instead of a crash.
function readSealedContent(plain: Buffer) {
  let value: unknown;
  try {
    value = parseStrictJson(new TextDecoder('utf-8', { fatal: true }).decode(plain), MAX_JSON_DEPTH);
  } catch {
    throw ticketProblem('invalid-field', `This invitation's sealed part is not readable. ${ASK}`);
  } finally {
    plain.fill(0);
  }
  const result = SealedContentSchema.safeParse(value);
  if (!result.success) throw ticketProblem('invalid-field', `This invitation's sealed part is damaged: ${describeIssue(result.error.issues[0]!, value)}. ${ASK}`);
  return result.data;
}

/** Refuses an invitation whose expiry time has passed, saying when and how long ago. */
export function checkExpiry(ticket: Pick<Ticket, 'expiresAt'>, now: Date = new Date()): void {
  if (now.getTime() >= Date.parse(ticket.expiresAt)) throw expiredError(ticket.expiresAt, now);
}

/** Opens an invitation for use: refuses it if expired, then checks the password and unseals it. */
export async function openTicket(ticket: Ticket, password: string, now: Date = new Date()): Promise<OpenedTicket> {
  checkExpiry(ticket, now);
  return unsealTicket(ticket, password);
}

/**
 * `Invitation-<computer>-<yyyymmdd-hhmm>.rainvite`. The computer name is reduced to letters,
 * digits, '.', '_' and '-' (no path separators, no names Windows reserves, no leading dot).
 */
export function ticketFileName(computerName: string, createdAt: Date): string {
  const safe =
    [...computerName.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/-{2,}/g, '-').replace(/^[-.]+|[-.]+$/g, '')]
      .slice(0, 40)
      .join('')
      .replace(/[-.]+$/, '') || 'computer';
  return `Invitation-${safe}-${fileNameTimestamp(createdAt)}${TICKET_EXTENSION}`;
}
