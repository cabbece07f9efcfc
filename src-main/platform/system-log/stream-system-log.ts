import { spawn, type ChildProcess } from 'node:child_process';
import { formatSystemLogText, type SystemLog, type SystemLogFields, type SystemLogLevel } from './system-log-port';

/**
 * Unread bytes one child may hold in its pipe (as Node's buffer sees it) before entries go to the
 * fallback instead: a stuck `logger` must not grow main's memory.
 */
const MAX_BUFFERED_BYTES = 64 * 1024;
/** Entries held while a child starts, and remembered after they were handed to it; more go to the fallback (or are forgotten). */
const MAX_HELD = 200;
/** A child that stops this often within EXIT_WINDOW_MS is given up on (it would only be restarted to die again). */
const MAX_EXITS = 3;
const EXIT_WINDOW_MS = 60_000;
/** How long `close()` waits for a child to read the rest of its input and exit. */
const CLOSE_WAIT_MS = 2_000;

/** What a `StreamSystemLog` runs and where it goes when it cannot. */
export interface StreamSystemLogOptions {
  /** The program: `logger`, or a path (tests use a recording stand-in). */
  command: string;
  /** The argv of the child for one level; the entries then arrive on its stdin, one per line. */
  argv: (level: SystemLogLevel) => string[];
  /** Turns an entry's text into exactly one line the program takes as one entry. */
  toLine: (text: string) => string;
  fallback: SystemLog;
  /** Told once, when the log switches to the fallback for good. */
  onUnavailable: (reason: string) => void;
}

type Entry = { level: SystemLogLevel; message: string; fields?: SystemLogFields; line: string; done: () => void };

/** One long-lived child for one level. */
interface LevelChild {
  proc: ChildProcess;
  running: boolean;
  /** Entries written before the child started (or failed to). */
  starting: Entry[];
  /**
   * The last entries handed to the child: if it exits with an error it most likely logged none of
   * them (`logger` opens the log before reading), so they go to the fallback rather than nowhere.
   */
  sent: Entry[];
  stderr: string;
}

/**
 * A system log written through long-lived children that read entries from stdin, one per line
 * (`logger -t remote-assist -p user.info` reads lines when given no message). Starting a process
 * per entry cost ~30 ms of main's CPU each (`npm run bench`: ~0.3 s per 30 s of a session); a line
 * on a pipe costs microseconds. One child per level, because only util-linux's `logger` can take
 * the priority per line (`--prio-prefix`), while BSD, macOS and busybox `logger` read lines at
 * one fixed priority; entries of different levels may therefore interleave slightly differently
 * in the system log (the session log files keep the exact order).
 *
 * Never blocks or throws: a child that dies is restarted on the next entry; one that cannot start,
 * exits with an error, keeps dying, or stops reading sends entries to `fallback` (for good, except
 * the last case, which affects only the entries it could not take).
 */
export class StreamSystemLog implements SystemLog {
  private readonly children = new Map<SystemLogLevel, LevelChild>();
  private readonly exits: number[] = [];
  private readonly flushing = new Set<Promise<void>>();
  private unavailable = false;
  private closed = false;

  constructor(private readonly opts: StreamSystemLogOptions) {}

  write(level: SystemLogLevel, message: string, fields?: SystemLogFields): void {
    if (this.unavailable || this.closed) return this.fallback(level, message, fields);
    let entry: Entry;
    try {
      entry = { level, message, fields, line: this.opts.toLine(formatSystemLogText(message, fields)) + '\n', done: () => undefined };
    } catch {
      return this.fallback(level, message, fields);
    }
    const flushed = new Promise<void>((r) => (entry.done = r));
    this.flushing.add(flushed);
    void flushed.then(() => this.flushing.delete(flushed));
    try {
      const child = this.children.get(level) ?? this.start(level);
      if (!child) return this.divert(entry);
      if (!child.running) {
        if (child.starting.length >= MAX_HELD) return this.divert(entry);
        child.starting.push(entry);
        return;
      }
      this.send(child, entry);
    } catch {
      // The system log is a copy for administrators; it must never take main down.
      this.divert(entry);
    }
  }

