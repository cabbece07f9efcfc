import fs from 'node:fs';
import path from 'node:path';
import { chainHash } from './audit-chain';

/** The file operations the log needs, synchronous so a returned `record()` is already on disk. Tests inject failures. */
export interface LogFileIO {
  mkdirp(dir: string): void;
  /** Opens for appending, creating the file; with `exclusive`, fails with EEXIST when it exists. */
  openAppend(file: string, exclusive: boolean): number;
  /** Writes the whole buffer (at the end: the file is opened for appending). */
  write(fd: number, data: Uint8Array): void;
  /** Forces the written bytes to the disk. */
  sync(fd: number): void;
  truncate(fd: number, size: number): void;
  close(fd: number): void;
  /** Deletes a file (best effort: a header that could not be written leaves no empty file behind). */
  remove(file: string): void;
}

/** The real thing: O_APPEND writes and fdatasync (data and file size reach the disk before `record()` returns). */
export const nodeLogFileIO: LogFileIO = {
  mkdirp: (dir) => void fs.mkdirSync(dir, { recursive: true }),
  openAppend: (file, exclusive) => fs.openSync(file, exclusive ? 'ax' : 'a', 0o600),
  write: (fd, data) => {
    let done = 0;
    while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
  },
  sync: (fd) => fs.fdatasyncSync(fd),
  truncate: (fd, size) => fs.ftruncateSync(fd, size),
  close: (fd) => fs.closeSync(fd),
  remove: (file) => fs.rmSync(file, { force: true }),
};

/** A short human reason for a file-system error: "the disk is full", "permission denied" … */
export function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way of the folder';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EIO':
      return 'the disk reported an input/output error';
    case 'ENOENT':
      return 'the folder does not exist';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/** Where the chain stands: the last line written and its hash. */
export interface ChainState {
  lastSeq: number;
  lastHash: string;
  /** File size after the last complete line; a failed write is cut back to it. */
  size: number;
}

/**
 * Appends hash-chained JSON lines to one file, one write + one sync per line. JavaScript runs one
 * `append` at a time, so lines never interleave. After a failed write the file is cut back to
 * the last complete line (so it still verifies) and the writer refuses further lines.
 */
export class ChainedLogWriter {
  private fd: number | null;

  private constructor(
    private readonly io: LogFileIO,
    readonly file: string,
    fd: number,
    private state: ChainState,
  ) {
    this.fd = fd;
  }

  /** Creates `<dir>/<stem>.jsonl`, or `<stem>-2.jsonl`, `-3` … if taken: never overwrites a log. */
  static createUnique(io: LogFileIO, dir: string, stem: string, genesis: string): ChainedLogWriter {
    io.mkdirp(dir);
    for (let n = 1; ; n++) {
      const file = path.join(dir, n === 1 ? `${stem}.jsonl` : `${stem}-${n}.jsonl`);
      try {
        return new ChainedLogWriter(io, file, io.openAppend(file, true), { lastSeq: 0, lastHash: genesis, size: 0 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 9999) throw e;
      }
    }
  }

  /** Continues an existing file whose last complete line is `state`. */
  static resume(io: LogFileIO, file: string, state: ChainState): ChainedLogWriter {
    return new ChainedLogWriter(io, file, io.openAppend(file, false), state);
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  get lastSeq(): number {
    return this.state.lastSeq;
  }

  get lastHash(): string {
    return this.state.lastHash;
  }

  /**
   * Builds line `seq` (the caller orders the keys), adds its hash, writes and syncs it. Throws the
   * I/O error after cutting the file back; the writer is closed from then on.
   */
  append<L extends Record<string, unknown>>(build: (seq: number) => L): L & { hash: string } {
    if (this.fd === null) throw Object.assign(new Error('the log file is closed'), { code: 'ECLOSED' });
    const seq = this.state.lastSeq + 1;
    const body = build(seq);
    const hash = chainHash(this.state.lastHash, body);
    const line = { ...body, hash };
    const bytes = Buffer.from(JSON.stringify(line) + '\n', 'utf8');
    try {
      this.io.write(this.fd, bytes);
      this.io.sync(this.fd);
    } catch (e) {
      this.abandon();
      throw e;
    }
    this.state = { lastSeq: seq, lastHash: hash, size: this.state.size + bytes.length };
    return line;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      this.io.close(fd);
    } catch {
      // Every line was synced when written; a failing close loses nothing.
    }
  }

  /** Removes a partly written line, best effort, then closes. */
  private abandon(): void {
    const fd = this.fd;
    if (fd === null) return;
    try {
      this.io.truncate(fd, this.state.size);
      this.io.sync(fd);
    } catch {
      // If even that fails, the reader reports the partial line as a truncated tail.
    }
    this.close();
  }
}

/**
 * Where an existing file's chain stands, read from its last line; null when the file does not end
 * with a complete, well-formed line (then a new file is started rather than extending a damaged one).
 */
export function readChainState(file: string): (ChainState & { sessionId: string }) | null {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (size === 0) return null;
    for (let window = Math.min(size, 64 * 1024); ; window = Math.min(size, window * 4)) {
      const buf = Buffer.alloc(window);
      fs.readSync(fd, buf, 0, window, size - window);
      if (buf[buf.length - 1] !== 0x0a) return null;
      const prev = buf.lastIndexOf(0x0a, buf.length - 2);
      if (prev === -1 && window < size) continue;
      const line = JSON.parse(buf.subarray(prev + 1, buf.length - 1).toString('utf8')) as Record<string, unknown>;
      const { seq, hash, sessionId } = line;
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return null;
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || typeof sessionId !== 'string') return null;
      return { lastSeq: seq, lastHash: hash, size, sessionId };
    }
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
