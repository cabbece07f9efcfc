import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src-shared/contract/errors';
import type { AuditLine, HeaderLine, SessionKind, SessionRole } from './audit-events';
import { EventIndex } from './event-index';
import { readFirstLine, readHeadLines, readLines, readTail } from './line-reader';

/** How a session ended, as the Logs page shows it. `incomplete`: no `session.ended` (the app stopped). */
export type SessionOutcome = 'ended' | 'declined' | 'expired' | 'locked' | 'cancelled' | 'failed' | 'incomplete';

/** One row of the Logs page. */
export interface SessionSummary {
  /** The file name without `.jsonl` (`20261125140307`, `20261125140307-2`). */
  id: string;
  file: string;
  sessionId: string | null;
  startedAt: string | null;
  kind: SessionKind | null;
  role: SessionRole | null;
  /** The peer as last recorded. */
  peerName: string | null;
  peerAddress: string | null;
  durationMs: number | null;
  outcome: SessionOutcome;
  /** Events after the header, counted from the last line's `seq`. */
  eventCount: number;
  /** Why the file could not be summarised (no header, not JSON …); null when fine. */
  problem: string | null;
}

/** Session files: `YYYYMMDDHHMMSS.jsonl`, `YYYYMMDDHHMMSS-N.jsonl` (the daily listener files are not sessions). */
export const SESSION_FILE = /^(\d{14}(?:-\d+)?)\.jsonl$/;

type Parsed = Partial<AuditLine> & { event?: { type?: unknown; kind?: unknown; durationMs?: unknown } };

function parse(text: string): Parsed | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Parsed) : null;
  } catch {
    return null;
  }
}

/** Which outcome an event points to when the session never started; the last such event wins. */
function marker(line: Parsed): SessionOutcome | null {
  switch (line.event?.type) {
    case 'invitation.locked':
      return 'locked';
    case 'invitation.expired':
      return 'expired';
    case 'invitation.cancelled':
    case 'invitation.deleted':
      return 'cancelled';
    case 'consent.declined':
    case 'consent.timedOut':
      return line.event.kind === 'view' ? 'declined' : null;
    case 'handshake.failed':
      return 'failed';
    default:
      return null;
  }
}

/** Decides the outcome from the lines seen (in file order) and the final `session.ended`. */
function outcomeOf(lines: Parsed[], ended: Parsed): SessionOutcome {
  let last: SessionOutcome | null = null;
  for (const l of lines) {
    if (l.event?.type === 'session.started') return 'ended';
    last = marker(l) ?? last;
  }
  if (last) return last;
  // Ended before it started, with no stated cause: the app gave up (failed) or someone stopped waiting.
  return (ended.event as { by?: unknown }).by === 'system' ? 'failed' : 'cancelled';
}

const cache = new Map<string, { size: number; mtimeMs: number; summary: SessionSummary }>();

/** Event types that can decide an outcome, as they appear in a line's text (a cheap filter before parsing). */
const DECISIVE = ['session.started', 'invitation.locked', 'invitation.expired', 'invitation.cancelled', 'invitation.deleted', 'consent.declined', 'consent.timedOut', 'handshake.failed'].map((t) => `"${t}"`);

/**
 * Summarises one file from its first 16 KiB and its last lines — a few reads whatever its
 * length — and the whole file only when a session ended without starting and the cause lies in
 * between. Cached by size and modification time.
 */
export async function summarizeSession(file: string): Promise<SessionSummary> {
  const id = path.basename(file).replace(/\.jsonl$/, '');
  // One stat answers a repeated listing; only changed files are opened.
  const { size, mtimeMs } = await fs.stat(file);
  const hit = cache.get(file);
  if (hit && hit.size === size && hit.mtimeMs === mtimeMs) return hit.summary;
  const handle = await fs.open(file, 'r');
  try {
    const base: SessionSummary = { id, file, sessionId: null, startedAt: null, kind: null, role: null, peerName: null, peerAddress: null, durationMs: null, outcome: 'incomplete', eventCount: 0, problem: null };
    const headTexts = await readHeadLines(handle, size);
    const firstText = headTexts[0] ?? (await readFirstLine(handle, size));
    const header = firstText === null ? null : (parse(firstText) as Partial<HeaderLine> | null);
    if (!header || header.event?.type !== 'log.header' || typeof header.event.startedAt !== 'string') {
      return { ...base, problem: size === 0 ? 'the file is empty' : 'the first line is not a log header' };
    }
    const startedAt = header.event.startedAt;
    const summary: SessionSummary = { ...base, sessionId: header.sessionId ?? null, startedAt, kind: header.kind ?? null, role: header.role ?? null };
    const tail = await readTail(handle, size);
    // Parse only what matters: the last line, the end, and lines that can decide the outcome.
    let last = header as Parsed;
    for (let i = tail.lines.length - 1; i >= 0; i--) {
      const p = parse(tail.lines[i] as string);
      if (p) {
        last = p;
        break;
      }
    }
    summary.peerName = last.peerName ?? null;
    summary.peerAddress = last.peerAddress ?? null;
    summary.eventCount = Math.max(0, (typeof last.seq === 'number' ? last.seq : 1) - 1);
    const endText = tail.lines.findLast((t) => t.includes('"session.ended"'));
    const ended = endText === undefined ? null : parse(endText);
    if (!ended || ended.event?.type !== 'session.ended') {
      summary.durationMs = typeof last.time === 'string' ? Math.max(0, Date.parse(last.time) - Date.parse(startedAt)) : null;
    } else {
      summary.durationMs = typeof ended.event.durationMs === 'number' ? ended.event.durationMs : null;
      // Head then tail, each line once, in file order (the two windows may overlap).
      const texts = [...new Set([...headTexts, ...tail.lines])];
      const coversAll = tail.fromStart || texts.length >= summary.eventCount + 1;
      let decisive = texts.filter((t) => DECISIVE.some((d) => t.includes(d))).map(parse).filter((l): l is Parsed => l !== null);
      if (!coversAll && !decisive.some((l) => l.event?.type === 'session.started')) decisive = await allLines(file);
      summary.outcome = outcomeOf(decisive, ended);
    }
    cache.set(file, { size, mtimeMs, summary });
    if (cache.size > 5000) cache.delete(cache.keys().next().value as string);
    return summary;
  } finally {
    await handle.close();
  }
}

