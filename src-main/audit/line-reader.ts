import fs from 'node:fs/promises';

/** One line of a log file, with its byte range (newline excluded). */
export interface RawLine {
  /** 1-based line number (counted from `firstLineNo`). */
  lineNo: number;
  text: string;
  start: number;
  end: number;
  /** False for a last line without its newline: the writer stopped in the middle of it. */
  terminated: boolean;
}

const NL = 0x0a;

/**
 * Streams the lines of a file in 1 MiB reads, never holding more than one chunk plus one line.
 * Splitting on the 0x0A byte is safe in UTF-8: it never occurs inside a multi-byte character.
 */
export async function* readLines(file: string, fromOffset = 0, firstLineNo = 1, chunkSize = 1 << 20): AsyncGenerator<RawLine> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkSize);
    let pos = fromOffset;
    let lineStart = fromOffset;
    let lineNo = firstLineNo;
    let carry: Buffer[] = [];
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, chunkSize, pos);
      if (bytesRead === 0) break;
      let from = 0;
      for (let i = buf.indexOf(NL, 0); i !== -1 && i < bytesRead; i = buf.indexOf(NL, i + 1)) {
        const piece = buf.subarray(from, i);
        const text = carry.length ? Buffer.concat([...carry, piece]).toString('utf8') : piece.toString('utf8');
        carry = [];
        yield { lineNo: lineNo++, text, start: lineStart, end: pos + i, terminated: true };
        lineStart = pos + i + 1;
        from = i + 1;
      }
      if (from < bytesRead) carry.push(Buffer.from(buf.subarray(from, bytesRead)));
      pos += bytesRead;
    }
    if (carry.length) yield { lineNo, text: Buffer.concat(carry).toString('utf8'), start: lineStart, end: pos, terminated: false };
  } finally {
    await handle.close();
  }
}

/** Reads the bytes [start, end) of an open file. */
export async function readRange(handle: fs.FileHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(Math.max(0, end - start));
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, start + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/** The first line of the file (up to `maxBytes`), or null when the file is empty or has no newline that early. */
export async function readFirstLine(handle: fs.FileHandle, size: number, maxBytes = 1 << 20): Promise<string | null> {
  for (let window = Math.min(size, 16 * 1024); ; window = Math.min(size, maxBytes, window * 8)) {
    const buf = await readRange(handle, 0, window);
    const nl = buf.indexOf(NL);
    if (nl !== -1) return buf.subarray(0, nl).toString('utf8');
    if (window >= size || window >= maxBytes) return null;
  }
}

/** The last complete lines of a file, read backwards from the end in a growing window. */
export interface Tail {
  /** Complete lines (each had its newline), oldest first; the first may be the header when the file is small. */
  lines: string[];
  /** Bytes after the last newline: a line the writer did not finish (a crash mid-write). */
  partial: string | null;
  /** True when `lines` starts at the beginning of the file (the whole file was read). */
  fromStart: boolean;
}

/** Reads at least `minBytes` from the end, growing until one complete line is found. */
export async function readTail(handle: fs.FileHandle, size: number, minBytes = 16 * 1024): Promise<Tail> {
  for (let window = Math.min(size, minBytes); ; window = Math.min(size, window * 4)) {
    const start = size - window;
    const buf = await readRange(handle, start, size);
    const lastNl = buf.lastIndexOf(NL);
    const partial = lastNl === buf.length - 1 ? null : buf.subarray(lastNl + 1).toString('utf8');
    // Text before the first newline is a fragment of a longer line unless the window starts the file.
    const firstNl = start === 0 ? -1 : buf.indexOf(NL);
    const complete = lastNl === -1 || firstNl === lastNl ? '' : buf.subarray(firstNl + 1, lastNl).toString('utf8');
    const lines = complete === '' && (lastNl === -1 || firstNl === lastNl) ? [] : complete.split('\n');
    if (lines.length > 0 || start === 0) return { lines, partial: partial === '' ? null : partial, fromStart: start === 0 };
  }
}

/** The complete lines within the first `maxBytes` of a file (the start of a session: how it began). */
export async function readHeadLines(handle: fs.FileHandle, size: number, maxBytes = 16 * 1024): Promise<string[]> {
  // A tail read of a file cut at `maxBytes` is exactly that: the lines that end before it.
  return (await readTail(handle, Math.min(size, maxBytes), maxBytes)).lines;
}
