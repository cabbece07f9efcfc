/**
 * The offer handshake's stream: the link's DeadlineStream (one deadline for the whole handshake,
 * the slow-loris defence) with the offer messages and errors.
 */
import type { Socket } from 'node:net';
import { DeadlineStream } from '../link/deadline-stream';
import { OfferDecoder, encodeOfferMessage, type OfferMessage } from './offer-messages';
import { OfferHandshakeError, asOfferError } from './offer-errors';

/** A socket during the offer handshake. End it with `release` (success) or `destroy`/`writeAndClose`. */
export class OfferStream extends DeadlineStream<OfferMessage, OfferHandshakeError> {
  constructor(socket: Socket, timeoutMs: number) {
    super(socket, timeoutMs, {
      decoder: new OfferDecoder(),
      encode: encodeOfferMessage,
      fail: (reason, message) => new OfferHandshakeError(reason, message),
      asError: asOfferError,
      // A refusal is one small message: a second is plenty for it to reach the helper.
      closeGraceMs: 1000,
    });
  }
}
