import { BRIDGE_GLOBAL, type ElectronBridge } from '../../src-shared/rpc/electron-bridge';
import type { HostClient } from '../../src-shared/rpc/host-client';
import { createElectronClient } from './electron-client';
import { createWebSocketClient } from './websocket-client';
import { createUploader, type Uploader } from './uploader';

/**
 * Picks the transport: the preload bridge inside Electron, else the browser host's WebSocket with
 * the token from the page address (`#token=…`), with the uploader that goes with it. Null when
 * neither is available.
 */
export function selectHostClient(win: Window): { client: HostClient; uploader: Uploader | null } | null {
  const bridge = (win as unknown as Record<string, ElectronBridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) return { client: createElectronClient(bridge), uploader: null };
  const token = new URLSearchParams(win.location.hash.slice(1)).get('token');
  if (!token) return null;
  const wsUrl = `${win.location.protocol === 'https:' ? 'wss' : 'ws'}://${win.location.host}/rpc?token=${encodeURIComponent(token)}`;
  return { client: createWebSocketClient(wsUrl), uploader: createUploader(win.location.origin, token) };
}
