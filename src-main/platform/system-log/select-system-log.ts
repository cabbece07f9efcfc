import type { AppLogger } from '../app-logger';
import { createSpawnRunner, type CommandRunner } from './command-runner';
import { CommandSystemLog } from './command-system-log';
import { FileSystemLog } from './file-system-log';
import { StreamSystemLog } from './stream-system-log';
import { eventcreateArgv, loggerStreamArgv, toLoggerLine } from './system-log-adapters';
import { nullSystemLog, type SystemLog } from './system-log-port';

/** A system log that can say when everything written so far has been handed over, and be closed (shutdown, tests). */
export type FlushableSystemLog = SystemLog & { idle(): Promise<void>; close(): Promise<void> };

/** Where to go when the platform's log cannot be reached, and whom to tell. */
export interface SystemLogOptions {
  /** A JSON-lines file used when the platform log is unavailable; null: drop entries. */
  fallbackFile?: string | null;
  /** Told once, with a warning, that the platform log is unavailable. */
  logger?: Pick<AppLogger, 'warn'>;
  /** The `logger` program to run (default `logger`, found on PATH); tests pass a recording stand-in. */
  loggerCommand?: string;
}

/**
 * The system log for a platform: long-lived `logger` children on Linux, macOS and the BSDs;
 * `eventcreate` per entry on Windows (`runner`); else the fallback. Whatever goes wrong, the app
 * log gets ONE warning saying where entries go.
 */
export function selectSystemLog(platform: NodeJS.Platform, runner: CommandRunner = createSpawnRunner(), options: SystemLogOptions = {}): FlushableSystemLog {
  let warned = false;
  const warnOnce = (reason: string, where: string) => {
    if (warned) return;
    warned = true;
    options.logger?.warn(`The system log is unavailable (${reason}); ${where}.`);
  };
  const fallbackFile = options.fallbackFile ?? null;
  const fallback: SystemLog = fallbackFile
    ? new FileSystemLog(fallbackFile, (reason) => warnOnce(reason, 'key audit events are kept only in the session log files'))
    : nullSystemLog;
  const where = fallbackFile ? `key audit events go to ${fallbackFile} instead` : 'key audit events are kept only in the session log files';
  const onUnavailable = (reason: string) => warnOnce(reason, where);

  switch (platform) {
    case 'linux':
    case 'darwin':
    case 'freebsd':
    case 'openbsd':
    case 'netbsd':
      return new StreamSystemLog({ command: options.loggerCommand ?? 'logger', argv: loggerStreamArgv, toLine: toLoggerLine, fallback, onUnavailable });
    case 'win32':
      return new CommandSystemLog('eventcreate', eventcreateArgv, runner, fallback, onUnavailable);
    default:
      onUnavailable(`no system log adapter for ${platform}`);
      return { write: (level, message, fields) => fallback.write(level, message, fields), idle: () => Promise.resolve(), close: () => Promise.resolve() };
  }
}
