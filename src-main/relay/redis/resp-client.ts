/**
 * A minimal Redis client (RESP2 over TCP) for the relay's pairing store: AUTH, SELECT, the few
 * commands the store uses, pipelining (commands go out at once; replies are matched in order) and
 * pub/sub. Written here because the relay needs a dozen commands and no client package is
 * installed; a full client would be hundreds of times larger than what the relay uses.
 *
 * Reconnect-or-fail: when the connection drops, every pending command fails (it may or may not
 * have run: the caller decides), listeners hear 'lost' (published messages may have been missed:
 * the relay closes the pairs that depended on them), and the client tries to reconnect a bounded
 * number of times, re-authenticating and re-subscribing. Commands issued meanwhile fail at once
 * rather than queue without bound. After the last attempt the client is 'failed' for good.
 */
import net from 'node:net';
import { RespError, RespParser, RespProtocolError, encodeCommand, type RespValue } from './resp-parser';

export { RespError } from './resp-parser';
export type { RespValue } from './resp-parser';

/** Where and how to connect. */
export interface RespClientOptions {
  host: string;
  port: number;
  /** ACL user (Redis 6+); with only `password`, the classic `AUTH password`. */
  username?: string;
  password?: string;
  db?: number;
  /** Time allowed to connect and authenticate (default 5 s). */
  connectTimeoutMs?: number;
  /** Reconnection attempts after the connection drops (default 0: fail at once). */
  reconnectAttempts?: number;
  /** Delay before each reconnection attempt (default 500 ms). */
  reconnectDelayMs?: number;
}

/** 'lost': the connection dropped (messages may have been missed); then 'ready' again or 'failed'. */
export type RespClientState = 'ready' | 'lost' | 'reconnecting' | 'failed' | 'closed';

/** The connection failed or is not usable now; the command may or may not have run. */
export class RespConnectionError extends Error {
  override readonly name = 'RespConnectionError';
}

type Pending = { resolve: (v: RespValue) => void; reject: (e: Error) => void };
type Arg = string | Buffer | number;

/** One connection to Redis. Create with `RespClient.connect`. */
export class RespClient {
  private socket: net.Socket | null = null;
  private parser = new RespParser();
  private pending: Pending[] = [];
  private readonly channels = new Set<string>();
  private subscribing = false;
  private stateValue: RespClientState = 'reconnecting';
  private corked = false;
  /** True while (re)connecting: AUTH, SELECT and re-SUBSCRIBE may be sent before the state is 'ready'. */
  private opening = false;
  private readonly messageHandlers = new Set<(channel: string, message: Buffer) => void>();
  private readonly stateHandlers = new Set<(state: RespClientState) => void>();

  private constructor(private readonly opts: RespClientOptions) {}

  /** Connects and authenticates; rejects with RespConnectionError or RespError (e.g. a wrong password). */
  static async connect(opts: RespClientOptions): Promise<RespClient> {
    const client = new RespClient(opts);
    await client.open();
    client.stateValue = 'ready';
    return client;
  }

  get state(): RespClientState {
    return this.stateValue;
  }

  /** Sends a command; resolves with the reply, rejects with RespError (an error reply) or RespConnectionError. */
  command(...args: Arg[]): Promise<RespValue> {
    const name = String(args[0] ?? '').toUpperCase();
    // RESP2: a subscribed connection may only (un)subscribe or ping; anything else would be refused
    // by the server *and* desynchronise reply matching, so it is refused here.
    if (this.subscribing && !['SUBSCRIBE', 'UNSUBSCRIBE', 'PING'].includes(name)) {
      return Promise.reject(new Error(`${name} on a subscribed connection: use a separate RespClient for commands`));
    }
    return this.send(args);
  }

  /** SET with optional NX (only if absent) and PX (expiry in ms). True when the key was set. */
  async set(key: string, value: Arg, opts: { nx?: boolean; px?: number } = {}): Promise<boolean> {
    const args: Arg[] = ['SET', key, value];
    if (opts.px !== undefined) args.push('PX', Math.max(1, Math.ceil(opts.px)));
    if (opts.nx) args.push('NX');
    return (await this.command(...args)) === 'OK';
  }

  /** GET: the value, or null when absent. */
  async get(key: string): Promise<Buffer | null> {
    const v = await this.command('GET', key);
    if (v === null || Buffer.isBuffer(v)) return v;
    throw new RespProtocolError('GET did not answer a bulk string');
  }

  /** DEL: how many keys were removed. */
  async del(...keys: string[]): Promise<number> {
    return this.integer(await this.command('DEL', ...keys));
  }

  /** EXPIRE in whole seconds: false when the key does not exist. */
  async expire(key: string, seconds: number): Promise<boolean> {
    return this.integer(await this.command('EXPIRE', key, Math.max(1, Math.ceil(seconds)))) === 1;
  }

  /** PUBLISH: how many subscribers (on all instances) received the message. */
  async publish(channel: string, message: Buffer | string): Promise<number> {
    return this.integer(await this.command('PUBLISH', channel, message));
  }

  /** SUBSCRIBE to one channel; resolves once the server confirmed (no message sent after that is missed). */
  async subscribe(channel: string): Promise<void> {
    this.subscribing = true;
    this.channels.add(channel);
    await this.command('SUBSCRIBE', channel);
  }

  /** UNSUBSCRIBE from one channel. */
  async unsubscribe(channel: string): Promise<void> {
    this.channels.delete(channel);
    await this.command('UNSUBSCRIBE', channel);
  }

