// The AppErrors the invitation code throws, worded once. Every message says what happened and what
// to do next, on one line (the CLI prints it as `remote-assist: FILE: <message>`).
import { AppError } from '../../src-shared/contract/errors';
import { formatDuration, formatLocalDateTime } from '../../src-shared/invitation/time-text';

/**
 * Machine-readable reasons in `details.reason` of an `invalid-input` error about a ticket file,
 * so the page can pick an icon or a help link without parsing the sentence.
 */
export type TicketProblem =
  | 'too-large'
  | 'empty'
  | 'binary'
  | 'not-json'
  | 'not-invitation'
  | 'msrcincident'
  | 'newer-version'
  | 'invalid-field'
  | 'hostile-kdf'
  | 'tampered';

/** An `invalid-input` AppError about a ticket file, with its reason in `details.reason`. */
export function ticketProblem(reason: TicketProblem, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('invalid-input', message.replace(/[\r\n]+/g, ' '), { reason, ...details });
}

/** The password did not derive the key this ticket was sealed with. */
export function wrongPasswordError(): AppError {
  return new AppError('wrong-password', 'The password does not match this invitation.');
}

/** The password was right but the file no longer matches its seal: someone edited it. */
export function tamperedError(): AppError {
  return ticketProblem(
    'tampered',
    'This invitation file was altered after it was made (its details no longer match its seal), so it cannot be trusted. Ask the person for a new invitation.',
  );
}

/** The ticket's expiry time has passed. */
export function expiredError(expiresAt: string, now: Date): AppError {
  const when = new Date(expiresAt);
  return new AppError(
    'expired',
    `This invitation expired on ${formatLocalDateTime(when)} (${formatDuration(now.getTime() - when.getTime())} ago). Ask for a new invitation.`,
    { expiresAt },
  );
}

/**
 * A value from the file, quoted for a message: at most `max` characters, with anything that is
 * not plainly printable (controls, bidi overrides, line separators) escaped, so a hostile file
 * cannot rewrite the terminal line or the dialog that shows the message.
 */
export function quoteValue(value: string, max = 40): string {
  const cut = [...value].length > max ? [...value].slice(0, max).join('') + '…' : value;
  return `"${cut.replace(/["\\]|[\p{C}\u2028\u2029]/gu, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u{${c.codePointAt(0)!.toString(16)}}`))}"`;
}