  /** Resolves when every entry written so far is in a child's pipe or in the fallback. */
  async idle(): Promise<void> {
    while (this.flushing.size > 0) await Promise.all(this.flushing);
  }

  /** Ends the children's input and waits (briefly) for them to log what they hold and exit; later entries go to the fallback. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const children = [...this.children.values()];
    this.children.clear();
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
            const timer = setTimeout(() => {
              c.proc.kill();
              resolve();
            }, CLOSE_WAIT_MS);
            c.proc.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            c.proc.stdin?.end();
          }),
      ),
    );
  }

  private start(level: SystemLogLevel): LevelChild | null {
    let proc: ChildProcess;
    try {
      proc = spawn(this.opts.command, this.opts.argv(level), { shell: false, windowsHide: true, stdio: ['pipe', 'ignore', 'pipe'] });
    } catch (e) {
      this.giveUp(describeStartFailure(this.opts.command, e));
      return null;
    }
    const child: LevelChild = { proc, running: false, starting: [], sent: [], stderr: '' };
    this.children.set(level, child);
    // Neither the child nor its pipes keep main alive; pending writes still complete (libuv counts them).
    proc.unref();
    for (const s of [proc.stdin, proc.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
    // EPIPE when the child died with entries in flight: its exit is handled below; this must not
    // become an uncaught 'error' event.
    proc.stdin?.on('error', () => undefined);
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (d: string) => {
      if (child.stderr.length < 4096) child.stderr += d;
    });
    proc.once('spawn', () => {
      child.running = true;
      for (const e of child.starting.splice(0)) this.send(child, e);
    });
    proc.once('error', (e) => {
      if (child.running) return; // A failed kill(); the exit (if any) is handled below.
      this.forget(child);
      this.giveUp(describeStartFailure(this.opts.command, e));
      for (const entry of child.starting.splice(0)) this.divert(entry);
    });
    proc.once('close', (code, signal) => {
      if (!child.running) return;
      this.forget(child);
      if (this.closed) return;
      const now = Date.now();
      this.exits.push(now);
      while (this.exits.length > 0 && this.exits[0]! < now - EXIT_WINDOW_MS) this.exits.shift();
      const why = code !== null ? `exited with ${code}` : `was stopped (${signal ?? 'unknown signal'})`;
      const detail = child.stderr.trim() ? `: ${child.stderr.trim().split('\n')[0]}` : '';
      // An error exit means it cannot log here (as a failed run did before); repeated stops mean it would only die again.
      if (code !== null && code !== 0) {
        this.giveUp(`\`${this.opts.command}\` ${why}${detail}`);
        for (const entry of child.sent.splice(0)) this.divert(entry);
      } else if (this.exits.length >= MAX_EXITS) this.giveUp(`\`${this.opts.command}\` keeps stopping (last ${why}${detail})`);
    });
    return child;
  }

  private send(child: LevelChild, entry: Entry): void {
    const stdin = child.proc.stdin;
    // A child that stopped reading: this entry goes to the fallback instead of piling up in memory.
    if (!stdin || stdin.destroyed || stdin.writableLength > MAX_BUFFERED_BYTES) return this.divert(entry);
    stdin.write(entry.line, () => entry.done());
    child.sent.push(entry);
    if (child.sent.length > MAX_HELD) child.sent.shift();
  }

  private forget(child: LevelChild): void {
    for (const [level, c] of this.children) if (c === child) this.children.delete(level);
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = true;
    for (const c of this.children.values()) c.proc.stdin?.end();
    this.children.clear();
    this.opts.onUnavailable(reason);
  }

  private divert(entry: Entry): void {
    this.fallback(entry.level, entry.message, entry.fields);
    entry.done();
  }

  private fallback(level: SystemLogLevel, message: string, fields?: SystemLogFields): void {
    try {
      this.opts.fallback.write(level, message, fields);
    } catch {
      // Nothing is left to tell.
    }
  }
}

function describeStartFailure(command: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' ? `\`${command}\` is not installed` : `\`${command}\` could not run: ${e instanceof Error ? e.message : String(e)}`;
}
