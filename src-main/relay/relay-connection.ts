/**
 * One client's WebSocket on the relay: read the hello, host or join through the PairingStore (or
 * join by Easy Connect code, or answer a code registration: relay-code-ops.ts), then forward
 * binary messages unchanged, within the per-pair limits (rate, quota, idle time, lifetime).
 *
 * The relay never interprets the forwarded bytes: they are the link's handshake framing and
 * AES-GCM records. It could delay or drop them (a denial of service any network path can do), but
 * any change, replay or reordering is detected by the ends, which then close the link.
 */
import type { WebSocket, RawData } from 'ws';
import type { PairEndpoint, PairHooks, PairingStore } from './pairing-store';
import { MAX_HELLO_BYTES, RELAY_CLOSE, RelayHello, type RelayNotice } from './relay-protocol';
import type { RelayLimits } from './relay-limits';
import { pairingTag, type RelayLog } from './relay-log';
import { ByteRateLimiter } from './byte-rate-limiter';
import type { IpLimiter } from './ip-limiter';
import { countCodeJoin, handleCodeRequest, resolveCodeJoin, type CodeOpsContext, type Refusal } from './relay-code-ops';
import { mintTurnCredentials, type TurnConfig } from './turn-credentials';

/** What every connection of one relay instance shares. */
export interface RelayContext extends CodeOpsContext {
  store: PairingStore;
  limits: RelayLimits;
  log: RelayLog;
  ipLimiter: IpLimiter;
  /** Running total of bytes received from clients and forwarded. */
  counters: { bytesForwarded: number; pairsFormed: number };
  /** When set, both ends of every pair get time-limited TURN credentials with "paired". */
  turn: TurnConfig | null;
}

/** Where a connection stands. */
export type RelayConnectionState = 'hello' | 'pending' | 'waiting' | 'paired' | 'closed';

/** The relay side of one client WebSocket. */
export class RelayConnection {
  private stateValue: RelayConnectionState = 'hello';
  private endpoint: PairEndpoint | null = null;
  private role: 'host' | 'join' | 'code-join' | 'code-register' | 'code-remove' | null = null;
  private tag: string | null = null;
  private readonly openedAt = Date.now();
  private stateSince = Date.now();
  private lastActivity = Date.now();
  private lastPing = Date.now();
  private alive = true;
  private bytesIn = 0;
  private bytesOut = 0;
  private readonly rate: ByteRateLimiter;
  private flowBlocked = false;
  private rateBlockedUntil = 0;
  private rateTimer: NodeJS.Timeout | null = null;
  private paused = false;
  /** Bytes from the other end that beat our own "paired" notice (possible across instances). */
  private early: Buffer[] = [];

  constructor(
    private readonly ws: WebSocket,
    readonly ip: string,
    private readonly ctx: RelayContext,
    private readonly onGone: (c: RelayConnection) => void,
  ) {
    this.rate = new ByteRateLimiter(ctx.limits.pairBytesPerSecond);
    ws.on('message', this.onMessage);
    ws.on('close', this.onClose);
    ws.on('error', () => {}); // 'close' follows
    ws.on('pong', () => (this.alive = true));
  }

  get state(): RelayConnectionState {
    return this.stateValue;
  }

  /** Timers of all connections run from one server-wide tick (one timer, however many clients). */
  tick(now: number): void {
    const l = this.ctx.limits;
    const since = now - this.stateSince;
    if (this.stateValue === 'hello' && since > l.helloTimeoutMs) return this.closeBoth(RELAY_CLOSE.timeout, 'no hello received in time');
    if (this.stateValue === 'waiting' && since > l.waitTimeoutMs) return this.closeBoth(RELAY_CLOSE.timeout, 'nobody joined in time');
    if (this.stateValue === 'paired') {
      if (now - this.stateSince > l.maxPairLifetimeMs) return this.closeBoth(RELAY_CLOSE.lifetime, 'the pair reached its maximum lifetime');
      if (now - this.lastActivity > l.idleTimeoutMs) return this.closeBoth(RELAY_CLOSE.timeout, 'no data in either direction for too long');
    }
    if (now - this.lastPing >= l.pingIntervalMs) {
      // A client that did not answer the previous ping is gone (a dead NAT mapping, a sleeping laptop).
      if (!this.alive) {
        this.ws.terminate();
        return;
      }
      this.alive = false;
      this.lastPing = now;
      this.ws.ping();
    }
  }

  /** Closes this client and the other end with `code` (relay shutdown, limits). */
  closeBoth(code: number, reason: string): void {
    if (this.stateValue === 'closed') return;
    this.endpoint?.close(code, reason);
    this.endpoint = null;
    this.closeClient(code, reason);
  }

  // ---- client → relay ----

