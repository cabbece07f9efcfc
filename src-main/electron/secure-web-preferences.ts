import type { WebPreferences } from 'electron';

/**
 * The one place every window's webPreferences come from. The page gets no Node, runs sandboxed and
 * isolated from the preload; it reaches main only through the contract bridge. DevTools are off
 * unless asked for (development builds): in a packaged app, a helper who has been given control
 * must not be able to open a console in our own window and script main's contract from there.
 */
export function secureWebPreferences(preloadPath: string, opts: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload: preloadPath,
    devTools: opts.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    // No auxclick events: a middle-click on a link cannot start a navigation or a new window
    // (Electronegativity's AUXCLICK check; the page uses pointer events, never auxclick).
    disableBlinkFeatures: 'Auxclick',
  };
}
