import type { SystemLogLevel } from './system-log-port';

/** The tag entries carry in syslog/journald (`journalctl -t remote-assist`). */
export const SYSLOG_TAG = 'remote-assist';
/** The Event Log source name (the installer registers it; see `eventcreateArgv`). */
export const EVENT_SOURCE = 'Remote Assist';
/**
 * Longest line (UTF-8 bytes) handed to a `logger` reading stdin. Its buffer is 1 KiB including the
 * syslog header (util-linux `--size` default; BSD and macOS read 1 KiB lines) and it would split a
 * longer line into a second entry whose text we no longer control; 900 leaves room for the header.
 */
export const MAX_LOGGER_LINE_BYTES = 900;
/** Windows caps a command line at 32 767 characters; keep descriptions well inside it. */
const MAX_EVENT_TEXT = 8000;

const SYSLOG_PRIORITY: Record<SystemLogLevel, string> = { info: 'info', warning: 'warning', error: 'err' };
const EVENT_TYPE: Record<SystemLogLevel, string> = { info: 'INFORMATION', warning: 'WARNING', error: 'ERROR' };

/**
 * `logger -t remote-assist -p user.<level>` with no message: it logs each line it reads from stdin
 * as one entry at that priority, so one child serves a whole session (see StreamSystemLog).
 * util-linux on Linux → journald/syslog; the BSD `logger` on macOS → the unified log, as `log` has
 * no command to write.
 */
export function loggerStreamArgv(level: SystemLogLevel): string[] {
  return ['-t', SYSLOG_TAG, '-p', `user.${SYSLOG_PRIORITY[level]}`];
}

/**
 * One entry as one stdin line for `logger`: control characters (newlines above all) become visible
 * escapes, so a hostile peer name cannot start a forged entry of its own, and the line is cut to
 * MAX_LOGGER_LINE_BYTES for the same reason (a longer one would be split into two entries).
 */
export function toLoggerLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => CONTROL_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Buffer.byteLength(safe, 'utf8') <= MAX_LOGGER_LINE_BYTES) return safe;
  const cut = Buffer.from(safe, 'utf8').subarray(0, MAX_LOGGER_LINE_BYTES - 4).toString('utf8');
  // A character cut in half decodes as U+FFFD: drop it rather than log a broken one.
  return `${cut.replace(/\uFFFD+$/, '')} …`;
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `eventcreate /L APPLICATION /SO "Remote Assist" /T <type> /ID 1 /D <text>`. Node quotes each
 * argv element for the Windows command line, so the source name and text need no quoting here.
 * Creating a new source needs administrator rights once; the installer registers it.
 */
export function eventcreateArgv(level: SystemLogLevel, text: string): string[] {
  const description = text.length > MAX_EVENT_TEXT ? `${text.slice(0, MAX_EVENT_TEXT)} …` : text || '(empty)';
  return ['/L', 'APPLICATION', '/SO', EVENT_SOURCE, '/T', EVENT_TYPE[level], '/ID', '1', '/D', description];
}
