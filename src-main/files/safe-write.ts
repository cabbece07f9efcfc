import { constants as C } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { MAX_NAME_BYTES, withCounter } from './sanitise-name';

/**
 * Writing a received file inside the folder the user chose, and nowhere else.
 *
 * The file is built as `NAME.part` next to its final name, created exclusively (`wx`, plus
 * O_NOFOLLOW where the platform has it) inside the folder's real path, so neither a planted file nor
 * a planted symlink at that name is ever opened. After opening we check that the path still names
 * the file we hold (same device and inode) and that the folder's real path did not change. On
 * success the `.part` is hard-linked to the first free final name (link() fails with EEXIST instead
 * of replacing anything, even a dangling symlink) and then unlinked.
 *
 * Remaining time-of-check/time-of-use limits, all of which need someone who can already write to
 * the chosen folder or one of its parents (and so could damage the user's files anyway):
 * - Node has no openat()/linkat() on a directory handle: paths are resolved again at each step, so a
 *   parent directory swapped for a symlink between our checks redirects the later step. We detect it
 *   after open (real path re-checked) and at commit (inode re-checked), not in between.
 * - Where hard links are unsupported (FAT/exFAT, some network shares), commit falls back to
 *   lstat-then-rename: a name created in that window is replaced (never followed: rename() replaces
 *   a symlink, it does not write through it).
 */

const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
const CREATE_FLAGS = C.O_WRONLY | C.O_CREAT | C.O_EXCL | O_NOFOLLOW;
const PART_SUFFIX = '.part';
/** Final names are kept short enough that `NAME.part` is a legal name too. */
const FINAL_MAX_BYTES = MAX_NAME_BYTES - PART_SUFFIX.length;
/** Received files are readable by the user only; they can widen that themselves. */
const FILE_MODE = 0o600;
/** Free space we leave on the volume beyond the file itself. */
export const FREE_SPACE_MARGIN = 16 * 1024 * 1024;

