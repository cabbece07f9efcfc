// Dates and durations as invitations show them. Pure TypeScript, so the page words expiry exactly
// as main's error messages and the CLI do. Locale-independent on purpose: "2025-03-01 14:05" is
// unambiguous everywhere, where "03/01" is not.

const pad = (n: number, width = 2): string => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** `date` in this machine's time zone as `yyyy-mm-dd hh:mm`. */
export function formatLocalDateTime(date: Date): string {
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * `date` as ISO 8601 in this machine's time zone with its offset, to the second
 * (`2025-03-01T14:05:00+01:00`): the reader of an invitation also sees the sender's local time.
 */
export function toIsoWithOffset(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${zone}`;
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A duration in words, rounded down to its largest sensible unit: "less than a minute",
 * "42 minutes", "5 hours 20 minutes" (under 10 hours), "30 hours", "3 days". Sign is ignored.
 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 10 && minutes % 60 !== 0) return `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}`;
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** `yyyymmdd-hhmm` in this machine's time zone, for file names. */
export function fileNameTimestamp(date: Date): string {
  return `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`;
}
