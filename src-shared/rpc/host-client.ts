import type { EventName, EventPayload, MethodName, RequestOf, ResponseOf } from '../contract/index';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** What the page (and tests) use to talk to main, whatever the transport underneath. */
export interface HostClient {
  invoke<M extends MethodName>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
  /** Reports transport state changes; calls back at once with the current state. */
  onState(cb: (state: ConnectionState) => void): () => void;
  close(): void;
}