  private onMessage = (data: RawData, isBinary: boolean): void => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    switch (this.stateValue) {
      case 'hello':
        return this.onHello(buf, isBinary);
      case 'paired':
        if (!isBinary) return this.closeBoth(RELAY_CLOSE.badRequest, 'only binary messages after pairing');
        return this.forward(buf);
      case 'pending':
      case 'waiting':
        return this.closeBoth(RELAY_CLOSE.badRequest, 'wait for "paired" before sending data');
      case 'closed':
        return;
    }
  };

  private onHello(buf: Buffer, isBinary: boolean): void {
    let hello: RelayHello;
    try {
      if (isBinary || buf.length > MAX_HELLO_BYTES) throw new Error('size');
      const parsed = RelayHello.safeParse(JSON.parse(buf.toString('utf8')));
      if (!parsed.success) throw new Error('schema');
      hello = parsed.data;
    } catch {
      return this.closeClient(RELAY_CLOSE.badRequest, 'the first message must be a relay hello');
    }
    this.setState('pending');
    switch (hello.op) {
      case 'host':
      case 'join':
        return this.pair(hello.op, hello.pairing, null);
      case 'code-join':
        return void this.joinByCode(hello.code);
      case 'code-register':
      case 'code-remove':
        this.role = hello.op;
        this.tag = pairingTag(hello.pairing);
        return void this.settle(handleCodeRequest(hello, this.ip, this.ctx), (r) => {
          this.notice(r.notice);
          this.closeClient(RELAY_CLOSE.normal, 'done');
        });
    }
  }

  /** A code join: find the pairing behind the code, join it, count the join, then say "paired". */
  private async joinByCode(code: string): Promise<void> {
    this.role = 'code-join';
    await this.settle(resolveCodeJoin(code, this.ip, this.ctx), ({ entry }) => {
      this.pair('join', entry.pairingId, () =>
        this.settle(countCodeJoin(code, entry, this.ip, this.ctx), ({ joinsLeft }) => {
          this.notice({ t: 'invitation', info: entry.info, expiresAt: entry.expiresAt, joinsLeft });
          this.onPaired();
        }),
      );
    });
  }

  /** Runs a store operation that may refuse; a failing store means "unavailable". */
  private async settle<T extends object>(op: Promise<T | Refusal>, then: (ok: T) => void): Promise<void> {
    let r: T | Refusal;
    try {
      r = await op;
    } catch (err) {
      this.ctx.log('error', 'store.error', { ip: this.ip, pairing: this.tag, error: err instanceof Error ? err.message : String(err) });
      r = { close: RELAY_CLOSE.unavailable, reason: 'the relay cannot serve codes right now; try again shortly' };
    }
    if (this.stateValue === 'closed') return;
    if ('close' in r && typeof r.close === 'number') {
      this.endpoint?.close(RELAY_CLOSE.peerLeft, 'the other end left');
      this.endpoint = null;
      return this.closeClient(r.close, (r as Refusal).reason);
    }
    then(r as T);
  }

  /**
   * Hosts or joins `pairingId` through the store. A joiner becomes paired at once, or, for a code
   * join, once `afterJoin` has counted the join (it calls onPaired itself).
   */
  private pair(op: 'host' | 'join', pairingId: string, afterJoin: (() => Promise<void>) | null): void {
    this.role ??= op;
    this.tag = pairingTag(pairingId);
    if (op === 'host' && !this.ctx.ipLimiter.takePairing(this.ip)) {
      this.ctx.log('warn', 'pairing.refused', { ip: this.ip, pairing: this.tag, why: 'rate-limited' });
      return this.closeClient(RELAY_CLOSE.rateLimited, `too many new pairings from your address (limit ${this.ctx.limits.maxNewPairingsPerIpPerMinute} per minute)`);
    }
    const hooks: PairHooks = {
      onPaired: () => this.onPaired(),
      onData: (d) => this.deliver(d),
      onPeerClosed: (code, reason) => {
        this.endpoint = null;
        // Limits the other side's instance enforced are passed on as they are; anything else is "left".
        const passOn = code === RELAY_CLOSE.normal || code === RELAY_CLOSE.peerLeft ? RELAY_CLOSE.peerLeft : code;
        this.closeClient(passOn, passOn === RELAY_CLOSE.peerLeft ? 'the other end left' : reason);
      },
      onDrain: () => {
        this.flowBlocked = false;
        this.updatePause();
      },
    };
    const window = this.ctx.limits.flowWindowBytes;
    const result = op === 'host' ? this.ctx.store.host(pairingId, hooks, window) : this.ctx.store.join(pairingId, hooks, window);
    result.then(
      (result) => {
        if ('refused' in result) return this.refused(result.refused);
        if (this.stateValue === 'closed') {
          result.endpoint.close(RELAY_CLOSE.peerLeft, 'the other end left');
          return;
        }
        this.endpoint = result.endpoint;
        if (op === 'host') {
          if (this.stateValue !== 'pending') return; // a joiner was quicker than this continuation
          this.setState('waiting');
          this.ctx.log('info', 'pairing.hosted', { ip: this.ip, pairing: this.tag });
          this.notice({ t: 'waiting' });
        } else {
          this.ctx.log('info', 'pairing.joined', { ip: this.ip, pairing: this.tag, byCode: afterJoin !== null });
          if (afterJoin) void afterJoin();
          else this.onPaired();
        }
      },
      (err: unknown) => {
        this.ctx.log('error', 'store.error', { ip: this.ip, pairing: this.tag, error: err instanceof Error ? err.message : String(err) });
        this.refused('unavailable');
      },
    );
  }

  private refused(why: 'taken' | 'unknown' | 'full' | 'unavailable'): void {
    this.ctx.log('info', 'pairing.refused', { ip: this.ip, pairing: this.tag, role: this.role, why });
    switch (why) {
      case 'taken':
        return this.closeClient(RELAY_CLOSE.pairingTaken, 'another client already hosts this pairing');
      case 'unknown':
        return this.closeClient(RELAY_CLOSE.unknownPairing, 'nobody is waiting with this pairing id');
      case 'full':
        return this.closeClient(RELAY_CLOSE.pairFull, 'this pairing already has two ends');
      case 'unavailable':
        return this.closeClient(RELAY_CLOSE.unavailable, 'the relay cannot pair clients right now; try again shortly');
    }
  }

  private onPaired(): void {
    if (this.stateValue === 'closed' || this.stateValue === 'paired') return;
    this.setState('paired');
    this.lastActivity = Date.now();
    if (this.role === 'host') this.ctx.counters.pairsFormed++;
    // Credentials only for the two ends of a live pair: nobody can collect them without an invitation.
    const ice = this.ctx.turn && this.tag ? [mintTurnCredentials(this.ctx.turn, `ra-${this.tag}`)] : null;
    this.notice(ice ? { t: 'paired', iceServers: ice } : { t: 'paired' });
    const early = this.early;
    this.early = [];
    for (const d of early) this.deliver(d);
  }

  private forward(buf: Buffer): void {
    const n = buf.length;
    this.bytesIn += n;
    this.lastActivity = Date.now();
    if (!this.withinQuota()) return;
    this.ctx.counters.bytesForwarded += n;
    const wait = this.rate.take(n);
    if (this.endpoint && !this.endpoint.send(buf)) this.flowBlocked = true;
    if (wait > 0) this.rateBlockedUntil = Date.now() + wait;
    this.updatePause();
  }

  // ---- relay → client ----

  private deliver(data: Buffer): void {
    if (this.stateValue === 'closed') return;
    if (this.stateValue !== 'paired') {
      // The client must see "paired" before the first byte; the flow-control window bounds this.
      this.early.push(data);
      return;
    }
    const n = data.length;
    this.bytesOut += n;
    this.lastActivity = Date.now();
    if (!this.withinQuota()) return;
    this.ws.send(data, { binary: true }, (err) => {
      // Credit the sender only once the bytes left for the client: that is the backpressure.
      if (!err) this.endpoint?.consumed(n);
    });
  }

  /** Each end counts both directions, so the quota holds even when the ends are on different instances. */
  private withinQuota(): boolean {
    if (this.bytesIn + this.bytesOut <= this.ctx.limits.pairMaxBytes) return true;
    this.closeBoth(RELAY_CLOSE.quota, 'the pair used up its data quota');
    return false;
  }

  private updatePause(): void {
    if (this.stateValue === 'closed') return;
    const rateWait = this.rateBlockedUntil - Date.now();
    const shouldPause = this.flowBlocked || rateWait > 0;
    if (shouldPause && !this.paused) {
      this.paused = true;
      this.ws.pause();
    } else if (!shouldPause && this.paused) {
      this.paused = false;
      this.ws.resume();
    }
    if (rateWait > 0 && !this.rateTimer) {
      this.rateTimer = setTimeout(() => {
        this.rateTimer = null;
        this.updatePause();
      }, rateWait);
    }
  }

  private notice(n: RelayNotice): void {
    this.ws.send(JSON.stringify(n));
  }

  private setState(s: RelayConnectionState): void {
    this.stateValue = s;
    this.stateSince = Date.now();
  }

  private closeClient(code: number, reason: string): void {
    if (this.stateValue === 'closed') return;
    this.finish(code, reason);
    // The close frame goes out after the data already queued, so the client gets everything first.
    this.ws.close(code, reason.slice(0, 120));
    // A client that does not complete the closing handshake is cut off.
    setTimeout(() => this.ws.terminate(), 5000).unref();
  }

  private onClose = (code: number): void => {
    if (this.stateValue === 'closed') return;
    // The client left (or its socket died): the other end hears "left" and is closed in turn.
    this.endpoint?.close(RELAY_CLOSE.peerLeft, 'the other end left');
    this.endpoint = null;
    this.finish(code, 'client closed');
  };

  private finish(code: number, reason: string): void {
    const was = this.stateValue;
    this.stateValue = 'closed';
    if (this.rateTimer) clearTimeout(this.rateTimer);
    this.ctx.log('info', 'connection.closed', {
      ip: this.ip,
      role: this.role,
      pairing: this.tag,
      state: was,
      code,
      reason,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      durationMs: Date.now() - this.openedAt,
    });
    this.onGone(this);
  }
}
