// Electron's composition root: the same app core as the browser host, with Electron adapters.
// Launch handling (files, links, second launches) and the tray's content are decided in plain Node
// (app/instance-handoff.ts, app/tray-model.ts); this file only wires Electron's events to them.
import path from 'node:path';
import { app, BrowserWindow, desktopCapturer, dialog, session, shell } from 'electron';
import { createAppCore, type AppCore } from '../app/app-core';
import { InstanceHandoff, scanLaunchArgv, type HandoffResult } from '../app/instance-handoff';
import { parseAppLink } from '../app/launch-link';
import { closeDecision, trayModel } from '../app/tray-model';
import { resolveProfile } from '../profile/profile-paths';
import { createAppLogger } from '../platform/app-logger';
import { parseHostArgs } from '../host/host-args';
import { secureWebPreferences } from './secure-web-preferences';
import { guardWebContents } from './window-guards';
import { guardSession } from './session-guards';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { APP_ORIGIN } from './app-scheme';
import { serveIpc } from './ipc-transport';
import { ElectronConsentPrompt } from './electron-consent-prompt';
import { listedScreens } from '../platform/screen-source';
import { createTrayController } from './tray';

registerAppScheme();
// Every renderer sandboxed, whatever its webPreferences say (checklist item 4): a window created by
// a future feature without secureWebPreferences() still gets no Node and the OS sandbox.
app.enableSandbox();

const argv = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect'));
// Options for this instance (profile, role, display). Chromium may add switches of its own, so on
// a parse error keep the defaults; the launch request is scanned leniently below instead.
const args = (() => {
  try {
    return parseHostArgs(argv);
  } catch {
    return parseHostArgs([]);
  }
})();
if (args.profile) app.setPath('userData', path.resolve(args.profile, 'electron'));

const profile = resolveProfile(args.profile);
const logger = createAppLogger(profile.appLogFile);
// Made before the core: macOS delivers a double-clicked file ('open-file') even before 'ready'.
const handoff = new InstanceHandoff(scanLaunchArgv(argv, process.cwd()), logger);

let mainWindow: BrowserWindow | null = null;
let core: AppCore | null = null;
let closeConfirmed = false;
let confirming = false;

function showWindow(): void {
  if (!mainWindow) return createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** A launch handed over while running: follow it, and say why not when a session is running. */
function afterHandoff(r: HandoffResult): void {
  if (!app.isReady()) return;
  showWindow();
  if (r.outcome === 'busy' && r.message && mainWindow) void dialog.showMessageBox(mainWindow, { type: 'info', message: r.message });
}

/** Closing during a session or with an open invitation asks first (tray-model.ts decides). */
function onClose(event: Electron.Event): void {
  if (closeConfirmed || !core || !mainWindow) return;
  const d = closeDecision(core.services.sessions.view(), core.services.invitations.view());
  if (d.kind === 'close') return;
  event.preventDefault();
  if (confirming) return;
  confirming = true;
  const win = mainWindow;
  void dialog
    .showMessageBox(win, { type: 'question', buttons: [d.confirmLabel, d.cancelLabel], defaultId: 1, cancelId: 1, message: d.message, detail: d.detail, noLink: true })
    .then(async ({ response }) => {
      if (response !== 0 || !core) return;
      if (d.onConfirm === 'end-session') core.services.sessions.end();
      else await core.services.invitations.cancel('user').catch(() => {});
      closeConfirmed = true;
      if (!win.isDestroyed()) win.close();
    })
    .finally(() => (confirming = false));
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    title: 'Remote Assist',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs'), { devTools: !app.isPackaged }),
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  mainWindow.on('close', onClose);
  mainWindow.on('closed', () => (mainWindow = null));
}

async function start(): Promise<void> {
  const screens = listedScreens(async () => (await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } })).map((s) => ({ id: s.id, name: s.name })));
  core = await createAppCore({
    screens,
    host: 'electron',
    role: args.role,
    profile,
    logger,
    handoff,
    ...(args.display ? { display: args.display } : {}),
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
  // Permissions, no remote requests, and getDisplayMedia() answered by main with the screen main
  // chose, only after the user consented (session-guards.ts).
  guardSession(session.defaultSession, {
    appOrigin: APP_ORIGIN,
    sharing,
    chooseSource: async () => {
      const sources = await desktopCapturer.getSources({ types: ['screen'] });
      return sources.find((s) => s.id === screens.chosen()) ?? sources[0] ?? null;
    },
  });
  serveIpc(core.server, core.hub, () => BrowserWindow.getAllWindows());
  const c = core;
  const tray = createTrayController({
    iconPath: app.isPackaged ? path.join(process.resourcesPath, 'icons', '32x32.png') : path.join(__dirname, '..', '..', 'assets', 'icons', '32x32.png'),
    model: () => trayModel(c.services.sessions.view(), c.services.invitations.view()),
    showWindow,
    stop: (action) => (action === 'end-session' ? c.services.sessions.end() : void c.services.invitations.cancel('user').catch(() => {})),
  });
  c.hub.subscribe((name) => {
    if (name === 'session.state' || name === 'invitation.state') tray.refresh();
  });
  app.once('before-quit', () => tray.destroy());
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance is running: it receives our argv through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', (_e, secondArgv, workingDirectory) => afterHandoff(handoff.receiveArgv(secondArgv, workingDirectory)));
  // macOS hands files and links to the running app as events, not argv.
  app.on('open-file', (e, file) => {
    e.preventDefault();
    afterHandoff(handoff.receive({ kind: 'openFile', file }));
  });
  app.on('open-url', (e, url) => {
    e.preventDefault();
    afterHandoff(handoff.receive(parseAppLink(url)));
  });
  // Every web contents, not just our window: navigation, window.open and <webview> are guarded
  // wherever a renderer comes from (window-guards.ts).
  app.on('web-contents-created', (_e, contents) => guardWebContents(contents, APP_ORIGIN, (url) => shell.openExternal(url)));
  void app.whenReady().then(start);
  app.on('activate', () => BrowserWindow.getAllWindows().length === 0 && createWindow());
  app.on('window-all-closed', () => {
    void (core?.dispose() ?? Promise.resolve()).finally(() => app.quit());
  });
}
