/** Severity in the system log (syslog `info`/`warning`/`err`, Event Log INFORMATION/WARNING/ERROR). */
export type SystemLogLevel = 'info' | 'warning' | 'error';

/** Facts attached to a system-log entry; short scalars only. */
export type SystemLogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * The machine's own log (journald/syslog, the Windows Event Log, the macOS unified log): where an
 * administrator looks, and a copy of the key audit events the user cannot edit. Never throws.
 */
export interface SystemLog {
  write(level: SystemLogLevel, message: string, fields?: SystemLogFields): void;
}

/**
 * One line of text for adapters that take only a message: `message key=value key="quoted value"`.
 * Values are JSON-quoted when they hold spaces, quotes or control characters, so a hostile peer
 * name cannot fake a second log entry or a field.
 */
export function formatSystemLogText(message: string, fields?: SystemLogFields): string {
  if (!fields) return message;
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const s = String(v);
      return `${k}=${/^[\w.:@/+-]+$/.test(s) ? s : JSON.stringify(s)}`;
    });
  return parts.length ? `${message} ${parts.join(' ')}` : message;
}

/** A system log that drops everything: where no sink is available (said once by `selectSystemLog`). */
export const nullSystemLog: SystemLog = { write: () => {} };

/** Keeps entries in memory, for tests of services that write to the system log. */
export function createMemorySystemLog(): SystemLog & { entries: { level: SystemLogLevel; message: string; fields?: SystemLogFields }[] } {
  const entries: { level: SystemLogLevel; message: string; fields?: SystemLogFields }[] = [];
  return { entries, write: (level, message, fields) => void entries.push(fields ? { level, message, fields } : { level, message }) };
}
