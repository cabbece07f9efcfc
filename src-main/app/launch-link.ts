import { fileURLToPath } from 'node:url';
import { validLinkedFile, validOfferHost, type LaunchAction } from './launch-action';

/** The URL scheme the installers register (electron-builder.json `protocols`). */
export const LINK_SCHEME = 'remote-assist';

const MAX_LINK = 4096;
/** Each link verb and the one parameter it may carry: anything else is refused, not ignored. */
const VERBS = { open: 'file', offer: 'host' } as const;

/** True when `arg` looks like one of our links (so argv scanning hands it here). */
export function isAppLink(arg: string): boolean {
  return arg.slice(0, LINK_SCHEME.length + 1).toLowerCase() === `${LINK_SCHEME}:`;
}

/**
 * Parses `remote-assist://open?file=/abs/path.rainvite` and `remote-assist://offer?host=NAME`.
 * Any web page can make the browser launch such a link, so this is a strict allow-list: two verbs,
 * one parameter each, validated values, and the result can only open a wizard.
 */
export function parseAppLink(raw: string, platform: NodeJS.Platform = process.platform): LaunchAction {
  const reject = (reason: string): LaunchAction => ({ kind: 'rejected', reason: `Ignored a remote-assist link: ${reason}` });
  if (raw.length > MAX_LINK) return reject('it is too long.');
  if (!isAppLink(raw)) return reject('it is not a remote-assist: link.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return reject('it is not a well-formed address.');
  }
  if (url.username || url.password || url.port || url.hash) return reject('it carries parts a Remote Assist link never has.');
  const verb = url.host.toLowerCase();
  // `remote-assist://open?…` and `remote-assist://open/?…` (Windows may add the slash); nothing longer.
  if (!raw.slice(LINK_SCHEME.length + 1).startsWith('//') || (url.pathname !== '' && url.pathname !== '/')) return reject('its form is not remote-assist://open?file=… or remote-assist://offer?host=….');
  if (verb !== 'open' && verb !== 'offer') return reject(`"${verb.slice(0, 40)}" is not something a link may ask for.`);
  const key = VERBS[verb];
  const keys = [...url.searchParams.keys()];
  if (keys.length !== 1 || keys[0] !== key) return reject(`it must carry exactly one "${key}" parameter.`);
  const value = url.searchParams.get(key) ?? '';
  if (verb === 'offer') {
    const host = validOfferHost(value);
    return host ? { kind: 'offer', host } : reject('the computer name is not a valid name or address.');
  }
  const file = validLinkedFile(value, platform);
  return 'file' in file ? { kind: 'openFile', file: file.file } : reject(file.reason);
}

/**
 * A `file:` URL (desktops may pass them for `%U`) as an invitation path; only local files
 * (no host part: `file://server/share` would reach the network), checked like a link's path.
 */
export function parseFileUrl(raw: string, platform: NodeJS.Platform = process.platform): LaunchAction {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'rejected', reason: 'Ignored a file address that is not well-formed.' };
  }
  if (url.protocol !== 'file:' || (url.host !== '' && url.host !== 'localhost') || url.search || url.hash) {
    return { kind: 'rejected', reason: 'Ignored a file address that is not a local file.' };
  }
  let file: string;
  try {
    file = fileURLToPath(url, { windows: platform === 'win32' });
  } catch {
    return { kind: 'rejected', reason: 'Ignored a file address that is not a local file.' };
  }
  const checked = validLinkedFile(file, platform);
  return 'file' in checked ? { kind: 'openFile', file: checked.file } : { kind: 'rejected', reason: `Ignored a file address: ${checked.reason}` };
}
