import type { SystemLogLevel } from './system-log-port';

/** The tag entries carry in syslog/journald (`journalctl -t remote-assist`). */
export const SYSLOG_TAG = 'remote-assist';
/** The Event Log source name (the installer registers it; see `eventcreateArgv`). */
export const EVENT_SOURCE = 'Remote Assist';
/** Windows caps a command line at 32 767 characters; keep descriptions well inside it. */
const MAX_EVENT_TEXT = 8000;

const SYSLOG_PRIORITY: Record<SystemLogLevel, string> = { info: 'info', warning: 'warning', error: 'err' };
const EVENT_TYPE: Record<SystemLogLevel, string> = { info: 'INFORMATION', warning: 'WARNING', error: 'ERROR' };

/**
 * `logger -t remote-assist -p user.<level> -- <text>` (util-linux on Linux → journald/syslog; the
 * BSD `logger` on macOS → the unified log, as `log` has no command to write). `--` ends the
 * options, so a message starting with `-` stays a message.
 */
export function loggerArgv(level: SystemLogLevel, text: string): string[] {
  return ['-t', SYSLOG_TAG, '-p', `user.${SYSLOG_PRIORITY[level]}`, '--', text];
}

/**
 * `eventcreate /L APPLICATION /SO "Remote Assist" /T <type> /ID 1 /D <text>`. Node quotes each
 * argv element for the Windows command line, so the source name and text need no quoting here.
 * Creating a new source needs administrator rights once; the installer registers it.
 */
export function eventcreateArgv(level: SystemLogLevel, text: string): string[] {
  const description = text.length > MAX_EVENT_TEXT ? `${text.slice(0, MAX_EVENT_TEXT)} …` : text || '(empty)';
  return ['/L', 'APPLICATION', '/SO', EVENT_SOURCE, '/T', EVENT_TYPE[level], '/ID', '1', '/D', description];
}
