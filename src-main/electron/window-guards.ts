import { shell, type BrowserWindow, type Session } from 'electron';

/** Opens a link in the user's browser, but only http(s): never file:, smb:, or custom schemes. */
export function openExternalSafely(url: string): void {
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' || u.protocol === 'http:') void shell.openExternal(u.toString());
  } catch {
    /* not a URL: ignore */
  }
}

/** Denies navigation away from the app and all new windows; http(s) links open in the browser. */
export function guardWindow(win: BrowserWindow, appOrigin: string): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(appOrigin)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!url.startsWith(appOrigin)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Deny-by-default permissions. Only screen capture may be allowed, and only while main's session
 * flow says so (after the user consented) — `allowDisplayCapture` answers that.
 */
export function guardPermissions(session: Session, appOrigin: string, allowDisplayCapture: () => boolean): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const fromApp = (details.requestingUrl ?? webContents.getURL()).startsWith(appOrigin);
    callback(fromApp && permission === 'display-capture' && allowDisplayCapture());
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => requestingOrigin.startsWith(appOrigin) && permission === 'display-capture' && allowDisplayCapture());
  session.setDevicePermissionHandler(() => false);
}
