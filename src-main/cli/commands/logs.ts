import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AuditLine } from '../../audit/audit-events';
import { exportSessionJson, exportSessionXml } from '../../audit/export-xml';
import { listSessions, readEvents, resolveLogFile, type SessionSummary } from '../../audit/log-reader';
import { verifyLog } from '../../audit/verify';
import { resolveProfile } from '../../profile/profile-paths';
import type { CliCommand, CliIO } from '../cli-command';

const USAGE = `Usage: remote-assist logs <list|show|verify|export> …

  logs list [--json]                          the sessions in the logs folder, newest first
  logs show ID|FILE [--json] [--type T]…      one session's events (--type may repeat or list T1,T2)
               [--search TEXT] [--offset N] [--limit N]
  logs verify ID|FILE                         check the hash chain: exit 0 intact, 1 tampered or cut, 2 unreadable
  logs export ID|FILE --xml|--json [--out FILE]

ID is the file name without .jsonl (as \`logs list\` shows) or the session id.
Options: --profile DIR (else REMOTE_ASSIST_PROFILE, else your Documents folder).
`;

const OPTIONS = {
  json: { type: 'boolean' },
  xml: { type: 'boolean' },
  type: { type: 'string', multiple: true },
  search: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  out: { type: 'string' },
  profile: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const duration = (ms: number | null) => (ms === null ? '-' : ms < 60_000 ? `${Math.round(ms / 1000)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`);

/** Aligned columns, text sanitised so a peer's name cannot move the cursor or fake a row. */
function table(rows: string[][]): string {
  const clean = rows.map((r) => r.map((c) => c.replace(/[\p{Cc}\p{Cf}]/gu, '?')));
  const widths = clean[0]?.map((_, i) => Math.max(...clean.map((r) => (r[i] ?? '').length))) ?? [];
  return clean.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

function listText(sessions: SessionSummary[]): string {
  if (sessions.length === 0) return 'No session logs yet.\n';
  const rows = sessions.map((s) => [
    s.id,
    s.startedAt ?? '-',
    s.kind ?? '-',
    s.role ?? '-',
    s.peerName ?? s.peerAddress ?? '-',
    duration(s.durationMs),
    s.problem ? `unreadable (${s.problem})` : s.outcome,
    String(s.eventCount),
  ]);
  return table([['ID', 'STARTED', 'KIND', 'ROLE', 'PEER', 'DURATION', 'OUTCOME', 'EVENTS'], ...rows]);
}

/** `#seq time type key=value …`, one event a line; values JSON-quoted so newlines in chat stay on the line. */
function eventText(line: AuditLine): string {
  const { type, ...fields } = line.event as Record<string, unknown>;
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return `#${line.seq} ${line.time} ${String(type)}${parts.length ? ' ' + parts.join(' ') : ''}`.replace(/[\p{Cc}\p{Cf}]/gu, '?');
}

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

class UsageError extends Error {}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [sub, ref, ...extra] = positionals;
  if (values.help || sub === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (sub === undefined) throw new UsageError('which one: list, show, verify or export?');
  if (extra.length) throw new UsageError(`unexpected ${JSON.stringify(extra[0])}`);
  const logsDir = resolveProfile(values.profile, io.env).logsDir;

  if (sub === 'list') {
    const sessions = await listSessions(logsDir);
    io.out(values.json ? JSON.stringify(sessions, null, 2) + '\n' : listText(sessions));
    return 0;
  }
  if (sub !== 'show' && sub !== 'verify' && sub !== 'export') throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}`);
  if (ref === undefined) throw new UsageError(`logs ${sub} needs a session ID or a log file`);
  const file = await resolveLogFile(logsDir, ref);

  if (sub === 'show') {
    const types = values.type?.flatMap((t) => t.split(',')).filter(Boolean);
    const page = await readEvents(file, { types, search: values.search, offset: intOption(values.offset, 'offset'), limit: intOption(values.limit, 'limit') ?? 10_000 });
    if (values.json) {
      io.out(JSON.stringify(page.events, null, 2) + '\n');
    } else {
      const h = page.header;
      if (h) io.out(`Session ${h.sessionId} (${h.kind}, ${h.role}, user ${JSON.stringify(h.localUser)}) started ${h.event.startedAt}\n`.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === '\n' ? c : '?')));
      for (const e of page.events) io.out(eventText(e) + '\n');
      if (page.events.length < page.total) io.out(`(${page.events.length} of ${page.total} events from ${page.offset}; use --offset and --limit for more)\n`);
    }
    if (page.truncatedTail) io.err('warning: the log ends in an unfinished line (the app stopped while writing); it is left out.\n');
    if (page.malformedLines.length) io.err(`warning: lines ${page.malformedLines.join(', ')} are not log lines and were skipped.\n`);
    return 0;
  }

  if (sub === 'verify') {
    const v = await verifyLog(file);
    if (v.ok) {
      io.out(`${file}: intact, ${v.lines} lines${v.ended ? '' : ' (no session end: the app stopped or the session is still running)'}\nhead ${v.head}\n`);
      return 0;
    }
    io.out(`${file}: line ${v.firstBadLine}: ${v.problem} — ${v.detail}\n`);
    return v.problem === 'malformed' ? 2 : 1;
  }

  if (values.xml === values.json) throw new UsageError('logs export needs exactly one of --xml or --json');
  const text = values.xml ? await exportSessionXml(file) : await exportSessionJson(file);
  if (!values.out) {
    io.out(text);
    return 0;
  }
  // 'wx': an export never overwrites anything — least of all the log it was made from.
  await fs.writeFile(values.out, text, { flag: 'wx' });
  io.err(`Exported to ${values.out}\n`);
  return 0;
}

/** `remote-assist logs …`: list, show, verify and export the audit logs of the profile's logs folder. */
export const logsCommand: CliCommand = {
  name: 'logs',
  summary: 'list, show, verify and export session logs (see: remote-assist logs --help)',
  async run(argv, io) {
    try {
      return await run(argv, io);
    } catch (e) {
      if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
        io.err(`remote-assist logs: ${(e as Error).message}\n\n${USAGE}`);
        return 2;
      }
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        io.err(`remote-assist logs: ${(e as NodeJS.ErrnoException).path ?? 'the output file'} already exists; choose another name.\n`);
        return 1;
      }
      io.err(`remote-assist logs: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  },
};
