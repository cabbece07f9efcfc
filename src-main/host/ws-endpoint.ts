import crypto from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RpcServer } from '../../src-shared/rpc/rpc-server';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import { serveConnection } from '../../src-shared/rpc/serve-connection';
import type { TextConnection } from '../../src-shared/rpc/wire';
import type { AppLogger } from '../platform/app-logger';

/** Largest message a page may send; uploads use HTTP, so calls are small. */
export const MAX_WS_MESSAGE = 1024 * 1024;

export interface WsEndpointOptions {
  server: RpcServer;
  hub: EventHub;
  token: string;
  /** The only Origin (and Host) a page may come from, e.g. http://127.0.0.1:5123. */
  origin: () => string;
  logger: AppLogger;
}

/** Compares secrets in constant time. */
export function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/**
 * Why an upgrade request is refused, or null to accept. The token keeps other local programs and
 * users out; the Origin and Host checks keep other web pages (and DNS rebinding) out.
 */
export function rejectUpgrade(req: http.IncomingMessage, token: string, origin: string): string | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/rpc') return 'not found';
  if (req.headers.origin !== origin) return 'foreign origin';
  if (`http://${req.headers.host ?? ''}` !== origin) return 'foreign host';
  const given = url.searchParams.get('token') ?? '';
  if (!tokensEqual(given, token)) return 'bad token';
  return null;
}

/** Attaches the contract's WebSocket endpoint (`/rpc?token=…`) to an HTTP server. */
export function attachWsEndpoint(http: http.Server, opts: WsEndpointOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE });
  let counter = 0;
  http.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const why = rejectUpgrade(req, opts.token, opts.origin());
    if (why) {
      opts.logger.warn('refused a WebSocket connection', { why, origin: req.headers.origin ?? null, remote: req.socket.remoteAddress });
      socket.end(`HTTP/1.1 ${why === 'not found' ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connectionId = `ws-${++counter}`;
      serveConnection(opts.server, opts.hub, wsConnection(ws), { connectionId, transport: 'websocket' });
    });
  });
  return {
    close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
    },
  };
}

/** Adapts a `ws` socket to the transport-neutral TextConnection. */
export function wsConnection(ws: WebSocket): TextConnection {
  return {
    send: (text) => ws.send(text),
    onMessage: (cb) => ws.on('message', (data, isBinary) => !isBinary && cb(data.toString())),
    onClose: (cb) => ws.on('close', cb),
    close: () => ws.close(),
  };
}
