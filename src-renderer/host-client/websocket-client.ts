import { createRpcClient } from '../../src-shared/rpc/rpc-client';
import type { HostClient } from '../../src-shared/rpc/host-client';
import type { TextConnection } from '../../src-shared/rpc/wire';

/** Connects to the browser host's contract endpoint with the per-launch token. */
export function createWebSocketClient(wsUrl: string): HostClient {
  return createRpcClient(
    () =>
      new Promise<TextConnection>((resolve, reject) => {
        const ws = new WebSocket(wsUrl);
        ws.addEventListener('open', () =>
          resolve({
            send: (t) => ws.send(t),
            onMessage: (cb) => ws.addEventListener('message', (e) => typeof e.data === 'string' && cb(e.data)),
            onClose: (cb) => ws.addEventListener('close', () => cb()),
            close: () => ws.close(),
          }),
        );
        ws.addEventListener('error', () => reject(new Error('Could not connect to Remote Assist.')), { once: true });
      }),
  );
}
