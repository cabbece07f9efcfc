/**
 * PairingStore in Redis, so that several relay instances behind a load balancer pair clients that
 * landed on different instances and forward their bytes between them.
 *
 * - Keys (hashed pairing id, never the id itself): `<prefix>h:<hash>` = the host's token (SET NX:
 *   one host per id), `<prefix>j:<hash>` = the joiner's token (SET NX: one joiner per id). Both
 *   expire after `keyTtlMs` unless the owning instance refreshes them, so a crashed instance
 *   frees its ids within that time.
 * - Every end has a channel `<prefix>c:<token>` (random 128-bit token) that its instance
 *   subscribes to. The joiner publishes JOIN to the host's channel; from then on each instance
 *   publishes DATA / ACK / CLOSE to the other end's channel. All of one instance's publishes go
 *   through one connection, so Redis delivers them in order (JOIN before the first DATA).
 * - Flow control: ACKs carry how many bytes the receiving instance wrote to its client; a sender
 *   stops reading its client when a window of bytes is unacknowledged (Redis pub/sub itself has
 *   no backpressure: it would buffer, then drop the subscriber).
 * - If the connection to Redis drops, messages may have been lost: every pair that depends on it
 *   is closed (4503) rather than left to corrupt its link.
 *
 * Throughput: every relayed message is one PUBLISH and one delivery through Redis; see docs/relay.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { RespClient, type RespClientOptions, type RespClientState } from './resp-client';
import { CreditWindow, type HostResult, type JoinResult, type PairEndpoint, type PairHooks, type PairingStore } from '../pairing-store';
import { RELAY_CLOSE } from '../relay-protocol';
import { silentRelayLog, type RelayLog } from '../relay-log';
import { ACK, CLOSE, DATA, JOIN, closeFrame, frame } from './pair-channel-messages';

/** Options of `RedisPairingStore.connect`. */
export interface RedisPairingStoreOptions {
  redis: RespClientOptions;
  /** Key and channel prefix, to share one Redis with other uses (default "ra-relay:"). */
  prefix?: string;
  /** Expiry of the pairing keys; refreshed every third of it while the pairing lives (default 30 s). */
  keyTtlMs?: number;
  log?: RelayLog;
}


interface Side {
  token: string;
  role: 'host' | 'join';
  hooks: PairHooks;
  window: CreditWindow;
  hostKey: string;
  joinKey: string;
  hostToken: string | null;
  joinToken: string | null;
  peerChannel: string | null;
  closed: boolean;
  ackPending: number;
  ackScheduled: boolean;
  goneTimer: NodeJS.Timeout | null;
}

/** Deletes KEYS[1] only while it holds ARGV[1]. */
const DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/** How long a side waits for the peer's CLOSE after finding nobody on its channel. */
const PEER_GONE_GRACE_MS = 2000;

/** Redis-backed PairingStore (two connections: commands and subscriptions). */
export class RedisPairingStore implements PairingStore {
  readonly kind = 'redis' as const;
  private readonly sides = new Map<string, Side>();
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly log: RelayLog;
  private readonly refresh: NodeJS.Timeout;

  private constructor(
    private readonly cmd: RespClient,
    private readonly sub: RespClient,
    opts: RedisPairingStoreOptions,
  ) {
    this.prefix = opts.prefix ?? 'ra-relay:';
    this.ttlMs = opts.keyTtlMs ?? 30_000;
    this.log = opts.log ?? silentRelayLog;
    sub.onMessage((channel, msg) => this.onMessage(channel, msg));
    const onState = (which: string) => (state: RespClientState) => {
      this.log(state === 'ready' ? 'info' : 'warn', 'store.redis', { connection: which, state });
      if (state === 'lost' || state === 'failed') this.dropAll('the relay lost its connection to its pairing store');
    };
    cmd.onState(onState('commands'));
    sub.onState(onState('subscriptions'));
    this.refresh = setInterval(() => this.refreshKeys(), Math.max(1000, this.ttlMs / 3));
    this.refresh.unref();
  }

  /** Connects both Redis connections (reconnecting forever, every second, after a loss). */
  static async connect(opts: RedisPairingStoreOptions): Promise<RedisPairingStore> {
    const redis: RespClientOptions = { reconnectAttempts: Number.MAX_SAFE_INTEGER, reconnectDelayMs: 1000, ...opts.redis };
    const cmd = await RespClient.connect(redis);
    try {
      const sub = await RespClient.connect(redis);
      return new RedisPairingStore(cmd, sub, opts);
    } catch (e) {
      await cmd.close();
      throw e;
    }
  }

