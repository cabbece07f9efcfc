import type { CallResult } from './rpc-server';

/** The global name under which Electron's preload exposes the bridge to the page. */
export const BRIDGE_GLOBAL = 'remoteAssist';

/**
 * What the preload exposes: a dumb pipe. Results come back as data (not rejections) because
 * Electron's context bridge drops the fields of thrown errors.
 */
export interface ElectronBridge {
  invoke(method: string, params: unknown): Promise<CallResult>;
  on(event: string, cb: (payload: unknown) => void): () => void;
}

/** IPC channel names used between preload and main. */
export const IPC_CALL = 'rpc:call';
export const IPC_EVENT = 'rpc:event';
