import { CallFrame, type ServerFrame, type TextConnection } from './wire';
import type { CallContext, RpcServer } from './rpc-server';
import type { EventHub } from './event-hub';
import { describeIssues } from './rpc-server';

/**
 * Serves the contract over one text connection: parses call frames, answers each with a result
 * frame, forwards every hub event. A frame that is not JSON or not a call is answered (when it has
 * an id) or ignored; it never throws into the transport.
 */
export function serveConnection(server: RpcServer, hub: EventHub, conn: TextConnection, ctx: CallContext): () => void {
  const send = (frame: ServerFrame) => {
    try {
      conn.send(JSON.stringify(frame));
    } catch {
      /* the connection is closing; nothing to tell */
    }
  };
  const unsubscribe = hub.subscribe((name, payload) => send({ t: 'event', name, payload }));
  conn.onMessage((text) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const frame = CallFrame.safeParse(raw);
    if (!frame.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') {
        send({ t: 'result', id, ok: false, error: { code: 'invalid-request', message: `Malformed call: ${describeIssues(frame.error)}` } });
      }
      return;
    }
    const { id, method, params } = frame.data;
    void server.call(method, params, ctx).then((r) => send(r.ok ? { t: 'result', id, ok: true, value: r.value } : { t: 'result', id, ok: false, error: r.error }));
  });
  conn.onClose(unsubscribe);
  return unsubscribe;
}