  healthy(): boolean {
    return this.cmd.state === 'ready' && this.sub.state === 'ready';
  }

  async host(pairingId: string, hooks: PairHooks, windowBytes: number): Promise<HostResult> {
    if (!this.healthy()) return { refused: 'unavailable' };
    const side = this.newSide('host', pairingId, hooks, windowBytes);
    side.hostToken = side.token;
    try {
      // Subscribe first: a joiner that finds the key must find us listening.
      await this.sub.subscribe(this.channel(side.token));
      if (!(await this.cmd.set(side.hostKey, side.token, { nx: true, px: this.ttlMs }))) {
        this.forget(side);
        return { refused: 'taken' };
      }
    } catch {
      this.forget(side);
      return { refused: 'unavailable' };
    }
    if (side.closed) return { refused: 'unavailable' }; // the connection dropped meanwhile
    return { endpoint: this.endpoint(side) };
  }

  async join(pairingId: string, hooks: PairHooks, windowBytes: number): Promise<JoinResult> {
    if (!this.healthy()) return { refused: 'unavailable' };
    const side = this.newSide('join', pairingId, hooks, windowBytes);
    side.joinToken = side.token;
    let claimed = false;
    try {
      claimed = await this.cmd.set(side.joinKey, side.token, { nx: true, px: this.ttlMs });
      const host = await this.cmd.get(side.hostKey);
      if (!host) {
        if (claimed) await this.deleteIfOurs(side.joinKey, side.token);
        this.forget(side);
        return { refused: 'unknown' };
      }
      if (!claimed) {
        this.forget(side);
        return { refused: 'full' };
      }
      side.hostToken = host.toString('latin1');
      await this.sub.subscribe(this.channel(side.token));
      const receivers = await this.cmd.publish(this.channel(side.hostToken), frame(JOIN, Buffer.from(side.token, 'latin1')));
      if (receivers === 0) {
        // The host's instance is gone (crashed, or the host left a moment ago).
        await this.deleteIfOurs(side.joinKey, side.token);
        this.forget(side);
        return { refused: 'unknown' };
      }
    } catch {
      if (claimed) void this.deleteIfOurs(side.joinKey, side.token).catch(() => {});
      this.forget(side);
      return { refused: 'unavailable' };
    }
    if (side.closed) return { refused: 'unavailable' };
    side.peerChannel = this.channel(side.hostToken);
    return { endpoint: this.endpoint(side) };
  }

  async close(): Promise<void> {
    clearInterval(this.refresh);
    for (const side of [...this.sides.values()]) this.closeSide(side, RELAY_CLOSE.goingAway, 'the relay is shutting down', true);
    await Promise.allSettled([this.cmd.close(), this.sub.close()]);
  }

  // ---- internals ----

  private newSide(role: 'host' | 'join', pairingId: string, hooks: PairHooks, windowBytes: number): Side {
    const hash = createHash('sha256').update(pairingId, 'utf8').digest('base64url');
    const side: Side = {
      token: randomBytes(16).toString('base64url'),
      role,
      hooks,
      window: new CreditWindow(windowBytes, () => hooks.onDrain()),
      hostKey: `${this.prefix}h:${hash}`,
      joinKey: `${this.prefix}j:${hash}`,
      hostToken: null,
      joinToken: null,
      peerChannel: null,
      closed: false,
      ackPending: 0,
      ackScheduled: false,
      goneTimer: null,
    };
    this.sides.set(this.channel(side.token), side);
    return side;
  }

  private channel(token: string): string {
    return `${this.prefix}c:${token}`;
  }

  private endpoint(side: Side): PairEndpoint {
    return {
      send: (data) => {
        if (side.closed || !side.peerChannel) return true;
        const ok = side.window.sent(data.length);
        this.publish(side, frame(DATA, data));
        return ok;
      },
      consumed: (n) => {
        if (side.closed || !side.peerChannel) return;
        side.ackPending += n;
        if (side.ackScheduled) return;
        side.ackScheduled = true;
        // One ACK per event-loop turn, not one per message.
        setImmediate(() => {
          side.ackScheduled = false;
          if (side.closed || side.ackPending === 0) return;
          const b = Buffer.alloc(4);
          b.writeUInt32BE(Math.min(side.ackPending, 0xffffffff));
          side.ackPending = 0;
          this.publish(side, frame(ACK, b));
        });
      },
      close: (code, reason) => this.closeSide(side, code, reason, true),
    };
  }

