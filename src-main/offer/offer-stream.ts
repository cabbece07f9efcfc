/**
 * Reads and writes offer handshake messages on a socket under ONE deadline for the whole
 * handshake, like the invitation handshake's HandshakeStream (link/handshake-stream.ts): a peer
 * that connects and says nothing, or dribbles a byte a second, is cut off when the deadline
 * passes. (That class is tied to the invitation messages; see the note in PROTOCOL-OFFER.md.)
 */
import type { Socket } from 'node:net';
import { closeGracefully } from '../link/handshake-stream';
import { OfferDecoder, encodeOfferMessage, type OfferMessage } from './offer-messages';
import { OfferHandshakeError, asOfferError } from './offer-errors';

/** A socket during the offer handshake. End it with `release` (success) or `destroy`/`writeAndClose`. */
export class OfferStream {
  private readonly decoder = new OfferDecoder();
  private failure: OfferHandshakeError | null = null;
  private waiter: { resolve: (m: OfferMessage) => void; reject: (e: OfferHandshakeError) => void } | null = null;
  private readonly timer: NodeJS.Timeout;
  private done = false;

  constructor(
    readonly socket: Socket,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.fail(new OfferHandshakeError('timeout', `The handshake did not finish within ${Math.round(timeoutMs / 100) / 10} s.`)), timeoutMs);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  /** The next message; rejects with OfferHandshakeError on timeout, garbage or disconnect. */
  read(): Promise<OfferMessage> {
    if (this.waiter) return Promise.reject(new OfferHandshakeError('protocol-error', 'concurrent handshake reads'));
    try {
      // A refusal that arrived just before the peer hung up is still delivered.
      const m = this.failure && this.failure.reason !== 'closed' ? null : this.decoder.next();
      if (m) return Promise.resolve(m);
    } catch (e) {
      this.fail(asOfferError(e));
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** Sends one message (no-op once the socket is gone). */
  write(msg: OfferMessage): void {
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.write(encodeOfferMessage(msg));
  }

  /** Sends a last message (a refusal) and closes gracefully so the peer can read it. */
  writeAndClose(msg: OfferMessage): void {
    this.write(msg);
    this.finish();
    closeGracefully(this.socket, 1000);
  }

  /** Success: stops reading (socket paused) and returns bytes that belong to the record layer. */
  release(): Buffer {
    this.finish();
    this.socket.pause();
    return this.decoder.takeRemaining();
  }

  /** Fails the handshake from outside (offers turned off): a pending or later `read` rejects with `err`. */
  cancel(err: OfferHandshakeError): void {
    this.fail(err);
  }

  /** Failure: destroys the socket. */
  destroy(): void {
    this.finish();
    this.socket.destroy();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    // Later errors belong to the new owner, but must never be unhandled.
    this.socket.on('error', () => {});
  }

  private onData = (chunk: Buffer): void => {
    try {
      this.decoder.push(chunk);
      if (!this.waiter) return;
      const m = this.decoder.next();
      if (m) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(m);
      }
    } catch (e) {
      this.fail(asOfferError(e));
    }
  };

  private onEnd = (): void => this.fail(new OfferHandshakeError('closed', 'The other side closed the connection during the handshake.'));

  private onError = (err: Error & { code?: string }): void => this.fail(new OfferHandshakeError('socket-error', `The connection failed during the handshake (${err.code ?? err.message}).`));

  private fail(e: OfferHandshakeError): void {
    if (this.failure || this.done) return;
    this.failure = e;
    this.socket.pause();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(e);
    }
  }
}
