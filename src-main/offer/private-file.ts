/**
 * Writing files that hold secrets (private keys) or trust decisions (pinned host keys): created
 * with mode 0600 from the first byte, written completely to a temp file and fsynced before they
 * appear under their name, so a crash or a concurrent reader never sees half a key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomicSync } from '../policy/atomic-write';

/** Replaces `file` atomically with `text` (mode 0600); creates its folder (0700) if needed. */
export function writePrivateFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomicSync(file, text, 0o600);
}

/**
 * Creates `file` with `text` only if it does not exist yet; returns false when another process (a
 * second app instance, the CLI) created it first. The complete file is hard-linked into place,
 * which fails with EEXIST instead of overwriting: two first runs can never end up holding two
 * different keys, one of them lost.
 */
export function createPrivateFileExclusive(file: string, text: string): boolean {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.linkSync(tmp, file);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // Filesystems without hard links: a rename is still atomic, only the race check is weaker.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw e;
      if (fs.existsSync(file)) return false;
      fs.renameSync(tmp, file);
      return true;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Reads a small text file, or null if it does not exist. Other errors are thrown. */
export function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Tightens a private file that others may read (copied with `cp`, restored from a backup) back to
 * 0600. Returns true when it had to. POSIX only; Windows has no mode bits to check.
 */
export function repairPrivateMode(file: string): boolean {
  if (process.platform === 'win32') return false;
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return false;
  fs.chmodSync(file, 0o600);
  return true;
}
