import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from '../cli-command';
import { isAppError } from '../../../src-shared/contract/errors';
import { formatDuration, formatLocalDateTime } from '../../../src-shared/invitation/time-text';
import { parseTicketFile, unsealTicket, type OpenedTicket } from '../../invitation/ticket-codec';
import { MAX_TICKET_FILE_BYTES, kdfMemoryBytes } from '../../invitation/ticket-limits';
import { assertTicketSize } from '../../invitation/ticket-text';
import type { Candidate, Ticket } from '../../invitation/ticket-schema';

/** Read by `inspect` when --password is not given: unlike argv, other users cannot see it in `ps`. */
export const PASSWORD_ENV = 'REMOTE_ASSIST_TICKET_PASSWORD';

/** The text of `remote-assist ticket --help`. */
export const TICKET_USAGE = `Usage: remote-assist ticket inspect FILE [--password P] [--json]

Shows what an invitation file (.rainvite) says, without connecting anywhere: its id, when it was
made and when it expires, who made it, whether control may be requested, and how it is protected.
With the right password it also shows the addresses sealed inside it.

Options:
  --password P   check this password and show the sealed addresses (or set ${PASSWORD_ENV},
                 which, unlike a command-line argument, other users cannot see)
  --json         print one JSON object instead of text
  -h, --help     show this help

Exit status: 0 shown; 1 the password does not match, or the file was altered;
2 bad usage, or FILE is not a readable invitation.
`;

type PasswordState = 'not-given' | 'matches' | 'wrong' | 'failed';

/** `remote-assist ticket inspect`: an administrator's view of an invitation file. */
export const ticketCommand: CliCommand = {
  name: 'ticket',
  summary: 'inspect an invitation file (see: remote-assist ticket --help)',
  run: runTicket,
};

async function runTicket(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { password: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    io.err(`remote-assist ticket: ${(e as Error).message}\nRun \`remote-assist ticket --help\` for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') {
    io.out(TICKET_USAGE);
    return 0;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'inspect' || file === undefined || extra.length > 0) {
    const why = sub === undefined ? 'say what to do: inspect FILE' : sub !== 'inspect' ? `unknown subcommand ${JSON.stringify(sub)}` : file === undefined ? 'inspect needs a FILE' : 'inspect takes one FILE';
    io.err(`remote-assist ticket: ${why}.\nRun \`remote-assist ticket --help\` for usage.\n`);
    return 2;
  }
  return inspect(file, values.password ?? io.env[PASSWORD_ENV], !!values.json, io);
}

async function inspect(file: string, password: string | undefined, json: boolean, io: CliIO): Promise<number> {
  const fail = (message: string) => io.err(`remote-assist: ${file}: ${message}\n`);
  let ticket: Ticket;
  try {
    ticket = parseTicketFile(await readAtMost(file));
  } catch (e) {
    fail(isAppError(e) ? e.message : readFailure(e));
    return 2;
  }
  let state: PasswordState = 'not-given';
  let opened: OpenedTicket | undefined;
  let error: { code: string; message: string } | undefined;
  if (password !== undefined) {
    try {
      opened = await unsealTicket(ticket, password);
      state = 'matches';
    } catch (e) {
      state = isAppError(e, 'wrong-password') ? 'wrong' : 'failed';
      error = isAppError(e) ? { code: e.code, message: e.message } : { code: 'internal', message: `Could not open the invitation: ${(e as Error).message}` };
    }
  }
  const now = new Date();
  io.out(json ? `${JSON.stringify(asJson(file, ticket, now, state, opened, error), null, 2)}\n` : asText(file, ticket, now, state, opened));
  if (error) {
    fail(error.message);
    return 1;
  }
  return 0;
}

// Reads at most one byte more than an invitation may have, so a multi-gigabyte file (or
// /dev/zero) is refused after 64 KiB instead of being read into memory.
async function readAtMost(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    // A regular file's size is known: refuse it with its real size, before reading anything.
    if (stat.isFile()) assertTicketSize(stat.size);
    const buffer = Buffer.alloc(MAX_TICKET_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    assertTicketSize(length, true);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'The file does not exist. Check the name and the folder.';
  if (code === 'EISDIR') return 'This is a folder, not an invitation file.';
  if (code === 'EACCES' || code === 'EPERM') return 'The file cannot be read: permission denied.';
  return `The file cannot be read (${code ?? (e as Error).message}).`;
}

const address = (c: Candidate) => (c.host.includes(':') ? `[${c.host}]:${c.port}` : `${c.host}:${c.port}`);

function expiryText(ticket: Ticket, now: Date): string {
  const left = Date.parse(ticket.expiresAt) - now.getTime();
  const when = formatLocalDateTime(new Date(ticket.expiresAt));
  return left > 0 ? `${when} (still valid: ${formatDuration(left)} left)` : `${when} (EXPIRED ${formatDuration(left)} ago)`;
}

function asText(file: string, t: Ticket, now: Date, state: PasswordState, opened: OpenedTicket | undefined): string {
  const { N, r, p } = t.kdf;
  const rows: [string, string][] = [
    ['File', file],
    ['Id', t.id],
    ['Created', formatLocalDateTime(new Date(t.createdAt))],
    ['Expires', expiryText(t, now)],
    ['Requester', `${t.requester.userName} on ${t.requester.computerName}`],
    ['Control', t.allowControl ? 'the helper may ask to control the computer' : 'view only'],
    ['Mode', t.mode === 'encrypted' ? 'encrypted (addresses sealed with the password)' : 'compatibility (addresses also in clear text)'],
    ['Key derivation', `scrypt N=${N} (2^${Math.log2(N)}) r=${r} p=${p}, ${Math.round(kdfMemoryBytes(t.kdf) / 2 ** 20)} MiB`],
  ];
  if (t.candidates) rows.push(['Clear addresses', `${t.candidates.map(address).join(', ')}${opened ? '' : ' (not verified without the password)'}`]);
  const passwordRow: Record<PasswordState, string> = {
    'not-given': 'not checked (give --password to check it and show the sealed addresses)',
    matches: 'matches',
    wrong: 'DOES NOT MATCH',
    failed: 'matches, but the file did not open (see below)',
  };
  rows.push(['Password', passwordRow[state]]);
  if (opened) {
    rows.push(['Addresses', opened.candidates.length > 0 ? opened.candidates.map(address).join(', ') : '(none)']);
    if (opened.relay) rows.push(['Relay', `${opened.relay.url} (pairing id ${opened.relay.pairingId})`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join('');
}

function asJson(file: string, t: Ticket, now: Date, password: PasswordState, opened: OpenedTicket | undefined, error: { code: string; message: string } | undefined) {
  const secondsLeft = Math.floor((Date.parse(t.expiresAt) - now.getTime()) / 1000);
  return {
    file,
    id: t.id,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    expired: secondsLeft <= 0,
    secondsLeft,
    requester: t.requester,
    allowControl: t.allowControl,
    mode: t.mode,
    kdf: { alg: t.kdf.alg, N: t.kdf.N, r: t.kdf.r, p: t.kdf.p },
    ...(t.candidates ? { clearCandidates: t.candidates } : {}),
    password,
    ...(opened ? { candidates: opened.candidates } : {}),
    ...(opened?.relay ? { relay: opened.relay } : {}),
    ...(error ? { error } : {}),
  };
}
