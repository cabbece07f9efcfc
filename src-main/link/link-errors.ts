import type { LinkCloseReason } from './link-types';

/**
 * A violation of the link protocol by the peer (or by the bytes on the wire). The reason becomes
 * the LinkCloseInfo reason, so the audit log can say *why* a link was cut ('tampered', 'oversized' …).
 * Decoders throw only this type: anything else escaping them is a bug, and the fuzz tests check that.
 */
export class LinkProtocolError extends Error {
  override readonly name = 'LinkProtocolError';
  constructor(
    readonly reason: LinkCloseReason,
    message: string,
  ) {
    super(message);
  }
}

/** Why a password handshake ended without a link (for logs, the listener's events and the connector's errors). */
export type HandshakeFailureReason =
  /** The whole handshake did not finish in time (slow-loris protection), or the connect attempt timed out. */
  | 'timeout'
  /** Bytes that are not our handshake: garbage, a wrong protocol version, an unexpected message. */
  | 'protocol-error'
  /** The peer closed the connection in the middle of the handshake. */
  | 'closed'
  /** The socket failed (reset, unreachable …). */
  | 'socket-error'
  /** The peer's key confirmation did not verify: it does not know the password, or someone tampered. */
  | 'bad-confirmation'
  /** The peer's CPace share was invalid (identity element or non-canonical encoding). */
  | 'bad-share'
  /** The listener refused (see the refusal reason), or this side was cancelled. */
  | 'refused'
  | 'aborted';

/** Why a requester refuses a helper in the plaintext handshake (sent in the `refuse` message). */
export type RefusalReason = 'unknown-invitation' | 'expired' | 'locked' | 'used' | 'busy' | 'cancelled' | 'incompatible';

/** A refusal as sent on the wire. `expiresAt` (ms since the epoch) comes with 'expired'. */
export interface Refusal {
  reason: RefusalReason;
  message: string;
  expiresAt?: number;
}

/**
 * A handshake that failed before a link existed. Never carries secrets. `refusal` is set when the
 * requester refused; `attemptsLeft` when the requester's confirmation did not verify (wrong password);
 * `reportedAsWrongPassword` when the listener already reported the failure as a spent attempt.
 */
export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
  constructor(
    readonly reason: HandshakeFailureReason,
    message: string,
    readonly extra: { refusal?: Refusal; attemptsLeft?: number; reportedAsWrongPassword?: boolean } = {},
  ) {
    super(message);
  }
}
