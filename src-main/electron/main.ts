// Electron's composition root: the same app core as the browser host, with Electron adapters.
import path from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { createAppCore } from '../app/app-core';
import { resolveProfile } from '../profile/profile-paths';
import { createAppLogger } from '../platform/app-logger';
import { parseHostArgs } from '../host/host-args';
import { secureWebPreferences } from './secure-web-preferences';
import { guardPermissions, guardWindow } from './window-guards';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol';
import { serveIpc } from './ipc-transport';

registerAppScheme();

const args = (() => {
  try {
    return parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect')));
  } catch {
    return parseHostArgs([]);
  }
})();
if (args.profile) app.setPath('userData', path.resolve(args.profile, 'electron'));

if (!app.requestSingleInstanceLock()) {
  // Another instance is running: it receives our argv through 'second-instance'.
  app.quit();
} else {
  const profile = resolveProfile(args.profile);
  const logger = createAppLogger(profile.appLogFile);
  const core = createAppCore({ host: 'electron', role: args.role, profile, logger, startupFile: args.startupFile });
  let mainWindow: BrowserWindow | null = null;

  const createWindow = () => {
    mainWindow = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 640,
      minHeight: 480,
      title: 'Remote Assist',
      show: false,
      webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs')),
    });
    guardWindow(mainWindow, APP_ORIGIN);
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
    mainWindow.on('closed', () => (mainWindow = null));
  };

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  void app.whenReady().then(() => {
    serveAppProtocol(path.join(__dirname, '..', 'renderer'));
    guardPermissions(session.defaultSession, APP_ORIGIN, () => false);
    serveIpc(core.server, core.hub, () => BrowserWindow.getAllWindows());
    createWindow();
    app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  });

  app.on('window-all-closed', () => {
    void core.dispose().finally(() => app.quit());
  });
}