  private publish(side: Side, message: Buffer): void {
    const channel = side.peerChannel;
    if (!channel) return;
    this.cmd.publish(channel, message).then(
      (receivers) => {
        // Nobody listens on the other end's channel: it left (its CLOSE, which says why, may still
        // be on its way on the other connection) or its instance died (then no CLOSE will come).
        if (receivers === 0 && !side.closed && !side.goneTimer) {
          side.goneTimer = setTimeout(() => this.peerGone(side, RELAY_CLOSE.peerLeft, 'the other end is gone'), PEER_GONE_GRACE_MS);
          side.goneTimer.unref();
        }
      },
      () => {
        if (!side.closed) this.peerGone(side, RELAY_CLOSE.unavailable, 'the relay lost its connection to its pairing store');
      },
    );
  }

  private onMessage(channel: string, msg: Buffer): void {
    const side = this.sides.get(channel);
    const type = msg[0];
    const body = msg.subarray(1);
    if (!side || side.closed) {
      // A JOIN for an end that just left: tell the joiner at once instead of letting it wait.
      if (type === JOIN) void this.cmd.publish(this.channel(body.toString('latin1')), closeFrame(RELAY_CLOSE.peerLeft, 'the other end left')).catch(() => {});
      return;
    }
    switch (type) {
      case DATA:
        side.hooks.onData(body);
        return;
      case ACK:
        if (body.length === 4) side.window.credit(body.readUInt32BE(0));
        return;
      case JOIN: {
        const joinToken = body.toString('latin1');
        if (side.role !== 'host' || side.peerChannel) {
          void this.cmd.publish(this.channel(joinToken), closeFrame(RELAY_CLOSE.pairFull, 'this pairing already has two ends')).catch(() => {});
          return;
        }
        side.joinToken = joinToken;
        side.peerChannel = this.channel(joinToken);
        side.hooks.onPaired();
        return;
      }
      case CLOSE: {
        const code = body.length >= 2 ? body.readUInt16BE(0) : RELAY_CLOSE.peerLeft;
        const reason = body.subarray(2).toString('utf8').slice(0, 120);
        this.peerGone(side, code, reason || 'the other end left');
        return;
      }
      default:
        this.log('warn', 'store.redis.bad-message', { type });
    }
  }

  /** The other end left: close ours without echoing a CLOSE back. */
  private peerGone(side: Side, code: number, reason: string): void {
    if (side.closed) return;
    this.closeSide(side, code, reason, false);
    side.hooks.onPeerClosed(code, reason);
  }

  private closeSide(side: Side, code: number, reason: string, tellPeer: boolean): void {
    if (side.closed) return;
    if (tellPeer && side.peerChannel) this.publish(side, closeFrame(code, reason));
    this.forget(side);
    // Whichever end leaves first frees the pairing id for the next attempt (both keys).
    if (side.hostToken) void this.deleteIfOurs(side.hostKey, side.hostToken).catch(() => {});
    if (side.joinToken) void this.deleteIfOurs(side.joinKey, side.joinToken).catch(() => {});
  }

  private forget(side: Side): void {
    side.closed = true;
    if (side.goneTimer) clearTimeout(side.goneTimer);
    const ch = this.channel(side.token);
    if (this.sides.get(ch) === side) {
      this.sides.delete(ch);
      if (this.sub.state === 'ready') void this.sub.unsubscribe(ch).catch(() => {});
    }
  }

  /**
   * Deletes `key` if it still holds `token`, atomically (a script): both ends of a pair free both
   * keys when it ends, so a GET-then-DEL by the slower end could delete the key a new host of the
   * same id (the requester hosting again for the next attempt) had set in between.
   */
  private async deleteIfOurs(key: string, token: string): Promise<void> {
    await this.cmd.command('EVAL', DELETE_IF_EQUAL, 1, key, token);
  }

  private refreshKeys(): void {
    if (this.cmd.state !== 'ready') return;
    const secs = Math.ceil(this.ttlMs / 1000);
    for (const side of this.sides.values()) {
      if (side.closed) continue;
      if (side.role === 'host') void this.cmd.expire(side.hostKey, secs).catch(() => {});
      else void this.cmd.expire(side.joinKey, secs).catch(() => {});
    }
  }

  /** Closes every local end after the Redis connection dropped (messages may have been lost). */
  private dropAll(reason: string): void {
    for (const side of [...this.sides.values()]) {
      this.forget(side);
      side.hooks.onPeerClosed(RELAY_CLOSE.unavailable, reason);
    }
  }
}
