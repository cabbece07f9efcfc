import fs from 'node:fs/promises';
import path from 'node:path';

/** What an offered name becomes when nothing usable is left of it. */
export const FALLBACK_FILE_NAME = 'received-file';

/** Most file systems (ext4, APFS, NTFS in UTF-16 units) allow 255 units per name; UTF-8 bytes is the strictest reading. */
export const MAX_NAME_BYTES = 255;

// ESC-introduced sequences: CSI (ESC [ … final), OSC / DCS / PM / APC / SOS (ESC ] … BEL or ESC \), and
// two-byte escapes, and the 8-bit CSI (U+009B). Removed whole, so `\x1b[31mred` becomes `red` and not `[31mred`.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_ESCAPES = /\u009b[0-?]*[ -/]*[@-~]?|\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)/g;
// C0, DEL and C1 controls (C1 includes the one-character CSI U+009B).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
// Invisible and direction-changing characters that make a name display differently from what it
// is (`evil\u202Etxt.exe` shows as `evilexe.txt`): bidi embeddings/overrides/isolates, LRM/RLM/ALM,
// zero-width characters, line/paragraph separators, word joiner and invisible operators, BOM.
const INVISIBLE = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
// Lone surrogates cannot be encoded as UTF-8 (they would turn into U+FFFD on disk).
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Characters Windows refuses in names (`:` also opens NTFS alternate data streams).
const WINDOWS_INVALID = /[<>:"|?*]/g;
// Windows device names, with or without an extension, any case (`nul.txt` opens the NUL device).
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;
const encoder = new TextEncoder();

/** UTF-8 length of `s`. */
export function utf8Bytes(s: string): number {
  return encoder.encode(s).byteLength;
}

/**
 * Turns a name offered by the peer into one safe to create inside the chosen folder on any of our
 * platforms, and honest to display. Deterministic; the result is never empty, never `.`/`..`, never
 * contains a separator, and is at most `maxBytes` UTF-8 bytes.
 *
 * Leading dots are removed too: a peer must not be able to drop a hidden file (`.bashrc`,
 * `.htaccess`, `.npmrc`) that tools working in that folder pick up by name, and the user should see
 * what arrived.
 */
export function sanitiseFileName(raw: string, maxBytes = MAX_NAME_BYTES): string {
  let name = String(raw).replace(LONE_SURROGATES, '').normalize('NFC');
  // Control and invisible characters go first, so that they cannot hide a separator or a dot.
  name = name.replace(ANSI_ESCAPES, '').replace(CONTROLS, '').replace(INVISIBLE, '');
  // Only the last path component counts: covers `../x`, `/etc/x`, `C:\x`, `\\?\C:\x`, `\\server\share\x`.
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  // A drive-relative name (`C:x`) keeps only what follows the drive.
  name = name.replace(/^[A-Za-z]:/, '');
  name = name.replace(WINDOWS_INVALID, '_').normalize('NFC');
  name = trimEnds(name);
  name = guardReserved(name);
  name = fitName(name, maxBytes);
  return name === '' ? FALLBACK_FILE_NAME : name;
}

/** Splits `report.final.pdf` into `report.final` and `.pdf`; a name without a usable extension has ext ''. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  // No extension for `name`, `.hidden` or absurdly long "extensions" (they are kept only if they fit).
  if (dot <= 0 || dot === name.length - 1 || utf8Bytes(name.slice(dot)) > 64) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/**
 * Shortens `name` to at most `maxBytes` UTF-8 bytes, cutting the stem (at a code-point boundary)
 * and keeping the extension where it fits. Already short names are returned unchanged.
 */
export function fitName(name: string, maxBytes = MAX_NAME_BYTES): string {
  if (utf8Bytes(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  const extBytes = utf8Bytes(ext);
  if (ext && extBytes < maxBytes / 2) {
    const cut = trimEnds(truncateUtf8(stem, maxBytes - extBytes));
    if (cut) return cut + ext;
  }
  return trimEnds(truncateUtf8(name, maxBytes));
}

/** `name` with " (n)" before its extension, still within `maxBytes` (the stem gives way). */
export function withCounter(name: string, n: number, maxBytes = MAX_NAME_BYTES): string {
  if (n === 0) return fitName(name, maxBytes);
  const { stem, ext } = splitExtension(name);
  const suffix = ` (${n})${ext}`;
  const room = maxBytes - utf8Bytes(suffix);
  if (room <= 0) return fitName(`${n}`, maxBytes);
  return (trimEnds(truncateUtf8(stem, room)) || FALLBACK_FILE_NAME.slice(0, room)) + suffix;
}

/**
 * The first of `name`, `name (1)`, `name (2)` … that does not exist in `folder` (a dangling symlink
 * counts as existing). Returns the full path. Only a hint: creating the file must still be
 * exclusive (safe-write does that), since another process may take the name in the meantime.
 */
export async function uniqueTarget(folder: string, name: string, maxBytes = MAX_NAME_BYTES): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const candidate = path.join(folder, withCounter(name, n, maxBytes));
    try {
      await fs.lstat(candidate);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return candidate;
      throw e;
    }
  }
  throw new Error(`no free name for ${name} in ${folder}`);
}

/** Windows drops trailing dots and spaces (so `a.txt.` would silently become `a.txt`); a leading dot hides the file. */
function trimEnds(name: string): string {
  return name.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '');
}

function guardReserved(name: string): string {
  // Windows checks the part before the first dot, ignoring trailing spaces (`CON .txt` is CON too).
  const base = name.split('.')[0]?.replace(/ +$/, '') ?? '';
  return RESERVED.test(base) ? `_${name}` : name;
}

function truncateUtf8(s: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const b = utf8Bytes(ch);
    if (bytes + b > maxBytes) break;
    bytes += b;
    out += ch;
  }
  return out;
}
