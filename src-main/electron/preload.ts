// The preload: a dumb pipe between the page and main. It exposes `invoke` and `on` for names in
// the contract only, and strips Electron's event object so the page never touches ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, IPC_CALL, IPC_EVENT, type ElectronBridge } from '../../src-shared/rpc/electron-bridge';
import { isEventName, isMethodName } from '../../src-shared/contract/index';

const bridge: ElectronBridge = {
  invoke(method, params) {
    if (!isMethodName(method)) return Promise.resolve({ ok: false, error: { code: 'unknown-method', message: `There is no method called ${String(method)}.` } });
    return ipcRenderer.invoke(IPC_CALL, method, params);
  },
  on(event, cb) {
    if (!isEventName(event)) return () => {};
    const listener = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) cb(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
