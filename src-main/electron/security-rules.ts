// The security decisions of the Electron glue, as plain functions (no 'electron' import), so they
// are unit-tested in plain Node while the glue that applies them stays a few lines.

/** Opens externally only real web links: http(s). Never file:, smb:, javascript: or custom schemes. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A window may only ever show our own app origin; every other navigation is refused. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  try {
    // Not URL.origin: for a custom scheme such as app:// it is the opaque "null" for every host.
    const u = new URL(url);
    const app = new URL(appOrigin);
    return u.protocol === app.protocol && u.host === app.host;
  } catch {
    return false;
  }
}

/**
 * Deny-by-default permissions. Granted only to our own page: display capture while main's session
 * flow says the user consented to share, and writing to the clipboard (the Copy buttons for a
 * password or a helper ID). Reading the clipboard is never granted: nothing of the user's
 * clipboard may reach the page, and so the peer.
 */
export function permissionDecision(permission: string, requestingUrl: string, appOrigin: string, sharing: boolean): boolean {
  if (!isAllowedNavigation(requestingUrl, appOrigin)) return false;
  if (permission === 'clipboard-sanitized-write') return true;
  return permission === 'display-capture' && sharing;
}

/** IPC is accepted only from the main frame of one of our windows, showing our origin. */
export function isTrustedIpcSender(sender: { isMainFrame: boolean; url: string; ownWindow: boolean }, appOrigin: string): boolean {
  return sender.ownWindow && sender.isMainFrame && isAllowedNavigation(sender.url, appOrigin);
}

/** Schemes that reach beyond the app: the network, or the user's files. */
const REMOTE_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:']);

/**
 * Requests our session lets through. The page is entirely local (app://), so any request to the
 * network or to file:// is refused in main, below the CSP: even a page whose CSP was somehow
 * bypassed cannot load remote code or send data out that way. (WebRTC media is not a request.)
 */
export function isAllowedRequest(url: string): boolean {
  try {
    return !REMOTE_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** What the page's getDisplayMedia() request looked like, as far as the decision needs. */
export interface DisplayMediaAsk {
  /** URL of the requesting frame (null when the frame is gone). */
  frameUrl: string | null;
  /** Whether that frame is its window's main frame. */
  isMainFrame: boolean;
}

/**
 * Screen capture is handed out only while main's session flow says the user consented to share,
 * only to our own page's main frame (parsed, not a string prefix: `app://remote-assist.evil` is
 * not ours), and only video: audio is never part of what the user agreed to.
 */
export function displayMediaDecision(ask: DisplayMediaAsk, appOrigin: string, sharing: boolean): 'video' | 'deny' {
  return sharing && ask.isMainFrame && ask.frameUrl !== null && isAllowedNavigation(ask.frameUrl, appOrigin) ? 'video' : 'deny';
}
