// Electron's composition root: the same app core as the browser host, with Electron adapters.
import path from 'node:path';
import { app, BrowserWindow, desktopCapturer, dialog, session, shell } from 'electron';
import { createAppCore, type AppCore } from '../app/app-core';
import { resolveProfile } from '../profile/profile-paths';
import { createAppLogger } from '../platform/app-logger';
import { parseHostArgs } from '../host/host-args';
import { secureWebPreferences } from './secure-web-preferences';
import { guardPermissions, guardWindow } from './window-guards';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol';
import { serveIpc } from './ipc-transport';
import { ElectronConsentPrompt } from './electron-consent-prompt';
import { listedScreens } from '../platform/screen-source';

registerAppScheme();

const args = (() => {
  try {
    return parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect')));
  } catch {
    return parseHostArgs([]);
  }
})();
if (args.profile) app.setPath('userData', path.resolve(args.profile, 'electron'));

let mainWindow: BrowserWindow | null = null;
let core: AppCore | null = null;

function createWindow(): void {
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
}

async function start(): Promise<void> {
  const profile = resolveProfile(args.profile);
  const logger = createAppLogger(profile.appLogFile);
  const screens = listedScreens(async () => (await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } })).map((s) => ({ id: s.id, name: s.name })));
  core = await createAppCore({
    screens,
    host: 'electron',
    role: args.role,
    profile,
    logger,
    startupFile: args.startupFile,
    consentPrompt: () => new ElectronConsentPrompt(() => mainWindow),
    pickFiles: async () => {
      const r = await dialog.showOpenDialog({ title: 'Send files', properties: ['openFile', 'multiSelections'] });
      return r.canceled ? [] : r.filePaths;
    },
    openFolder: async (dir) => (await shell.openPath(dir)) === '',
  });
  serveAppProtocol(path.join(__dirname, '..', 'renderer'));
  // Screen capture is allowed only while a session is sharing (after the user's consent).
  const sharing = () => {
    const s = core?.services.sessions.view();
    return !!s && s.role === 'requester' && (s.state === 'viewing' || s.state === 'controlling' || s.state === 'paused');
  };
  guardPermissions(session.defaultSession, APP_ORIGIN, sharing);
  // getDisplayMedia() in the page is answered by main, with the screen main chose, and only after
  // the user consented; otherwise it is refused.
  session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
    if (!sharing() || !request.frame?.url.startsWith(APP_ORIGIN)) return callback({});
    void desktopCapturer.getSources({ types: ['screen'] }).then(
      (sources) => {
        const source = sources.find((s) => s.id === screens.chosen()) ?? sources[0];
        callback(source ? { video: source } : {});
      },
      () => callback({}),
    );
  });
  serveIpc(core.server, core.hub, () => BrowserWindow.getAllWindows());
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance is running: it receives our argv through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(start);
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.on('window-all-closed', () => {
    void (core?.dispose() ?? Promise.resolve()).finally(() => app.quit());
  });
}
