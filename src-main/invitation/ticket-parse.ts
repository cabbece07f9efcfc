// Any file a user opens as an invitation → a validated Ticket, or an AppError with one precise
// reason. Checks run cheapest first and nothing here derives a key: a hostile file costs at most
// 64 KiB of reading and a linear-time parse.
import { classifyXml } from './msrcincident';
import { JsonSyntaxError, parseStrictJson } from './strict-json';
import { describeIssue, describeValue, fieldPath, isWholeSentence } from './ticket-issues';
import { MAX_JSON_DEPTH, TICKET_FORMAT, TICKET_VERSION } from './ticket-limits';
import { TicketSchema, type Ticket } from './ticket-schema';
import { decodeTicketBytes, ticketTextFromString } from './ticket-text';
import { quoteValue, ticketProblem } from './ticket-errors';

const ASK = 'Ask the person who sent it for a new invitation.';

/**
 * Reads an invitation from a file's bytes or text. Throws AppError('invalid-input') whose message
 * says precisely what is wrong (and `details.reason`, see TicketProblem); never anything else.
 */
export function parseTicketFile(input: string | Uint8Array): Ticket {
  const text = typeof input === 'string' ? ticketTextFromString(input) : decodeTicketBytes(input);
  const trimmed = text.trim();
  if (trimmed === '') throw ticketProblem('empty', text === '' ? 'The file is empty: it is not an invitation.' : 'The file holds only blank space: it is not an invitation.');
  if (trimmed.startsWith('<')) {
    if (classifyXml(trimmed) === 'msrcincident') {
      throw ticketProblem(
        'msrcincident',
        'This is a Windows Remote Assistance invitation (.msrcincident). Remote Assist cannot open it: ask the person to send an invitation from Remote Assist instead.',
      );
    }
    throw ticketProblem('not-invitation', 'The file is an XML document, not a Remote Assist invitation.');
  }
  let value: unknown;
  try {
    value = parseStrictJson(text, MAX_JSON_DEPTH);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
    const where = `line ${e.line}, column ${e.column}: ${e.reason}`;
    const message = looksJson || e.kind !== 'syntax' ? `The file is not a valid invitation (${where}). It may be damaged; ${ASK[0]!.toLowerCase()}${ASK.slice(1)}` : `The file is not an invitation: it is not JSON (${where}).`;
    throw ticketProblem('not-json', message, { line: e.line, column: e.column });
  }
  return validateTicket(value);
}

/** Validates an already-parsed JSON value as a v1 ticket, with the same messages as parseTicketFile. */
export function validateTicket(value: unknown): Ticket {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a JSON list' : `a single JSON value (${describeValue(value)})`;
    throw ticketProblem('not-invitation', `The file holds ${what}, not a Remote Assist invitation.`);
  }
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, 'format')) throw ticketProblem('not-invitation', 'The file is JSON but not a Remote Assist invitation (it has no "format" field).');
  if (record.format !== TICKET_FORMAT) {
    const shown = typeof record.format === 'string' ? quoteValue(record.format) : describeValue(record.format);
    throw ticketProblem('not-invitation', `The file is not a Remote Assist invitation (its "format" is ${shown}).`);
  }
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    const shown = version === undefined ? 'missing' : describeValue(version);
    throw ticketProblem('invalid-field', `This invitation file is damaged: its "version" must be a whole number from 1 (it is ${shown}). ${ASK}`);
  }
  if (version > TICKET_VERSION) {
    throw ticketProblem('newer-version', `This invitation was made by a newer version of Remote Assist (format ${version}); update the app to open it.`, { version });
  }
  const result = TicketSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // Hostile KDF settings are reported even when another field is also wrong: they are the reason
  // a file was built to hurt, and they are refused here, before anything runs scrypt.
  const hostile = result.error.issues.find(isWholeSentence);
  if (hostile) throw ticketProblem('hostile-kdf', hostile.message);
  throw ticketProblem('invalid-field', `This invitation file is damaged: ${describeIssue(issue, value)}. ${ASK}`, { field: fieldPath(issue.path) });
}
