/**
 * Reads and writes handshake messages on a socket under one deadline for the whole handshake.
 * The single deadline is the slow-loris defence: a peer that dribbles one byte a second, or
 * connects and says nothing, is cut off when the deadline passes, whatever it sends meanwhile.
 */
import type { LinkStream } from './link-stream';
import { HandshakeError } from './link-errors';
import { HandshakeDecoder, encodeHandshakeMessage, type HandshakeMessage } from './handshake-messages';

/** Default time allowed for the whole handshake (DESIGN.md §3). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** A socket during the handshake. Call `release` on success (to hand the socket on) or `destroy` on failure. */
export class HandshakeStream {
  private readonly decoder = new HandshakeDecoder();
  private failure: HandshakeError | null = null;
  private waiter: { resolve: (m: HandshakeMessage) => void; reject: (e: HandshakeError) => void } | null = null;
  private readonly timer: NodeJS.Timeout;
  private released = false;

  constructor(
    readonly socket: LinkStream,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.setFailure(new HandshakeError('timeout', `The handshake did not finish within ${Math.round(timeoutMs / 100) / 10} s.`)), timeoutMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onEnd);
  }

  /** Waits for the next message; rejects with HandshakeError on timeout, garbage or disconnect. */
  read(): Promise<HandshakeMessage> {
    if (this.waiter) return Promise.reject(new HandshakeError('protocol-error', 'concurrent handshake reads'));
    try {
      // A message that arrived just before the peer hung up (a refusal, typically) is still delivered.
      const m = this.failure && this.failure.reason !== 'closed' ? null : this.decoder.next();
      if (m) return Promise.resolve(m);
    } catch (e) {
      this.setFailure(asHandshakeError(e));
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Sends one message (no-op once the socket is gone). */
  write(msg: HandshakeMessage): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(encodeHandshakeMessage(msg));
  }

  /** Sends a last message, then closes the socket gracefully (see `closeGracefully`). */
  writeAndClose(msg: HandshakeMessage): void {
    this.write(msg);
    this.finish();
    closeGracefully(this.socket);
  }

  /** Ends the handshake successfully: stops reading (socket paused) and returns bytes that belong to the record layer. */
  release(): Buffer {
    this.finish();
    this.socket.pause();
    return this.decoder.takeRemaining();
  }

  /** Fails the handshake from outside (e.g. the invitation closed): a pending or later `read` rejects with `err`. */
  cancel(err: HandshakeError): void {
    this.setFailure(err);
  }

  /** Ends the handshake with a failure and destroys the socket. */
  destroy(): void {
    this.finish();
    this.socket.destroy();
  }

  private finish(): void {
    if (this.released) return;
    this.released = true;
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
      this.decoder.push(chunk);
      if (this.waiter) {
        const m = this.decoder.next();
        if (m) {
          const w = this.waiter;
          this.waiter = null;
          w.resolve(m);
        }
      }
    } catch (e) {
      this.setFailure(asHandshakeError(e));
    }
  };

  private onEnd = (): void => {
    this.setFailure(new HandshakeError('closed', 'The other side closed the connection during the handshake.'));
  };

  private onError = (err: Error & { code?: string }): void => {
    this.setFailure(new HandshakeError('socket-error', `The connection failed during the handshake (${err.code ?? err.message}).`));
  };

  private setFailure(e: HandshakeError): void {
    if (this.failure || this.released) return;
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

function asHandshakeError(e: unknown): HandshakeError {
  return e instanceof HandshakeError ? e : new HandshakeError('protocol-error', 'Malformed handshake data.');
}
