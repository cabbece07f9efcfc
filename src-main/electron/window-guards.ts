// Guards applied to EVERY web contents the app ever creates (main.ts calls guardWebContents from
// app 'web-contents-created', so a window, a devtools page or anything a future feature adds is
// covered without remembering to). No runtime 'electron' import: the shell is passed in, so these
// guards run in plain Node against a stand-in emitter (window-guards.test.ts).
import type { WebContents } from 'electron';
import { isAllowedExternalUrl, isAllowedNavigation } from './security-rules';

/** The parts of WebContents the guards use. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Opens a link in the user's browser, but only http(s): never file:, smb:, javascript: or custom schemes. */
export function openExternalSafely(url: string, openExternal: (url: string) => unknown): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  // Re-serialised from the parsed URL, so what is opened is exactly what was checked.
  void openExternal(new URL(url).toString());
  return true;
}

/**
 * Electron checklist items 12–15 for one web contents: navigation of the main frame or any
 * subframe away from our origin is prevented (will-navigate, will-frame-navigate, will-redirect);
 * window.open and target=_blank never create a window (http(s) links go to the browser); <webview>
 * can never attach.
 */
export function guardWebContents(contents: GuardedContents, appOrigin: string, openExternal: (url: string) => unknown): void {
  const stay = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => stay(event, url));
  contents.on('will-frame-navigate', (event) => stay(event, event.url));
  contents.on('will-redirect', (event, url) => stay(event, url));
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(url, openExternal);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
