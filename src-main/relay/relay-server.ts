/**
 * The rendezvous relay: an HTTP server with `GET /healthz` and a WebSocket endpoint (any path)
 * that pairs two clients by pairing id and forwards their bytes (relay-connection.ts). TLS is left
 * to a reverse proxy (docs/relay.md), so by default it listens on 127.0.0.1 only.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from './relay-limits';
import { IpLimiter } from './ip-limiter';
import { RelayConnection, type RelayContext } from './relay-connection';
import { MemoryPairingStore } from './memory-pairing-store';
import type { PairingStore } from './pairing-store';
import { RELAY_CLOSE } from './relay-protocol';
import { silentRelayLog, type RelayLog } from './relay-log';
import { clientIp } from './client-ip';
import type { CodeStore } from './code-store';
import { MemoryCodeStore } from './memory-code-store';
import { CodeLookupLimiter } from './code-lookup-limiter';
import type { TurnConfig } from './turn-credentials';

/** Options of `startRelayServer`. */
export interface RelayServerOptions {
  /** Interface to bind (default 127.0.0.1: put a TLS reverse proxy in front). */
  host?: string;
  /** Port (default 0: the OS picks one). */
  port?: number;
  /** Pairing state (default: in memory, for a single instance). The caller closes it. */
  store?: PairingStore;
  limits?: Partial<RelayLimits>;
  log?: RelayLog;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (default none). */
  trustedProxies?: string[];
  /** Easy Connect codes (default: in memory). With several instances, share them (Redis). The caller closes it. */
  codes?: CodeStore;
  /** Mint TURN credentials for paired clients (default: none). */
  turn?: TurnConfig;
}

/** What `GET /healthz` answers. */
export interface RelayHealth {
  status: 'ok' | 'degraded';
  store: 'memory' | 'redis';
  storeHealthy: boolean;
  /** Open client WebSockets on this instance. */
  connections: number;
  /** Hosts waiting for a joiner on this instance. */
  waiting: number;
  /** Ends of formed pairs on this instance (a pair with both ends here counts 2). */
  paired: number;
  /** Pairs formed since start (counted at the host's instance). */
  pairsFormed: number;
  bytesForwarded: number;
  uptimeSeconds: number;
}

/** A running relay. */
export interface RelayServer {
  readonly port: number;
  /** ws://host:port/ for clients on this machine (tests). */
  readonly url: string;
  health(): RelayHealth;
  /** Stops accepting, closes every client (1001) and the HTTP server. */
  close(): Promise<void>;
}

/** Starts a relay instance. */
export async function startRelayServer(opts: RelayServerOptions = {}): Promise<RelayServer> {
  const limits: RelayLimits = { ...DEFAULT_RELAY_LIMITS, ...opts.limits };
  const log = opts.log ?? silentRelayLog;
  const store = opts.store ?? new MemoryPairingStore();
  const trusted = new Set(opts.trustedProxies ?? []);
  const ipLimiter = new IpLimiter(limits.maxConnectionsPerIp, limits.maxNewPairingsPerIpPerMinute);
  const counters = { bytesForwarded: 0, pairsFormed: 0 };
  const codes = opts.codes ?? new MemoryCodeStore();
  const codeLimiter = new CodeLookupLimiter(limits.codeLookupsPerIpPerMinute, limits.codeMissesPerIpPerHour);
  const ctx: RelayContext = { store, limits, log, ipLimiter, counters, codes, codeLimiter, turn: opts.turn ?? null };
  const connections = new Set<RelayConnection>();
  const started = Date.now();
  let closing = false;

  const health = (): RelayHealth => {
    let waiting = 0;
    let paired = 0;
    for (const c of connections) {
      if (c.state === 'waiting') waiting++;
      else if (c.state === 'paired') paired++;
    }
    const storeHealthy = store.healthy();
    return {
      status: storeHealthy && !closing ? 'ok' : 'degraded',
      store: store.kind,
      storeHealthy,
      connections: connections.size,
      waiting,
      paired,
      pairsFormed: counters.pairsFormed,
      bytesForwarded: counters.bytesForwarded,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    };
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const h = health();
      res.writeHead(h.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(h));
      return;
    }
    res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket', connection: 'Upgrade' });
    res.end('This is a Remote Assist relay: the app connects to it with a WebSocket.\n');
  });
  // Slow or idle plain-HTTP clients must not hold sockets.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });

  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {});
    // Browsers send Origin; our clients do not. Refusing it stops any web page from using its
    // visitors' browsers to open connections here (resource abuse, pairing-id guessing).
    if (req.headers.origin !== undefined) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ip = clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const refuse = (code: number, reason: string) => {
        log('warn', 'connection.refused', { ip, code, reason });
        ws.close(code, reason);
        setTimeout(() => ws.terminate(), 2000).unref();
      };
      if (closing) return refuse(RELAY_CLOSE.goingAway, 'the relay is shutting down');
      if (connections.size >= limits.maxConnections) return refuse(RELAY_CLOSE.rateLimited, 'the relay is full; try again later');
      if (!ipLimiter.acquireConnection(ip)) return refuse(RELAY_CLOSE.rateLimited, `too many connections from your address (limit ${limits.maxConnectionsPerIp})`);
      const conn = new RelayConnection(ws, ip, ctx, (c) => {
        if (connections.delete(c)) ipLimiter.releaseConnection(ip);
      });
      connections.add(conn);
    });
  });

  // One timer for every connection's deadlines, pings and the limiter's housekeeping.
  const tickMs = Math.max(20, Math.min(1000, limits.idleTimeoutMs / 4, limits.helloTimeoutMs / 4, limits.waitTimeoutMs / 4, limits.maxPairLifetimeMs / 4, limits.pingIntervalMs / 2));
  let sweeps = 0;
  const ticker = setInterval(() => {
    const now = Date.now();
    for (const c of [...connections]) c.tick(now);
    if (++sweeps % 60 === 0) {
      ipLimiter.sweep();
      codeLimiter.sweep();
      if (codes instanceof MemoryCodeStore) codes.sweep();
    }
  }, tickMs);
  ticker.unref();

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const shownHost = (opts.host ?? '127.0.0.1').includes(':') ? `[${opts.host}]` : (opts.host ?? '127.0.0.1');
  // The TURN secret is never logged; the URLs are.
  log('info', 'relay.listening', { host: opts.host ?? '127.0.0.1', port, store: store.kind, limits, turn: opts.turn ? { urls: opts.turn.urls, ttlSeconds: opts.turn.ttlSeconds } : null });

  return {
    port,
    url: `ws://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost === '[::]' ? '[::1]' : shownHost}:${port}/`,
    health,
    close: async () => {
      if (closing) return;
      closing = true;
      clearInterval(ticker);
      if (!opts.codes) await codes.close();
      for (const c of [...connections]) c.closeBoth(RELAY_CLOSE.goingAway, 'the relay is shutting down');
      server.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Upgraded sockets are not tracked by the HTTP server; closeBoth ends them within ~5 s at worst.
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, 1000).unref();
      });
      log('info', 'relay.stopped', {});
    },
  };
}
