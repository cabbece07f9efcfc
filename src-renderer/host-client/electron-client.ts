import { AppError, type EventName, type MethodName, type RequestOf, type ResponseOf } from '../../src-shared/contract/index';
import type { ElectronBridge } from '../../src-shared/rpc/electron-bridge';
import type { HostClient } from '../../src-shared/rpc/host-client';

/** A HostClient over the preload bridge (Electron IPC). */
export function createElectronClient(bridge: ElectronBridge): HostClient {
  return {
    async invoke<M extends MethodName>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>> {
      const r = await bridge.invoke(method, req);
      if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
      return r.value as ResponseOf<M>;
    },
    on(event: EventName, cb: (payload: never) => void) {
      return bridge.on(event, cb as (p: unknown) => void);
    },
    onState(cb) {
      cb('connected');
      return () => {};
    },
    close() {},
  } as HostClient;
}
