import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../src-shared/rpc/electron-bridge';
import type { RpcServer } from '../../src-shared/rpc/rpc-server';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import { APP_ORIGIN } from './app-protocol';
import { isTrustedIpcSender } from './security-rules';

/**
 * Serves the contract over Electron IPC. Calls are accepted only from the main frame of one of our
 * own windows showing our own origin; anything else (a subframe, a foreign page) is refused.
 */
export function serveIpc(server: RpcServer, hub: EventHub, windows: () => BrowserWindow[]): () => void {
  const trusted = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    const win = windows().find((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
    return isTrustedIpcSender({ ownWindow: !!win, isMainFrame: !!win && frame === win.webContents.mainFrame, url: frame.url }, APP_ORIGIN);
  };
  ipcMain.handle(IPC_CALL, async (event, method: unknown, params: unknown) => {
    if (!trusted(event)) return { ok: false, error: { code: 'refused', message: 'Calls are accepted only from Remote Assist windows.' } };
    return server.call(method, params, { connectionId: `ipc-${event.sender.id}`, transport: 'electron-ipc' });
  });
  const unsubscribe = hub.subscribe((name, payload) => {
    for (const w of windows()) if (!w.isDestroyed()) w.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
