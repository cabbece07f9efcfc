import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Diagnostics for developers and support (not the audit log, which records what users did). */
export interface AppLogger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Writes JSON lines to a file (best effort) and warnings/errors to stderr. */
export function createAppLogger(file: string | null, echo: (line: string) => void = (l) => process.stderr.write(l + '\n')): AppLogger {
  let stream: fs.WriteStream | null = null;
  if (file) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      stream = fs.createWriteStream(file, { flags: 'a' });
      stream.on('error', () => (stream = null));
    } catch {
      stream = null;
    }
  }
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    const entry = { time: new Date().toISOString(), level, message, ...fields };
    const line = JSON.stringify(entry, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v));
    stream?.write(line + '\n');
    if (level === 'warn' || level === 'error') echo(`[remote-assist] ${level}: ${message}${fields ? ' ' + line : ''}`);
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** A logger that keeps entries in memory, for tests. */
export function createMemoryLogger(): AppLogger & { entries: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] } {
  const entries: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void entries.push({ level, message, fields });
  return { entries, log, info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f), error: (m, f) => log('error', m, f) };
}