  /** Messages on subscribed channels. */
  onMessage(cb: (channel: string, message: Buffer) => void): () => void {
    this.messageHandlers.add(cb);
    return () => this.messageHandlers.delete(cb);
  }

  /** Connection state changes (see RespClientState). */
  onState(cb: (state: RespClientState) => void): () => void {
    this.stateHandlers.add(cb);
    return () => this.stateHandlers.delete(cb);
  }

  /** Closes the connection (QUIT, then destroy); pending commands fail. */
  async close(): Promise<void> {
    if (this.stateValue === 'closed') return;
    const s = this.socket;
    const quit = s && !s.destroyed && this.stateValue === 'ready' ? this.send(['QUIT']).catch(() => undefined) : null;
    this.setState('closed');
    if (quit) await Promise.race([quit, new Promise((r) => setTimeout(r, 500).unref())]);
    s?.destroy();
    this.failPending(new RespConnectionError('the Redis client was closed'));
  }

  // ---- internals ----

  private integer(v: RespValue): number {
    if (typeof v !== 'number') throw new RespProtocolError('expected an integer reply');
    return v;
  }

  private send(args: Arg[]): Promise<RespValue> {
    const s = this.socket;
    if (!(this.stateValue === 'ready' || this.opening) || !s || s.destroyed) {
      return Promise.reject(new RespConnectionError(`Redis is not connected (${this.stateValue})`));
    }
    return new Promise<RespValue>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      // Pipelining: every command issued in this tick leaves in one write.
      if (!this.corked) {
        this.corked = true;
        s.cork();
        process.nextTick(() => {
          this.corked = false;
          s.uncork();
        });
      }
      s.write(encodeCommand(args));
    });
  }

  private async open(): Promise<void> {
    const { host, port } = this.opts;
    const timeoutMs = this.opts.connectTimeoutMs ?? 5000;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new RespConnectionError(`no answer from Redis at ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        resolve(s);
      });
      const onError = (err: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(new RespConnectionError(`cannot connect to Redis at ${host}:${port} (${err.code ?? err.message})`));
      };
      s.once('error', onError);
    });
    socket.setNoDelay(true);
    this.socket = socket;
    this.parser = new RespParser();
    this.opening = true;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {}); // 'close' follows and handles it
    socket.on('close', () => this.onClose(socket));
    try {
      if (this.opts.password !== undefined) {
        await this.send(this.opts.username !== undefined ? ['AUTH', this.opts.username, this.opts.password] : ['AUTH', this.opts.password]);
      }
      if (this.opts.db) await this.send(['SELECT', this.opts.db]);
      for (const ch of this.channels) await this.send(['SUBSCRIBE', ch]);
    } catch (e) {
      socket.destroy();
      this.socket = null;
      // Never echo the password: the server's error text does not contain it, our message neither.
      throw e instanceof RespError ? new RespError(`Redis refused the connection: ${e.message}`) : e;
    } finally {
      this.opening = false;
    }
  }

  private onData(chunk: Buffer): void {
    this.parser.push(chunk);
    try {
      for (let r = this.parser.next(); r; r = this.parser.next()) this.onReply(r.value);
    } catch (e) {
      // Garbage from the server: the reply stream is desynchronised, so the connection is dead.
      this.failPending(e instanceof Error ? e : new RespProtocolError(String(e)));
      this.socket?.destroy();
    }
  }

  private onReply(v: RespValue): void {
    if (this.subscribing && Array.isArray(v) && v.length === 3 && Buffer.isBuffer(v[0]) && v[0].toString('latin1') === 'message') {
      const channel = String(v[1]);
      const message = v[2];
      if (Buffer.isBuffer(message)) for (const cb of [...this.messageHandlers]) cb(channel, message);
      return;
    }
    const p = this.pending.shift();
    if (!p) return; // unsolicited reply: ignore
    if (v instanceof RespError) p.reject(v);
    else p.resolve(v);
  }

  private onClose(socket: net.Socket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.failPending(new RespConnectionError('the connection to Redis was lost'));
    if (this.stateValue === 'closed') return;
    this.setState('lost');
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    const attempts = this.opts.reconnectAttempts ?? 0;
    const delay = this.opts.reconnectDelayMs ?? 500;
    for (let i = 0; i < attempts; i++) {
      this.setState('reconnecting');
      await new Promise((r) => setTimeout(r, delay));
      if (this.state === 'closed') return;
      try {
        await this.open();
        this.setState('ready');
        return;
      } catch {
        // try again after the delay
      }
    }
    if (this.state !== 'closed') this.setState('failed');
  }

  private failPending(err: Error): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(err);
  }

  private setState(state: RespClientState): void {
    if (this.stateValue === state && state !== 'lost') return;
    this.stateValue = state;
    for (const cb of [...this.stateHandlers]) cb(state);
  }
}

/**
 * Parses `redis://[[user]:password@]host[:port][/db]`. The password may also come from the
 * environment so it need not appear on a command line (where `ps` shows it).
 */
export function parseRedisUrl(text: string): RespClientOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('the Redis address must look like redis://[:password@]host[:port][/db]');
  }
  if (url.protocol !== 'redis:') throw new Error(`unsupported Redis address scheme "${url.protocol}" (use redis://; for TLS, run a local stunnel or Redis' own TLS proxy)`);
  const db = url.pathname && url.pathname !== '/' ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error('the Redis database number must be a whole number');
  const opts: RespClientOptions = { host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: url.port ? Number(url.port) : 6379, db };
  if (url.password) opts.password = decodeURIComponent(url.password);
  if (url.username) opts.username = decodeURIComponent(url.username);
  return opts;
}
