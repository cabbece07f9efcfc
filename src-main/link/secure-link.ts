/**
 * The PeerLink over a byte stream (TCP, or a relay stream: link-stream.ts) after the password
 * handshake: sealed frames (record-layer.ts), channel multiplexing, header validation, keepalive,
 * backpressure, and defences against a hostile peer (oversized frames, floods, CPU starvation).
 *
 * Trust: the peer proved it knows the invitation password, which makes it *authenticated*, not
 * *trusted*. Every header is validated against its channel's schema; anything odd is dropped and
 * logged (app channels) or ends the link (channel 0, which only this code speaks).
 */
import { performance } from 'node:perf_hooks';
import { CHANNEL_IDS, type ChannelName } from '../../src-shared/protocol/channels';
import type { LinkCloseInfo, PeerChannel, PeerLink } from './link-types';
import { LinkProtocolError } from './link-errors';
import { LinkMessage, sanitizePeerText, sealLinkMessage, type LinkRefusal } from './link-messages';
import { DEFAULT_LINK_LIMITS, type ChannelSchemas, type LinkLimits, type LinkLog } from './link-options';
import { FrameOpener, FrameSealer, LINK_CHANNEL_ID, type DirectionKey, type OpenedFrame } from './record-layer';
import { closeGracefully } from './handshake-stream';
import { ChannelDispatcher } from './channel-dispatcher';
import { FrameRateLimiter } from './frame-rate-limiter';
import type { LinkStream } from './link-stream';

/** Everything a SecureLink needs; produced by the handshake. */
export interface SecureLinkInit {
  /** The connection: a TCP socket, or a relay stream (same handshake, same record layer). */
  socket: LinkStream;
  /** Key for frames this side sends. */
  sendKey: DirectionKey;
  /** Key for frames the peer sends. */
  recvKey: DirectionKey;
  localName: string;
  peerName: string;
  peerAddress: string;
  /** The helper waits for the requester's "ready"; the requester sends it at once. */
  role: 'helper' | 'requester';
  channelSchemas: ChannelSchemas;
  logger: LinkLog;
  /** Bytes that arrived together with the end of the handshake and already belong to the record layer. */
  initialBytes?: Buffer;
  limits?: Partial<LinkLimits>;
}

/** Rejection of `whenReady()`: the link closed before the requester accepted it. */
export class LinkNotReadyError extends Error {
  override readonly name = 'LinkNotReadyError';
  constructor(
    readonly info: LinkCloseInfo,
    readonly refusal: LinkRefusal | undefined,
  ) {
    super(info.message);
  }
}

/** The authenticated, encrypted link between two mains (implements PeerLink). */
export class SecureLink implements PeerLink {
  readonly localName: string;
  readonly peerName: string;
  readonly peerAddress: string;
  /** Round-trip time of the last keepalive, in ms (null until the first pong). */
  rttMs: number | null = null;

  private readonly socket: LinkStream;
  private readonly sealer: FrameSealer;
  private readonly opener: FrameOpener;
  private readonly limits: LinkLimits;
  private readonly log: LinkLog;
  private readonly dispatcher: ChannelDispatcher;
  private readonly rate: FrameRateLimiter;
  private readonly role: 'helper' | 'requester';
  private readonly channels = new Map<ChannelName, PeerChannel>();
  private readonly drainHandlers = new Set<() => void>();
  private readonly closeHandlers = new Set<(info: LinkCloseInfo) => void>();
  private closeInfo: LinkCloseInfo | null = null;
  private peerRefusal: LinkRefusal | undefined;
  private wantDrain = false;
  private scheduled = false;
  private paused = false;
  private peerEnded = false;
  private socketError: string | null = null;
  private lastRx = performance.now();
  private lastPingAt = performance.now();
  private pingSeq = 0;
  private readonly maxBuffered: number;
  private readonly timer: NodeJS.Timeout;
  private ready: boolean;
  private readonly readyPromise: Promise<void>;
  private settleReady!: (err?: LinkNotReadyError) => void;