async function allLines(file: string): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const l of readLines(file)) {
    const p = parse(l.text);
    if (p) out.push(p);
  }
  return out;
}

/** Every session log in the folder, newest first. A missing folder is an empty list. */
export async function listSessions(logsDir: string): Promise<SessionSummary[]> {
  let names: string[];
  try {
    names = await fs.readdir(logsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('io', `The logs folder ${logsDir} cannot be read: ${(e as Error).message}`);
  }
  const files = names.filter((n) => SESSION_FILE.test(n)).map((n) => path.join(logsDir, n));
  const out: SessionSummary[] = new Array(files.length);
  let next = 0;
  // A few files at a time: fast on 1000 files without exhausting file descriptors.
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i] as string;
      out[i] = await summarizeSession(file).catch((e: unknown) => ({
        id: path.basename(file, '.jsonl'), file, sessionId: null, startedAt: null, kind: null, role: null, peerName: null, peerAddress: null,
        durationMs: null, outcome: 'incomplete' as const, eventCount: 0, problem: `cannot read: ${(e as Error).message}`,
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));
  const t = (s: SessionSummary) => (s.startedAt ? Date.parse(s.startedAt) : 0);
  return out.sort((a, b) => t(b) - t(a) || b.id.localeCompare(a.id));
}

/** Paging and filters for `readEvents`. */
export interface ReadEventsOptions {
  /** Index of the first matching event to return (0-based). */
  offset?: number;
  /** At most this many events (default 200, at most 10 000). */
  limit?: number;
  /** Only these event types. */
  types?: readonly string[];
  /** Case-insensitive text in the event's fields or the peer's name/address. */
  search?: string;
}

/** One page of a log. */
export interface EventPage {
  header: HeaderLine | null;
  events: AuditLine[];
  /** How many events match in the whole file. */
  total: number;
  offset: number;
  /** The file ends in a line the writer did not finish (a crash mid-write): everything before it is returned. */
  truncatedTail: boolean;
  /** Line numbers that are not JSON log lines; skipped. */
  malformedLines: number[];
}

/**
 * Reads one page of events. The first call indexes the file (line offsets and types, streamed);
 * later pages read only their own bytes. A growing live file is indexed incrementally.
 */
export async function readEvents(file: string, options: ReadEventsOptions = {}): Promise<EventPage> {
  const index = await EventIndex.for(file);
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = Math.min(10_000, Math.max(0, Math.floor(options.limit ?? 200)));
  const matches = await index.matching(options.types, options.search);
  const picked = matches.slice(offset, offset + limit);
  return {
    header: index.header,
    events: await index.load(picked),
    total: matches.length,
    offset,
    truncatedTail: index.truncatedTail,
    malformedLines: [...index.malformed],
  };
}

/**
 * Finds a log by id (`20261125140307`), session id, or path. Throws AppError('not-found').
 */
export async function resolveLogFile(logsDir: string, ref: string): Promise<string> {
  const direct = [ref, path.join(logsDir, ref), path.join(logsDir, `${ref}.jsonl`)];
  for (const f of direct) {
    const st = await fs.stat(f).catch(() => null);
    if (st?.isFile()) return f;
  }
  const hit = (await listSessions(logsDir)).find((s) => s.sessionId === ref);
  if (hit) return hit.file;
  throw new AppError('not-found', `No session log ${JSON.stringify(ref)} in ${logsDir}.`);
}
