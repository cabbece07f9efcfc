import fs from 'node:fs';
import path from 'node:path';

export interface LoggedLine {
  seq: number;
  event: { type: string } & Record<string, unknown>;
}

/** The session log files of a profile (newest last). */
export function logFiles(profileDir: string): string[] {
  const dir = path.join(profileDir, 'Documents', 'Remote Assistance Logs');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => /^\d{14}(-\d+)?\.jsonl$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Every complete line of a log file, parsed. */
export function readLog(file: string): LoggedLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LoggedLine);
}

/** The event types recorded across all of a profile's logs. */
export function eventTypes(profileDir: string): Set<string> {
  return new Set(logFiles(profileDir).flatMap((f) => readLog(f).map((l) => l.event.type)));
}
