import type { CommandRunner } from './command-runner';
import { formatSystemLogText, type SystemLog, type SystemLogFields, type SystemLogLevel } from './system-log-port';

/** Most entries waiting for the command before new ones go straight to the fallback. */
const MAX_PENDING = 200;

/**
 * A system log written by running a command per entry (`eventcreate`, which has no way to read
 * several entries; `logger` runs long-lived instead, see StreamSystemLog). Entries run one
 * at a time, so they reach the log in order. The first time the command is missing or fails, the
 * log switches to `fallback` for good and calls `onUnavailable` once — never a warning per event.
 */
export class CommandSystemLog implements SystemLog {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private unavailable = false;

  constructor(
    private readonly command: string,
    private readonly argv: (level: SystemLogLevel, text: string) => string[],
    private readonly runner: CommandRunner,
    private readonly fallback: SystemLog,
    private readonly onUnavailable: (reason: string) => void,
  ) {}

  write(level: SystemLogLevel, message: string, fields?: SystemLogFields): void {
    if (this.unavailable || this.pending >= MAX_PENDING) return this.fallback.write(level, message, fields);
    this.pending++;
    this.queue = this.queue
      .then(() => this.run(level, message, fields))
      .catch(() => {}) // A throwing fallback or callback must not break the queue or reject unhandled.
      .finally(() => void this.pending--);
  }

  /** Resolves when every entry written so far has been handed over (for tests and shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Nothing stays open between entries: closing is waiting for the last one. */
  close(): Promise<void> {
    return this.idle();
  }

  private async run(level: SystemLogLevel, message: string, fields?: SystemLogFields): Promise<void> {
    if (this.unavailable) return this.fallback.write(level, message, fields);
    let problem: string | null = null;
    try {
      const res = await this.runner(this.command, this.argv(level, formatSystemLogText(message, fields)));
      if (res.code !== 0) problem = `\`${this.command}\` exited with ${res.code ?? 'a timeout'}${res.stderr.trim() ? `: ${res.stderr.trim().split('\n')[0]}` : ''}`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | null)?.code;
      problem = code === 'ENOENT' ? `\`${this.command}\` is not installed` : `\`${this.command}\` could not run: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (problem === null) return;
    this.unavailable = true;
    this.onUnavailable(problem);
    this.fallback.write(level, message, fields);
  }
}
