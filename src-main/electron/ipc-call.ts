// The Electron IPC call path without the 'electron' import: who may call (sender validation, item
// 17 of Electron's security checklist) and how the call reaches the one RPC server, which validates
// the payload against the contract. ipc-transport.ts only registers it with ipcMain.
import type { CallResult, RpcServer } from '../../src-shared/rpc/rpc-server';
import { isTrustedIpcSender } from './security-rules';

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcCallEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
}

/** The parts of a BrowserWindow the check reads. */
export interface IpcWindow {
  isDestroyed(): boolean;
  readonly webContents: { readonly id: number; readonly mainFrame: unknown };
}

/** The refusal an untrusted sender gets (as data: the context bridge drops thrown errors' fields). */
export const IPC_REFUSED: CallResult = { ok: false, error: { code: 'refused', message: 'Calls are accepted only from Remote Assist windows.' } };

/**
 * True only for the main frame of one of our own live windows, showing our origin. A subframe, a
 * window we did not create, a frame that navigated elsewhere or a vanished frame is refused.
 */
export function isTrustedIpcEvent(event: IpcCallEvent, windows: readonly IpcWindow[], appOrigin: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  const win = windows.find((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
  return isTrustedIpcSender({ ownWindow: !!win, isMainFrame: !!win && frame === win.webContents.mainFrame, url: frame.url }, appOrigin);
}

/** The handler for `ipcMain.handle(IPC_CALL, …)`: refuses untrusted senders, then lets the server validate and run the call. */
export function createIpcCallHandler(server: RpcServer, windows: () => readonly IpcWindow[], appOrigin: string): (event: IpcCallEvent, method: unknown, params: unknown) => Promise<CallResult> {
  return async (event, method, params) => {
    if (!isTrustedIpcEvent(event, windows(), appOrigin)) return IPC_REFUSED;
    return server.call(method, params, { connectionId: `ipc-${event.sender.id}`, transport: 'electron-ipc' });
  };
}
