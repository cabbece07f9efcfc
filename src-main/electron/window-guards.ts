import { shell, type BrowserWindow, type Session } from 'electron';
import { isAllowedExternalUrl, isAllowedNavigation, permissionDecision } from './security-rules';

/** Opens a link in the user's browser, but only http(s): never file:, smb:, or custom schemes. */
export function openExternalSafely(url: string): void {
  if (isAllowedExternalUrl(url)) void shell.openExternal(new URL(url).toString());
}

/** Denies navigation away from the app and all new windows; http(s) links open in the browser. */
export function guardWindow(win: BrowserWindow, appOrigin: string): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
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
    callback(permissionDecision(permission, details.requestingUrl ?? webContents.getURL(), appOrigin, allowDisplayCapture()));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin, appOrigin, allowDisplayCapture()));
  session.setDevicePermissionHandler(() => false);
}
