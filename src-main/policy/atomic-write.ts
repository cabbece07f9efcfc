import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file operations an atomic write needs; tests substitute failing ones. */
export interface AtomicWriteFs {
  openSync: typeof fs.openSync;
  writeSync: (fd: number, data: Buffer) => number;
  fsyncSync: typeof fs.fsyncSync;
  closeSync: typeof fs.closeSync;
  renameSync: typeof fs.renameSync;
  rmSync: typeof fs.rmSync;
}

const nodeFs: AtomicWriteFs = {
  openSync: fs.openSync,
  writeSync: (fd, data) => fs.writeSync(fd, data),
  fsyncSync: fs.fsyncSync,
  closeSync: fs.closeSync,
  renameSync: fs.renameSync,
  rmSync: fs.rmSync,
};

/**
 * Replaces `file` with `data` so that a reader (or a crash) sees either the old or the new
 * contents, never a mix: write a temp file beside it, fsync it, rename it over the target, then
 * fsync the folder so the rename itself survives a power cut. Throws the underlying error after
 * removing the temp file.
 */
export function writeFileAtomicSync(file: string, data: string, mode = 0o600, ops: AtomicWriteFs = nodeFs): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = ops.openSync(tmp, 'wx', mode);
  try {
    try {
      const buf = Buffer.from(data, 'utf8');
      let off = 0;
      while (off < buf.length) off += ops.writeSync(fd, buf.subarray(off));
      ops.fsyncSync(fd);
    } finally {
      ops.closeSync(fd);
    }
    ops.renameSync(tmp, file);
  } catch (e) {
    ops.rmSync(tmp, { force: true });
    throw e;
  }
  if (process.platform !== 'win32') {
    try {
      const dfd = fs.openSync(path.dirname(file), 'r');
      try {
        fs.fsyncSync(dfd);
      } finally {
        fs.closeSync(dfd);
      }
    } catch {
      // Some filesystems refuse fsync on a folder; the data itself is already safe.
    }
  }
}