  constructor(init: SecureLinkInit) {
    this.socket = init.socket;
    this.localName = init.localName;
    this.peerName = init.peerName;
    this.peerAddress = init.peerAddress;
    this.role = init.role;
    this.log = init.logger;
    this.limits = { ...DEFAULT_LINK_LIMITS, ...init.limits };
    this.dispatcher = new ChannelDispatcher(init.channelSchemas, init.logger, init.peerName);
    this.rate = new FrameRateLimiter(this.limits.maxFramesPerSecond);
    this.sealer = new FrameSealer(init.sendKey, { maxFrameBytes: this.limits.maxFrameBytes });
    this.opener = new FrameOpener(init.recvKey, { maxFrameBytes: this.limits.maxFrameBytes });
    // Reading pauses above this, so a peer can make us hold at most about one frame plus one read.
    this.maxBuffered = this.limits.maxFrameBytes + 256 * 1024;
    this.ready = init.role === 'requester';
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    this.readyPromise.catch(() => {}); // observed through whenReady(); never an unhandled rejection

    const s = this.socket;
    s.setNoDelay?.(true); // (TCP only) input events are tiny and latency-sensitive; big frames are written corked
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('error', this.onError);
    s.on('close', this.onSocketClose);
    s.on('drain', this.onSocketDrain);
    const tick = Math.max(10, Math.min(this.limits.pingIntervalMs, this.limits.idleTimeoutMs / 4));
    this.timer = setInterval(this.onTick, tick);
    this.timer.unref();

    if (this.role === 'requester') {
      this.settleReady();
      this.writePieces(sealLinkMessage(this.sealer, { t: 'ready' }));
    }
    if (init.initialBytes && init.initialBytes.length > 0) this.onData(init.initialBytes);
    s.resume(); // the handshake paused the socket while handing it over
    // The peer may have vanished while the socket changed hands; its 'close' would not come again.
    if (s.destroyed) queueMicrotask(this.onSocketClose);
  }

  get closed(): boolean {
    return this.closeInfo !== null;
  }

  /** Why the link closed, once it has. */
  get closedWith(): LinkCloseInfo | null {
    return this.closeInfo;
  }

  /** Resolves when the requester has accepted the link (at once on the requester side). */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  channel(name: ChannelName): PeerChannel {
    let ch = this.channels.get(name);
    if (!ch) {
      const id = CHANNEL_IDS[name];
      if (id === undefined) throw new RangeError(`unknown channel ${String(name)}`);
      ch = {
        send: (header, body) => this.sendFrame(id, header, body),
        onMessage: (cb) => this.dispatcher.subscribe(name, cb),
        onDrain: (cb) => {
          this.drainHandlers.add(cb);
          return () => this.drainHandlers.delete(cb);
        },
      };
      this.channels.set(name, ch);
    }
    return ch;
  }

  /** Subscribes to the end of the link. Subscribing after it ended still reports it, once. */
  onClose(cb: (info: LinkCloseInfo) => void): () => void {
    if (this.closeInfo) {
      const info = this.closeInfo;
      queueMicrotask(() => cb(info));
      return () => {};
    }
    this.closeHandlers.add(cb);
    return () => this.closeHandlers.delete(cb);
  }

  /** Says goodbye (the peer sees 'closed-by-peer' with `reason`) and closes. */
  close(reason = 'The other side ended the connection.'): void {
    this.shutdown({ reason: 'closed-locally', message: reason }, reason);
  }

  // ---- sending ----

  private sendFrame(channelId: number, header: object, body?: Uint8Array): boolean {
    if (this.closeInfo) return false;
    const json = JSON.stringify(header);
    if (typeof json !== 'string') throw new TypeError('a link message header must be a JSON object');
    let pieces: Buffer[];
    try {
      pieces = this.sealer.seal(channelId, Buffer.from(json, 'utf8'), body);
    } catch (e) {
      if (e instanceof LinkProtocolError) {
        this.fail(e);
        return false;
      }
      throw e; // RangeError: the caller sent a message that cannot fit a frame
    }
    this.writePieces(pieces);
    const ok = this.socket.writableLength < this.limits.highWaterMark;
    if (!ok) this.wantDrain = true;
    return ok;
  }

