/** Text helpers for what the user and the logs see about a transfer. */

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (binary multiples, the way file managers count). */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))} ${UNITS[u]}`;
}

/**
 * A reason the peer sent, made safe to show and log: no control or escape characters (terminal
 * injection in logs), no bidi overrides (text that reads differently from what it is), bounded length.
 */
export function cleanPeerText(s: string, max = 200): string {
  const cleaned = s
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]?/g, '')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (cleaned.length > max ? cleaned.slice(0, max - 1) + '…' : cleaned) || 'no reason given';
}

/** An I/O error as a sentence for the user (the code stays in the log). */
export function describeIoError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'there is not enough disk space';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission to write there was denied';
    case 'ENOENT':
      return 'the file or folder no longer exists';
    case 'EISDIR':
      return 'that is a folder, not a file';
    case 'ENOTDIR':
      return 'the chosen folder is not a folder';
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'ESTALE':
      return 'the folder changed while the file was being saved';
    default:
      return code ? `a disk error occurred (${code})` : e instanceof Error ? e.message : 'an unexpected error occurred';
  }
}
