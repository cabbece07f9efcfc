/**
 * Reads and writes handshake messages on a socket under ONE deadline for the whole handshake.
 * The single deadline is the slow-loris defence: a peer that dribbles one byte a second, or
 * connects and says nothing, is cut off when the deadline passes, whatever it sends meanwhile.
 * Shared by the invitation handshake (HandshakeStream) and the offer handshake (OfferStream),
 * which differ only in their messages and error types.
 */
import type { LinkStream } from './link-stream';

/** Parses length-prefixed messages from bytes as they arrive. */
export interface MessageDecoder<M> {
  push(chunk: Buffer): void;
  /** The next complete message, or null; throws on malformed data. */
  next(): M | null;
  /** Bytes after the last message (they belong to the record layer). */
  takeRemaining(): Buffer;
}

/** How one handshake's messages and failures are made. */
export interface DeadlineStreamKind<M, E extends Error & { reason: string }> {
  decoder: MessageDecoder<M>;
  encode(msg: M): Uint8Array;
  fail(reason: 'timeout' | 'closed' | 'socket-error', message: string): E;
  /** Turns anything the decoder threw into this handshake's error. */
  asError(e: unknown): E;
  /** How long a refusal may take to reach the peer before the socket is destroyed. */
  closeGraceMs: number;
}

/** A socket during a handshake. End it with `release` (success), `destroy` or `writeAndClose`. */
export class DeadlineStream<M, E extends Error & { reason: string }> {
  private failure: E | null = null;
  private waiter: { resolve: (m: M) => void; reject: (e: E) => void } | null = null;
  private readonly timer: NodeJS.Timeout;
  private finished = false;

  constructor(
    readonly socket: LinkStream,
    timeoutMs: number,
    private readonly kind: DeadlineStreamKind<M, E>,
  ) {
    this.timer = setTimeout(() => this.setFailure(kind.fail('timeout', `The handshake did not finish within ${Math.round(timeoutMs / 100) / 10} s.`)), timeoutMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onEnd);
  }

  /** Waits for the next message; rejects on timeout, garbage or disconnect. */
  read(): Promise<M> {
    if (this.waiter) return Promise.reject(this.kind.asError(new Error('concurrent handshake reads')));
    try {
      // A message that arrived just before the peer hung up (a refusal, typically) is still delivered.
      const m = this.failure && this.failure.reason !== 'closed' ? null : this.kind.decoder.next();
      if (m) return Promise.resolve(m);
    } catch (e) {
      this.setFailure(this.kind.asError(e));
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Sends one message (no-op once the socket is gone). */
  write(msg: M): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(this.kind.encode(msg));
  }

  /** Sends a last message, then closes the socket gracefully (see `closeGracefully`). */
  writeAndClose(msg: M): void {
    this.write(msg);
    this.finish();
    closeGracefully(this.socket, this.kind.closeGraceMs);
  }

  /** Ends the handshake successfully: stops reading (socket paused) and returns bytes that belong to the record layer. */
  release(): Buffer {
    this.finish();
    this.socket.pause();
    return this.kind.decoder.takeRemaining();
  }

  /** Fails the handshake from outside (e.g. the invitation closed): a pending or later `read` rejects with `err`. */
  cancel(err: E): void {
    this.setFailure(err);
  }

  /** Ends the handshake with a failure and destroys the socket. */
  destroy(): void {
    this.finish();
    this.socket.destroy();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    // Errors after the handshake are the new owner's business, but must never be unhandled.
    this.socket.on('error', noop);
  }

  private onData = (chunk: Buffer): void => {
    try {
      this.kind.decoder.push(chunk);
      if (!this.waiter) return;
      const m = this.kind.decoder.next();
      if (m) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(m);
      }
    } catch (e) {
      this.setFailure(this.kind.asError(e));
    }
  };

  private onEnd = (): void => this.setFailure(this.kind.fail('closed', 'The other side closed the connection during the handshake.'));

  private onError = (err: Error & { code?: string }): void => this.setFailure(this.kind.fail('socket-error', `The connection failed during the handshake (${err.code ?? err.message}).`));

  private setFailure(e: E): void {
    if (this.failure || this.finished) return;
    this.failure = e;
    // Stop reading from a peer that has already failed; the owner destroys the socket.
    this.socket.pause();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(e);
    }
  }
}

function noop(): void {}

/**
 * Half-closes (FIN after our last bytes) and keeps draining input until the peer closes too, or
 * until `graceMs`. Destroying a socket with unread input makes the kernel send a reset, which can
 * wipe out our last message (a refusal, a goodbye) before the peer has read it.
 */
export function closeGracefully(socket: LinkStream, graceMs = 2000): void {
  socket.on('error', noop);
  socket.end();
  socket.resume();
  const t = setTimeout(() => socket.destroy(), graceMs);
  t.unref();
  socket.once('close', () => clearTimeout(t));
}