/** Writes `data` at `position`; injectable so tests can simulate a full disk. */
export type WriteAt = (fh: FileHandle, data: Uint8Array, position: number) => Promise<void>;
/** The parts of `fs.statfs` we use; injectable for tests. */
export type StatFs = (folder: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

/** Writes all of `data` (looping over short writes). */
export const defaultWriteAt: WriteAt = async (fh, data, position) => {
  let done = 0;
  while (done < data.byteLength) {
    const { bytesWritten } = await fh.write(data, done, data.byteLength - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    done += bytesWritten;
  }
};

/** Bytes available to this user in `folder`'s volume, or null when the platform cannot tell. */
export async function freeBytes(folder: string, statfs: StatFs = (f) => fs.statfs(f)): Promise<number | null> {
  try {
    const s = await statfs(folder);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** True when `size` bytes (plus a margin) fit in `folder`'s volume; unknown free space counts as fitting. */
export async function hasRoomFor(folder: string, size: number, statfs?: StatFs): Promise<boolean> {
  const free = await freeBytes(folder, statfs);
  return free === null || free >= size + FREE_SPACE_MARGIN;
}

/** Where and what `PartFile.create` creates. */
export interface PartFileOptions {
  /** The folder the user chose (may itself be a symlink: we write into its real target). */
  folder: string;
  /** An already sanitised file name. */
  name: string;
  /** The exact size promised; writes beyond it are refused. */
  size: number;
  writeAt?: WriteAt;
}

/** A `.part` file being received; `commit()` puts it in place, `abort()` removes it. Both are idempotent. */
export class PartFile {
  private closed = false;
  private settled = false;

  private constructor(
    private readonly fh: FileHandle,
    /** The folder's real path, where the file lives. */
    readonly realFolder: string,
    private readonly name: string,
    /** The counter the `.part` was created with; the final name starts from it. */
    private readonly counter: number,
    /** Full path of the `.part` file. */
    readonly partPath: string,
    private readonly ident: { dev: number; ino: number },
    private readonly size: number,
    private readonly writeAt: WriteAt,
  ) {}

  /** Creates `NAME.part` (or `NAME (n).part`) exclusively in the folder's real path. */
  static async create(opts: PartFileOptions): Promise<PartFile> {
    const realFolder = await fs.realpath(opts.folder);
    const st = await fs.stat(realFolder);
    if (!st.isDirectory()) throw Object.assign(new Error(`${opts.folder} is not a folder`), { code: 'ENOTDIR' });
    for (let n = 0; n < 1000; n++) {
      const finalName = withCounter(opts.name, n, FINAL_MAX_BYTES);
      // Skip names already taken (files, folders, symlinks — dangling ones too) so the part sits next to a free name.
      if (await exists(path.join(realFolder, finalName))) continue;
      const partPath = path.join(realFolder, finalName + PART_SUFFIX);
      let fh: FileHandle;
      try {
        fh = await fs.open(partPath, CREATE_FLAGS, FILE_MODE);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // EEXIST: something (maybe a planted symlink) holds the .part name; ELOOP: O_NOFOLLOW met a symlink.
        if (code === 'EEXIST' || code === 'ELOOP') continue;
        throw e;
      }
      let ident: { dev: number; ino: number } | undefined;
      try {
        const held = await fh.stat();
        ident = { dev: held.dev, ino: held.ino };
        const [onDisk, folderNow] = await Promise.all([fs.lstat(partPath), fs.realpath(opts.folder)]);
        if (!held.isFile() || !sameFile(onDisk, ident) || folderNow !== realFolder) {
          throw Object.assign(new Error('the folder changed while the file was being created'), { code: 'ESTALE' });
        }
        return new PartFile(fh, realFolder, opts.name, n, partPath, ident, opts.size, opts.writeAt ?? defaultWriteAt);
      } catch (e) {
        await fh.close().catch(() => undefined);
        // Without the inode we cannot tell our file from someone else's: leave it rather than guess.
        if (ident) await unlinkIfOurs(partPath, ident);
        throw e;
      }
    }
    throw Object.assign(new Error(`no free name for ${opts.name}`), { code: 'EEXIST' });
  }

  /** Writes `data` at `position`; refuses anything beyond the promised size. */
  async write(data: Uint8Array, position: number): Promise<void> {
    if (this.settled) throw new Error('the file is already closed');
    if (position < 0 || position + data.byteLength > this.size) throw new Error('write beyond the offered size');
    await this.writeAt(this.fh, data, position);
  }

  /**
   * Writes what has been received so far to the disk (fdatasync) without closing. Done now and
   * then while a large file arrives, so the final flush before the rename has little left to do
   * instead of the whole file (and a failing disk shows up early).
   */
  async flush(): Promise<void> {
    if (this.settled) return;
    await this.fh.datasync();
  }

  /**
   * Flushes to disk, then gives the file its final name (the first free of NAME, NAME (1) …).
   * Returns the final path. On failure the `.part` is removed.
   */
  async commit(): Promise<string> {
    if (this.settled) throw new Error('the file is already closed');
    this.settled = true;
    try {
      await this.fh.sync();
      await this.closeHandle();
      if (!sameFile(await fs.lstat(this.partPath), this.ident)) throw new Error('the .part file was replaced');
      for (let n = this.counter; n < this.counter + 1000; n++) {
        const finalPath = path.join(this.realFolder, withCounter(this.name, n, FINAL_MAX_BYTES));
        if (await placeAt(this.partPath, finalPath, this.ident)) {
          await syncFolder(this.realFolder);
          return finalPath;
        }
      }
      throw Object.assign(new Error('no free name for the file'), { code: 'EEXIST' });
    } catch (e) {
      await unlinkIfOurs(this.partPath, this.ident);
      throw e;
    }
  }

  /** Closes and removes the `.part` (only if the path still names our file). Safe to call repeatedly. */
  async abort(): Promise<void> {
    const wasSettled = this.settled;
    this.settled = true;
    await this.closeHandle();
    if (!wasSettled) await unlinkIfOurs(this.partPath, this.ident);
  }

  private async closeHandle(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close().catch(() => undefined);
  }
}

/** Links `part` to `finalPath` without ever replacing an existing entry; false when the name is taken. */
async function placeAt(part: string, finalPath: string, ident: { dev: number; ino: number }): Promise<boolean> {
  try {
    await fs.link(part, finalPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    // No hard links on this file system: exclusive check, then rename (see the TOCTOU note above).
    if (await exists(finalPath)) return false;
    await fs.rename(part, finalPath);
    return true;
  }
  if (!sameFile(await fs.lstat(finalPath), ident)) throw new Error('the file changed while it was being renamed');
  await fs.unlink(part);
  return true;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

function sameFile(st: { dev: number; ino: number; isFile(): boolean }, ident: { dev: number; ino: number }): boolean {
  return st.isFile() && st.dev === ident.dev && st.ino === ident.ino;
}

/** Removes `p` if it is still the regular file we created (never a symlink or someone else's file). */
async function unlinkIfOurs(p: string, ident: { dev: number; ino: number }): Promise<void> {
  try {
    if (sameFile(await fs.lstat(p), ident)) await fs.unlink(p);
  } catch {
    // Already gone, or not ours: nothing to remove.
  }
}

/** Makes the new directory entry durable; not possible (nor needed) on Windows. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const dir = await fs.open(folder, 'r').catch(() => null);
  if (!dir) return;
  await dir.sync().catch(() => undefined);
  await dir.close().catch(() => undefined);
}
