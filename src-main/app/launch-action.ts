import net from 'node:net';
import path from 'node:path';
import type { AppOpen } from '../../src-shared/contract/index';

/**
 * What a launch asks for. Every kind only opens a wizard: nothing connects, listens or shares
 * without the user acting in that wizard, whatever the command line or link said.
 */
export type LaunchAction =
  | { kind: 'none' }
  | { kind: 'openFile'; file: string }
  | { kind: 'offer'; host: string }
  | { kind: 'invite'; savePath: string | null }
  /** Refused input (a hostile link, conflicting flags): logged, and the app opens as if plain. */
  | { kind: 'rejected'; reason: string };

/** The invitation file extension the installers associate with the app. */
export const INVITATION_EXTENSION = '.rainvite';

const MAX_PATH = 4096;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
// C0 controls, DEL and the C1 range: never part of a real path or host, often part of an attack.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A computer name or IP address the offer wizard may show; null if it is anything else. */
export function validOfferHost(raw: string): string | null {
  if (CONTROL.test(raw)) return null;
  const host = raw.trim();
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (net.isIP(bare)) return bare;
  return HOSTNAME.test(host) ? host.toLowerCase() : null;
}

/**
 * Checks a path that arrived from outside the user's own typing (a link, a desktop's %U): it must
 * be an absolute local path to a `.rainvite` file. UNC and device paths are refused because merely
 * reading `\\server\share\x` makes Windows send the user's credentials (NTLM) to that server.
 */
export function validLinkedFile(raw: string, platform: NodeJS.Platform = process.platform): { file: string } | { reason: string } {
  if (!raw || raw.length > MAX_PATH) return { reason: 'The file path is empty or too long.' };
  if (CONTROL.test(raw)) return { reason: 'The file path contains control characters.' };
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (/^[\\/]{2}/.test(raw)) return { reason: 'Network (UNC) and device paths are not opened from links.' };
  if (!p.isAbsolute(raw) || (platform === 'win32' && !/^[a-z]:[\\/]/i.test(raw))) return { reason: 'The file path must be absolute.' };
  if (raw.split(/[\\/]/).some((seg) => seg === '..')) return { reason: 'The file path must not contain "..".' };
  if (!raw.toLowerCase().endsWith(INVITATION_EXTENSION)) return { reason: `Only invitation files (${INVITATION_EXTENSION}) are opened from links.` };
  return { file: p.normalize(raw) };
}

/** A path the user typed on the command line: resolved against the working directory. */
export function resolveUserPath(raw: string, cwd: string): string | null {
  if (!raw || raw.length > MAX_PATH || raw.includes('\0')) return null;
  return path.resolve(cwd, raw);
}

/** The wizard an action opens, as the page is told; null for none/rejected. */
export function toAppOpen(a: LaunchAction): AppOpen | null {
  switch (a.kind) {
    case 'openFile':
      return { route: 'help', file: a.file, host: null, savePath: null };
    case 'offer':
      return { route: 'offer', file: null, host: a.host, savePath: null };
    case 'invite':
      return { route: 'invite', file: null, host: null, savePath: a.savePath };
    default:
      return null;
  }
}
