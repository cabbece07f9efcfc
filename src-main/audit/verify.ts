import fs from 'node:fs/promises';
import { AppError } from '../../src-shared/contract/errors';
import { chainHash, withoutHash } from './audit-chain';
import { readLines, type RawLine } from './line-reader';

/** What is wrong at the first bad line. */
export type VerifyProblem = 'altered' | 'removed' | 'reordered' | 'inserted' | 'malformed' | 'truncated';

/** The verdict on one log file. */
export type VerifyResult =
  | {
      ok: true;
      /** Lines checked, header included. */
      lines: number;
      /** The log ends with `session.ended` (else the app stopped, or the last lines were cut off). */
      ended: boolean;
      /** The last line's hash: compare with the `head` the system log recorded at the session's end. */
      head: string;
    }
  | { ok: false; firstBadLine: number; problem: VerifyProblem; detail: string };

interface Checked {
  seq: number;
  hash: string;
  body: Record<string, unknown>;
  type: unknown;
}

/** The parts verification needs, or null when the line is not a log line. */
function check(text: string): Checked | null {
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const o = v as Record<string, unknown>;
    if (typeof o.seq !== 'number' || !Number.isInteger(o.seq) || o.seq < 1 || typeof o.hash !== 'string') return null;
    const event = o.event as Record<string, unknown> | null | undefined;
    return { seq: o.seq, hash: o.hash, body: withoutHash(o), type: event && typeof event === 'object' ? event.type : undefined };
  } catch {
    return null;
  }
}

/** chainHash that reports a line too deeply nested to canonicalise as not matching. */
function hashOf(prev: string, body: Record<string, unknown>): string | null {
  try {
    return chainHash(prev, body);
  } catch {
    return null;
  }
}

/**
 * Checks a log's hash chain and line numbers and names the first bad line: an edited line
 * (`altered`), a missing one (`removed`), lines out of order (`reordered`), a line that does not
 * belong (`inserted`, including anything after `session.ended`), a line that is not a log line
 * (`malformed`) or an unfinished last line (`truncated`). Never throws on file contents; throws
 * AppError('not-found' | 'io') when the file cannot be read.
 *
 * Without a secret key a chain cannot stop someone who rewrites every hash after an edit; the
 * `head` hash copied to the system log at the session's end is what catches that.
 */
export async function verifyLog(file: string): Promise<VerifyResult> {
  await fs.access(file).catch((e: NodeJS.ErrnoException) => {
    throw new AppError(e.code === 'ENOENT' ? 'not-found' : 'io', `The log ${file} cannot be read: ${e.message}`);
  });
  const it = readLines(file)[Symbol.asyncIterator]();
  let buffered: RawLine | null = null;
  const next = async (): Promise<RawLine | null> => {
    if (buffered) {
      const b = buffered;
      buffered = null;
      return b;
    }
    const r = await it.next();
    return r.done ? null : r.value;
  };
  const peek = async (): Promise<RawLine | null> => (buffered ??= await next());
  const bad = (firstBadLine: number, problem: VerifyProblem, detail: string): VerifyResult => ({ ok: false, firstBadLine, problem, detail });

  try {
    let prev = '';
    let ended = false;
    let lines = 0;
    for (let raw = await next(); raw; raw = await next()) {
      const i = raw.lineNo;
      lines = i;
      const line = check(raw.text);
      if (!line) {
        if (!raw.terminated) return bad(i, 'truncated', `line ${i} is incomplete: the app stopped while writing it. Lines 1–${i - 1} are intact.`);
        return bad(i, 'malformed', i === 1 && raw.text.trim() === '' ? 'the file does not start with a log header' : `line ${i} is not a log line`);
      }
      if (i === 1) {
        // The chain starts from the header's genesis; its type is checked once its hash is known good.
        const genesis = (line.body.event as { genesis?: unknown } | undefined)?.genesis;
        if (typeof genesis === 'string') prev = genesis;
        else if (line.seq === 1) return bad(1, 'malformed', 'the file does not start with a log header');
      }
      if (ended) return bad(i, 'inserted', `line ${i} comes after the session ended`);
      if (line.seq === i) {
        if (hashOf(prev, line.body) === line.hash) {
          if (i === 1 && line.type !== 'log.header') return bad(1, 'malformed', 'the file does not start with a log header');
          prev = line.hash;
          ended = line.type === 'session.ended';
          continue;
        }
        const following = await peek();
        const twin = following && check(following.text);
        if (twin && twin.seq === i && hashOf(prev, twin.body) === twin.hash) return bad(i, 'inserted', `line ${i} does not belong to the log; the real line ${i} follows it`);
        return bad(i, 'altered', `line ${i} was changed after it was written (its hash does not match)`);
      }
      if (hashOf(prev, { ...line.body, seq: i }) === line.hash) return bad(i, 'altered', `line ${i}'s number was changed to ${line.seq}`);
      if (line.seq < i) return bad(i, 'inserted', `line ${i} repeats line number ${line.seq}`);
      // A later number here: the missing line is either further down (reordered) or gone (removed).
      for (let r = await next(); r; r = await next()) {
        if (check(r.text)?.seq === i) return bad(i, 'reordered', `line ${i} is out of order: it holds line ${line.seq}, and line ${i} comes later, at ${r.lineNo}`);
      }
      const missing = line.seq - 1 === i ? `line ${i} was removed` : `lines ${i}–${line.seq - 1} were removed`;
      return bad(i, 'removed', i === 1 ? 'the log header (line 1) was removed' : missing);
    }
    if (lines === 0) return bad(1, 'malformed', 'the file is empty');
    return { ok: true, lines, ended, head: prev };
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('io', `The log ${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    await it.return?.(undefined);
  }
}