  private sendLink(msg: LinkMessage): void {
    try {
      this.writePieces(sealLinkMessage(this.sealer, msg));
    } catch (e) {
      if (e instanceof LinkProtocolError) this.fail(e);
      else throw e;
    }
  }

  private writePieces(pieces: Buffer[]): void {
    const s = this.socket;
    if (s.destroyed || s.writableEnded) return;
    if (pieces.length === 1) {
      s.write(pieces[0]!);
      return;
    }
    // Corked writes go out as one writev: one syscall per frame, no concatenation copy.
    s.cork();
    for (const p of pieces) s.write(p);
    s.uncork();
  }

  private onSocketDrain = (): void => {
    if (!this.wantDrain || this.closeInfo || this.socket.writableLength >= this.limits.highWaterMark) return;
    this.wantDrain = false;
    for (const cb of [...this.drainHandlers]) this.safeCall(cb, 'drain handler');
  };

  // ---- receiving ----

  private onData = (chunk: Buffer): void => {
    if (this.closeInfo) return;
    this.lastRx = performance.now();
    try {
      this.opener.push(chunk); // checks a new frame's length at once ('oversized' before buffering it)
    } catch (e) {
      this.fail(e);
      return;
    }
    if (!this.paused && this.opener.bufferedBytes > this.maxBuffered) {
      this.socket.pause();
      this.paused = true;
    }
    this.schedule();
  };

  private schedule(): void {
    if (this.scheduled || this.closeInfo) return;
    this.scheduled = true;
    setImmediate(this.processBatch);
  }

  /**
   * Opens and dispatches a bounded batch of frames, then yields to the event loop (setImmediate)
   * if more are waiting: a peer cannot monopolise main, whose other work (consent prompts, input
   * injection, the UI's RPC) must stay responsive.
   */
  private processBatch = (): void => {
    this.scheduled = false;
    const more = this.drainFrames(this.limits.batchFrames, this.limits.batchBytes);
    if (this.closeInfo) return;
    if (more) {
      this.schedule();
      return;
    }
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    if (this.peerEnded) this.onPeerGone();
  };

  /** Opens up to the given number of frames; true when it stopped at a limit with frames possibly left. */
  private drainFrames(maxFrames: number, maxBytes: number): boolean {
    if (this.closeInfo) return false;
    this.rate.refill();
    let frames = 0;
    let bytes = 0;
    try {
      while (frames < maxFrames && bytes < maxBytes) {
        const f = this.opener.next();
        if (!f) return false;
        frames++;
        bytes += f.header.length + (f.body?.length ?? 0);
        if (!this.rate.take()) throw new LinkProtocolError('flood', `The peer sent more than ${this.limits.maxFramesPerSecond} messages per second.`);
        this.dispatch(f);
        if (this.closeInfo) return false;
      }
    } catch (e) {
      this.fail(e);
      return false;
    }
    return true;
  }

  private dispatch(f: OpenedFrame): void {
    if (f.channelId === LINK_CHANNEL_ID) {
      this.onLinkMessage(f);
      return;
    }
    if (!this.ready) throw new LinkProtocolError('protocol-error', 'The peer sent data before the link was ready.');
    this.dispatcher.dispatch(f.channelId, f.header, f.body);
  }

  private onLinkMessage(f: OpenedFrame): void {
    let msg: LinkMessage;
    try {
      const parsed = LinkMessage.safeParse(JSON.parse(f.header.toString('utf8')));
      if (!parsed.success) throw new Error('schema');
      msg = parsed.data;
    } catch {
      throw new LinkProtocolError('protocol-error', 'The peer sent a malformed link control message.');
    }
    switch (msg.t) {
      case 'ready':
        if (this.ready) throw new LinkProtocolError('protocol-error', 'The peer sent an unexpected "ready".');
        this.ready = true;
        this.settleReady();
        return;
      case 'ping':
        // A peer that pings but never reads must not grow our write buffer without bound: when it
        // is congested, skip the pong (liveness is judged on any bytes received, not on pongs).
        if (this.socket.writableLength < this.limits.highWaterMark) this.sendLink({ t: 'pong', n: msg.n });
        return;
      case 'pong':
        if (msg.n === this.pingSeq) this.rttMs = performance.now() - this.lastPingAt;
        return;
      case 'close':
        this.peerRefusal = msg.refusal;
        this.shutdown({ reason: 'closed-by-peer', message: sanitizePeerText(msg.message) || 'The other side ended the connection.' }, null);
        return;
    }
  }

