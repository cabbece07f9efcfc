import fs from 'node:fs';
import path from 'node:path';
import type { SystemLog, SystemLogFields, SystemLogLevel } from './system-log-port';

/**
 * Appends `{time, level, message, ...fields}` JSON lines to a file: the sink for tests and the
 * fallback where the platform's log cannot be reached. Reports its first failure once, then drops.
 */
export class FileSystemLog implements SystemLog {
  private failed = false;

  constructor(
    readonly file: string,
    private readonly onFailure: (reason: string) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  write(level: SystemLogLevel, message: string, fields?: SystemLogFields): void {
    if (this.failed) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      // Fields first so they can never overwrite time, level or message.
      fs.appendFileSync(this.file, JSON.stringify({ ...fields, time: this.now().toISOString(), level, message }) + '\n', { mode: 0o600 });
    } catch (e) {
      this.failed = true;
      this.onFailure(`cannot write ${this.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
