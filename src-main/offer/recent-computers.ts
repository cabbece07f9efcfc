/**
 * The helper's "recent computers": the last 10 addresses that answered an offer with a valid host
 * signature (typos and unreachable names are not kept). A convenience list, not a trust decision:
 * a damaged file is logged, read as empty, and replaced at the next save.
 */
import path from 'node:path';
import { z } from 'zod';
import { RecentComputer } from '../../src-shared/contract/offer';
import type { AppLogger } from '../platform/app-logger';
import { readIfExists, writePrivateFile } from './private-file';

/** How many computers the list keeps. */
export const MAX_RECENT_COMPUTERS = 10;

const FileSchema = z.object({ version: z.literal(1), computers: z.array(RecentComputer).max(100) }).strict();

/** The recent-computers list of one profile. */
export class RecentComputers {
  readonly file: string;

  constructor(
    configDir: string,
    private readonly logger?: AppLogger,
  ) {
    this.file = path.join(configDir, 'recent-computers.json');
  }

  /** Most recent first. */
  list(): RecentComputer[] {
    try {
      const text = readIfExists(this.file);
      if (text === null) return [];
      const parsed = FileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.computers.slice(0, MAX_RECENT_COMPUTERS);
    } catch {
      // fall through
    }
    this.logger?.warn('the recent computers list was unreadable; starting a new one', { file: this.file });
    return [];
  }

  /** Moves (or adds) `host:port` to the top and keeps the newest ten. Failures are logged, never thrown. */
  add(entry: Omit<RecentComputer, 'lastUsedAt'>, now = new Date()): void {
    const same = (c: RecentComputer) => c.host.toLowerCase() === entry.host.toLowerCase() && c.port === entry.port;
    const computers = [{ ...entry, lastUsedAt: now.toISOString() }, ...this.list().filter((c) => !same(c))].slice(0, MAX_RECENT_COMPUTERS);
    try {
      writePrivateFile(this.file, JSON.stringify({ version: 1, computers }, null, 2) + '\n');
    } catch (e) {
      this.logger?.warn('could not save the recent computers list', { file: this.file, error: (e as Error).message });
    }
  }
}
