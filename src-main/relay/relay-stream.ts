/**
 * A paired relay WebSocket as a Node Duplex of bytes, so the link's handshake and record layer run
 * on it unchanged (link/link-stream.ts). Message boundaries mean nothing: the link frames its own
 * records, exactly as on TCP.
 *
 * Mapping of TCP behaviour: `end()` closes the WebSocket normally after the queued bytes (the relay
 * then closes the other end, which sees 'end' after all our bytes, like a FIN); the relay closing
 * us because the peer left is 'end'; a relay-enforced close (limits, shutdown) is an error whose
 * message says why. Backpressure both ways: `writableLength` counts bytes not yet handed to the
 * socket (the link's high-water mark works as on TCP), and a full read buffer pauses the WebSocket.
 */
import { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { RELAY_CLOSE, type RelayIceServer } from './relay-protocol';

/** Largest WebSocket message the client sends (the relay accepts up to 1 MiB by default). */
export const MAX_RELAY_MESSAGE_BYTES = 256 * 1024;

/**
 * An error that ended a relay stream, with the relay's close code when it gave one. It has no
 * `code` property on purpose: the link then shows the sentence ("the relay's data quota … is used
 * up") where a socket would show ECONNRESET.
 */
export class RelayStreamError extends Error {
  override readonly name = 'RelayStreamError';
  constructor(
    message: string,
    readonly closeCode?: number,
  ) {
    super(message);
  }
}

/** The byte stream over a paired relay connection. */
export class RelayStream extends Duplex {
  /** There is no peer address: the relay is not the peer (see `peerAddress`). */
  readonly remoteAddress = undefined;
  readonly remotePort = undefined;
  /** How the peer was reached, for consent prompts and the audit log: "via relay wss://host/path". */
  readonly peerAddress: string;
  private closeInfo: { code: number; reason: string } | null = null;

  constructor(
    private readonly ws: WebSocket,
    relayUrl: string,
    /** TURN servers with time-limited credentials the relay handed to this pair (empty when it mints none). */
    readonly iceServers: readonly RelayIceServer[] = [],
  ) {
    // No half-open state: a WebSocket has no half-close, and the relay tears the pair down as soon
    // as one end leaves, so once the peer is gone our writing side ends too.
    super({ allowHalfOpen: false, readableHighWaterMark: 256 * 1024 });
    this.peerAddress = `via relay ${relayUrl}`;
    ws.on('message', this.onMessage);
    ws.on('close', this.onClose);
    ws.on('error', (err: Error) => this.destroy(new RelayStreamError(`the connection to the relay failed (${err.message})`)));
  }

  /** The relay's close code and reason once the WebSocket has closed. */
  get relayClose(): { code: number; reason: string } | null {
    return this.closeInfo;
  }

  override _read(): void {
    if (this.ws.isPaused) this.ws.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.sendChunks([chunk], cb);
  }

  override _writev(chunks: { chunk: Buffer }[], cb: (err?: Error | null) => void): void {
    this.sendChunks(
      chunks.map((c) => c.chunk),
      cb,
    );
  }

  override _final(cb: (err?: Error | null) => void): void {
    // Queued after our last bytes: the peer reads everything, then sees the end.
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(RELAY_CLOSE.normal, 'done');
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const state = this.ws.readyState;
    if (state === this.ws.OPEN && !err) this.ws.close(RELAY_CLOSE.normal, 'done');
    else if (state !== this.ws.CLOSED) this.ws.terminate(); // an error, or a close that is taking too long
    cb(err);
  }

  /** Sends in messages of at most MAX_RELAY_MESSAGE_BYTES; `cb` once the last one left for the socket. */
  private sendChunks(chunks: Buffer[], cb: (err?: Error | null) => void): void {
    if (this.ws.readyState !== this.ws.OPEN) {
      // Closing: the relay's close frame (with its reason) arrived or ours left, and the 'close'
      // event that ends this stream with that reason is on its way. Failing the write here would
      // end it first, with no reason. The bytes are lost either way, as on a TCP socket being reset.
      cb();
      return;
    }
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    let off = 0;
    while (all.length - off > MAX_RELAY_MESSAGE_BYTES) {
      this.ws.send(all.subarray(off, off + MAX_RELAY_MESSAGE_BYTES), { binary: true });
      off += MAX_RELAY_MESSAGE_BYTES;
    }
    // The write completes when the bytes are handed to the socket, so writableLength measures
    // what is still waiting, which is what the link's flow control looks at.
    this.ws.send(all.subarray(off), { binary: true }, (err) => cb(err ? new RelayStreamError(`sending through the relay failed (${err.message})`) : null));
  }

  private onMessage = (data: RawData, isBinary: boolean): void => {
    if (!isBinary) {
      // After "paired" the relay sends only the peer's bytes; text means a confused relay.
      this.destroy(new RelayStreamError('the relay sent an unexpected text message after pairing'));
      return;
    }
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (!this.push(buf)) this.ws.pause();
  };

  private onClose = (code: number, reasonBuf: Buffer): void => {
    const reason = reasonBuf.toString('utf8');
    this.closeInfo = { code, reason };
    if (code === RELAY_CLOSE.normal || code === RELAY_CLOSE.peerLeft) {
      this.push(null); // like a FIN: everything before it has been delivered
      return;
    }
    this.destroy(new RelayStreamError(describeRelayClose(code, reason), code));
  };
}

/** A sentence for a relay close code (for link messages and logs). */
export function describeRelayClose(code: number, reason: string): string {
  const why = reason ? `: ${reason}` : '';
  switch (code) {
    case RELAY_CLOSE.timeout:
      return `the relay closed an idle connection${why}`;
    case RELAY_CLOSE.lifetime:
      return `the relay ended the connection after its maximum lifetime${why}`;
    case RELAY_CLOSE.quota:
      return `the relay's data quota for this connection is used up${why}`;
    case RELAY_CLOSE.goingAway:
      return `the relay is shutting down${why}`;
    case RELAY_CLOSE.unavailable:
      return `the relay had an internal problem${why}`;
    case 1006:
      return 'the connection to the relay was lost';
    default:
      return `the relay closed the connection (code ${code}${why})`;
  }
}
