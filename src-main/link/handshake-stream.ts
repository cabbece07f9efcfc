/** The invitation handshake's stream: DeadlineStream with the invitation messages and errors. */
import type { LinkStream } from './link-stream';
import { DeadlineStream } from './deadline-stream';
import { HandshakeError } from './link-errors';
import { HandshakeDecoder, encodeHandshakeMessage, type HandshakeMessage } from './handshake-messages';

export { closeGracefully } from './deadline-stream';

/** Default time allowed for the whole handshake (DESIGN.md §3). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** A socket during the invitation handshake. Call `release` on success (to hand the socket on) or `destroy` on failure. */
export class HandshakeStream extends DeadlineStream<HandshakeMessage, HandshakeError> {
  constructor(socket: LinkStream, timeoutMs: number) {
    super(socket, timeoutMs, {
      decoder: new HandshakeDecoder(),
      encode: encodeHandshakeMessage,
      fail: (reason, message) => new HandshakeError(reason, message),
      asError: asHandshakeError,
      closeGraceMs: 2000,
    });
  }
}

function asHandshakeError(e: unknown): HandshakeError {
  return e instanceof HandshakeError ? e : new HandshakeError('protocol-error', 'Malformed handshake data.');
}
