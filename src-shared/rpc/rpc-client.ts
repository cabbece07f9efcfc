import { AppError, type EventName, type MethodName, type RequestOf, type ResponseOf } from '../contract/index';
import type { ConnectionState, HostClient } from './host-client';
import { ServerFrame, type TextConnection } from './wire';

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/**
 * A HostClient over a text connection (WebSocket or in-memory). `connect` may be async (a socket
 * opening); calls made before it is open wait for it.
 */
export function createRpcClient(connect: () => Promise<TextConnection>): HostClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of [...stateListeners]) l(s);
  };

  const ready = connect().then(
    (conn) => {
      conn.onMessage((text) => {
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch {
          return;
        }
        const frame = ServerFrame.safeParse(raw);
        if (!frame.success) return;
        const f = frame.data;
        if (f.t === 'event') {
          for (const cb of [...(listeners.get(f.name) ?? [])]) cb(f.payload);
          return;
        }
        const p = pending.get(f.id);
        if (!p) return;
        pending.delete(f.id);
        if (f.ok) p.resolve(f.value);
        else p.reject(new AppError(f.error.code, f.error.message, f.error.details));
      });
      conn.onClose(() => {
        setState('disconnected');
        for (const p of pending.values()) p.reject(new AppError('unavailable', 'The connection to Remote Assist was lost. Reload the page or restart the app.'));
        pending.clear();
      });
      setState('connected');
      return conn;
    },
    (e: unknown) => {
      setState('disconnected');
      throw e;
    },
  );
  // Avoid an unhandled rejection when nobody calls before a failed connect.
  ready.catch(() => {});

  return {
    async invoke<M extends MethodName>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>> {
      const conn = await ready.catch(() => {
        throw new AppError('unavailable', 'Cannot reach Remote Assist. Is it still running?');
      });
      if (state === 'disconnected') throw new AppError('unavailable', 'The connection to Remote Assist was lost. Reload the page or restart the app.');
      const id = nextId++;
      return new Promise<ResponseOf<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        conn.send(JSON.stringify({ t: 'call', id, method, params: req }));
      });
    },
    on(event: EventName, cb: (payload: never) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const fn = cb as (p: unknown) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
    onState(cb) {
      stateListeners.add(cb);
      cb(state);
      return () => stateListeners.delete(cb);
    },
    close() {
      void ready.then((c) => c.close()).catch(() => {});
    },
  } as HostClient;
}