  // ---- liveness and the end of the link ----

  private onTick = (): void => {
    if (this.closeInfo) return;
    const now = performance.now();
    // A backlog we have not opened yet proves the peer is alive even if no bytes arrived lately.
    if (this.paused || this.scheduled) this.lastRx = now;
    if (now - this.lastRx > this.limits.idleTimeoutMs) {
      const secs = Math.round(this.limits.idleTimeoutMs / 100) / 10;
      this.shutdown({ reason: 'timeout', message: `Nothing arrived from ${this.peerName} for ${secs} s; the connection was lost.` }, 'timeout');
      return;
    }
    if (now - this.lastPingAt >= this.limits.pingIntervalMs) {
      this.lastPingAt = now;
      this.sendLink({ t: 'ping', n: ++this.pingSeq });
    }
  };

  private onEnd = (): void => {
    this.peerEnded = true;
    this.schedule();
  };

  private onError = (err: Error & { code?: string }): void => {
    // Keep the first error for the close message; the 'close' event follows.
    this.socketError ??= err.code ?? err.message;
  };

  private onSocketClose = (): void => {
    if (this.closeInfo) return;
    // A goodbye may still sit unopened in the buffer: read everything before deciding why we ended.
    while (!this.closeInfo && this.drainFrames(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    this.onPeerGone();
  };

  /** The TCP stream ended or failed without a goodbye frame. */
  private onPeerGone(): void {
    if (this.closeInfo) return;
    const detail = this.socketError
      ? `The connection to ${this.peerName} failed (${this.socketError}).`
      : this.opener.midFrame
        ? `The connection to ${this.peerName} ended in the middle of a message.`
        : `The connection to ${this.peerName} ended without a goodbye.`;
    this.shutdown({ reason: 'socket-error', message: detail }, null);
  }

  private fail(e: unknown): void {
    const err = e instanceof LinkProtocolError ? e : new LinkProtocolError('protocol-error', 'Internal error while reading from the link.');
    if (!(e instanceof LinkProtocolError)) this.log('error', 'unexpected error in the secure link', { error: e instanceof Error ? e.message : String(e) });
    this.log('warn', 'link cut', { peer: this.peerName, peerAddress: this.peerAddress, reason: err.reason, message: err.message });
    this.shutdown({ reason: err.reason, message: err.message }, `${err.reason}: ${err.message}`);
  }

  /** Ends the link once: optional goodbye, stop reading, flush, destroy, tell subscribers. */
  private shutdown(info: LinkCloseInfo, goodbye: string | null): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    clearInterval(this.timer);
    this.dispatcher.stop();
    const s = this.socket;
    s.off('data', this.onData); // from here on, input is discarded unread
    if (goodbye !== null) {
      try {
        this.writePieces(sealLinkMessage(this.sealer, { t: 'close', message: goodbye.slice(0, 1000) }));
      } catch {
        // the key is exhausted or the socket is gone: closing anyway
      }
    }
    closeGracefully(s, this.limits.closeGraceMs);
    if (!this.ready) this.settleReady(new LinkNotReadyError(info, this.peerRefusal));
    const handlers = [...this.closeHandlers];
    this.closeHandlers.clear();
    queueMicrotask(() => {
      for (const cb of handlers) this.safeCall(() => cb(info), 'close handler');
    });
  }

  private safeCall(fn: () => void, what: string): void {
    try {
      fn();
    } catch (e) {
      // A buggy service must not take the link (or main) down with it.
      this.log('error', `a link ${what} threw`, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
