import fs from 'node:fs/promises';
import { AppError } from '../../src-shared/contract/errors';
import type { AuditLine, HeaderLine } from './audit-events';
import { readLines, readRange } from './line-reader';

function parseLine(text: string): AuditLine | HeaderLine | null {
  try {
    const v = JSON.parse(text) as { seq?: unknown; event?: { type?: unknown } } | null;
    if (v === null || typeof v !== 'object' || typeof v.seq !== 'number' || typeof v.event?.type !== 'string') return null;
    return v as AuditLine | HeaderLine;
  } catch {
    return null;
  }
}

/** The text a search looks in: the event's values and the peer. */
function haystack(line: AuditLine): string {
  const values = Object.values(line.event).filter((v) => typeof v === 'string' || typeof v === 'number');
  return [...values, line.peerName ?? '', line.peerAddress ?? ''].join('\n').toLowerCase();
}

const MAX_CACHED_FILES = 8;
const MAX_CACHED_SEARCHES = 4;

/**
 * Byte offsets and types of every event line of one file, built by one streaming pass, so a page
 * of a 100 000-event log reads only that page's bytes. Kept for the few most recent files and
 * extended, not rebuilt, when a live log grows.
 */
export class EventIndex {
  private static readonly cache = new Map<string, EventIndex>();

  header: HeaderLine | null = null;
  truncatedTail = false;
  readonly malformed: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly lineNos: number[] = [];
  private readonly types: string[] = [];
  private readonly searches = new Map<string, number[]>();
  private size = 0;
  private mtimeMs = 0;
  private scannedTo = 0;
  private nextLineNo = 1;
  /** False when the last line had no newline: then any change means reading the file again. */
  private cleanEnd = true;

  private constructor(readonly file: string) {}

  private static readonly pending = new Map<string, Promise<EventIndex>>();

  /** The index of `file`, from the cache when the file has not changed. Calls for one file run one after another. */
  static for(file: string): Promise<EventIndex> {
    const previous = EventIndex.pending.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => EventIndex.refresh(file));
    EventIndex.pending.set(file, next);
    void next
      .finally(() => {
        if (EventIndex.pending.get(file) === next) EventIndex.pending.delete(file);
      })
      .catch(() => undefined);
    return next;
  }

  private static async refresh(file: string): Promise<EventIndex> {
    const st = await fs.stat(file).catch((e: NodeJS.ErrnoException) => {
      throw new AppError(e.code === 'ENOENT' ? 'not-found' : 'io', `The log ${file} cannot be read: ${e.message}`);
    });
    let index = EventIndex.cache.get(file);
    if (index && index.size === st.size && index.mtimeMs === st.mtimeMs) return index;
    // A file that only grew after a clean last line is extended; anything else is re-read.
    if (!index || st.size < index.size || !index.cleanEnd) index = new EventIndex(file);
    await index.extend();
    index.size = st.size;
    index.mtimeMs = st.mtimeMs;
    EventIndex.cache.delete(file);
    EventIndex.cache.set(file, index);
    if (EventIndex.cache.size > MAX_CACHED_FILES) EventIndex.cache.delete(EventIndex.cache.keys().next().value as string);
    return index;
  }

  get count(): number {
    return this.starts.length;
  }

  /** Indexes of the events that match, in file order. */
  async matching(types?: readonly string[], search?: string): Promise<number[]> {
    let result: number[];
    const term = search?.trim().toLowerCase();
    if (term) {
      const hit = this.searches.get(term);
      result = hit ?? (await this.search(term));
      if (!hit) {
        this.searches.set(term, result);
        if (this.searches.size > MAX_CACHED_SEARCHES) this.searches.delete(this.searches.keys().next().value as string);
      }
    } else {
      result = Array.from({ length: this.count }, (_, i) => i);
    }
    if (types && types.length) {
      const wanted = new Set(types);
      result = result.filter((i) => wanted.has(this.types[i] as string));
    }
    return result;
  }

  /** Reads and parses the given events, one read per run of neighbouring lines. */
  async load(indexes: readonly number[]): Promise<AuditLine[]> {
    const out: AuditLine[] = [];
    const handle = await fs.open(this.file, 'r');
    try {
      for (let i = 0; i < indexes.length; ) {
        let j = i;
        while (j + 1 < indexes.length && indexes[j + 1] === (indexes[j] as number) + 1) j++;
        const first = indexes[i] as number;
        const last = indexes[j] as number;
        const text = (await readRange(handle, this.starts[first] as number, this.ends[last] as number)).toString('utf8');
        for (const lineText of text.split('\n')) {
          const line = parseLine(lineText);
          if (line && line.event.type !== 'log.header') out.push(line as AuditLine);
        }
        i = j + 1;
      }
    } finally {
      await handle.close();
    }
    return out;
  }

  private async extend(): Promise<void> {
    this.searches.clear();
    for await (const raw of readLines(this.file, this.scannedTo, this.nextLineNo)) {
      const line = parseLine(raw.text);
      if (!raw.terminated) {
        this.cleanEnd = false;
        // A line the writer did not finish: keep what came before and say so. A complete line
        // that only lacks its newline (an editor stripped it) is still an event.
        this.truncatedTail = line === null;
        if (line === null) break;
      }
      this.nextLineNo = raw.lineNo + 1;
      this.scannedTo = raw.terminated ? raw.end + 1 : raw.end;
      if (!line) {
        if (raw.text.trim() !== '') this.malformed.push(raw.lineNo);
        continue;
      }
      if (line.event.type === 'log.header') {
        if (raw.lineNo === 1) this.header = line as HeaderLine;
        else this.malformed.push(raw.lineNo);
        continue;
      }
      this.starts.push(raw.start);
      this.ends.push(raw.end);
      this.lineNos.push(raw.lineNo);
      this.types.push(line.event.type);
    }
  }

  private async search(term: string): Promise<number[]> {
    const found: number[] = [];
    let j = 0;
    for await (const raw of readLines(this.file)) {
      if (raw.start >= this.scannedTo) break;
      while (j < this.count && (this.lineNos[j] as number) < raw.lineNo) j++;
      if (this.lineNos[j] !== raw.lineNo) continue;
      const line = parseLine(raw.text);
      if (line && haystack(line as AuditLine).includes(term)) found.push(j);
    }
    return found;
  }
}
