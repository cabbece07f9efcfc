import { createHash } from 'node:crypto';

/**
 * Canonical JSON (RFC 8785 / JCS for the values a log holds): object keys sorted by UTF-16 code
 * units, no whitespace, numbers and strings as `JSON.stringify` writes them. The hash must not
 * depend on key order, so a verifier in any language can recompute it from the parsed line.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; a parsed line never holds them.
    if (s === undefined) throw new TypeError(`no canonical JSON for ${typeof value}`);
    return s;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** SHA-256 hex of the previous line's hash followed by this line's canonical JSON (without `hash`). */
export function chainHash(previousHash: string, lineWithoutHash: Record<string, unknown>): string {
  return createHash('sha256').update(previousHash, 'utf8').update(canonicalJson(lineWithoutHash), 'utf8').digest('hex');
}

/** Returns the line without its `hash` field (what the hash covers). */
export function withoutHash(line: Record<string, unknown>): Record<string, unknown> {
  const { hash: _hash, ...rest } = line;
  return rest;
}

/** Minutes east of UTC at a moment, as the machine's time zone says. */
export const systemUtcOffset = (at: Date): number => -at.getTimezoneOffset();

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `+01:00`, `-03:30`, `+00:00` for an offset in minutes east of UTC. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMinutes));
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The wall-clock fields at `at` in a zone `offsetMinutes` east of UTC. */
function wallClock(at: Date, offsetMinutes: number) {
  const d = new Date(at.getTime() + Math.round(offsetMinutes) * 60_000);
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds() };
}

/** ISO 8601 local time with its offset: `2026-11-25T14:03:07.123+01:00`. */
export function formatLocalIso(at: Date, offsetMinutes: number): string {
  const w = wallClock(at, offsetMinutes);
  return `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}.${pad(w.ms, 3)}${formatOffset(offsetMinutes)}`;
}

/** `YYYYMMDDHHMMSS` in local time: the session file's name, as Windows Remote Assistance names them. */
export function fileStamp(at: Date, offsetMinutes: number): string {
  const w = wallClock(at, offsetMinutes);
  return `${pad(w.y, 4)}${pad(w.mo)}${pad(w.d)}${pad(w.h)}${pad(w.mi)}${pad(w.s)}`;
}

/** `YYYYMMDD` in local time, for the daily listener file. */
export function dayStamp(at: Date, offsetMinutes: number): string {
  return fileStamp(at, offsetMinutes).slice(0, 8);
}
