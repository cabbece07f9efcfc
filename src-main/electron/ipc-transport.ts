import { ipcMain, type BrowserWindow } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../src-shared/rpc/electron-bridge';
import type { RpcServer } from '../../src-shared/rpc/rpc-server';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import { APP_ORIGIN } from './app-scheme';
import { createIpcCallHandler } from './ipc-call';
import { isAllowedNavigation } from './security-rules';

/**
 * Serves the contract over Electron IPC. Calls are accepted only from the main frame of one of our
 * own windows showing our own origin (ipc-call.ts decides); anything else is refused. Events go
 * only to windows that show our origin, so session state and chat never reach a foreign page.
 */
export function serveIpc(server: RpcServer, hub: EventHub, windows: () => BrowserWindow[]): () => void {
  ipcMain.handle(IPC_CALL, createIpcCallHandler(server, windows, APP_ORIGIN));
  const unsubscribe = hub.subscribe((name, payload) => {
    for (const w of windows()) if (!w.isDestroyed() && isAllowedNavigation(w.webContents.getURL(), APP_ORIGIN)) w.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
