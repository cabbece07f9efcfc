/**
 * Why an offer handshake ended without a link. Never carries secrets; `refusal` is set when the
 * requester refused (with the reason it gave), `helper` when the requester knew who asked.
 */
import type { OfferRefusalReason } from './offer-messages';

/** The ways an offer handshake fails. */
export type OfferFailureReason =
  /** The whole handshake did not finish in time (slow-loris protection). */
  | 'timeout'
  /** Bytes that are not our handshake: garbage, another protocol, an unexpected message. */
  | 'protocol-error'
  /** The peer closed the connection mid-handshake. */
  | 'closed'
  | 'socket-error'
  /** A signature did not verify: tampered, replayed, or a peer without the private key. */
  | 'bad-signature'
  /** An ephemeral key that gives no shared secret (a low-order point). */
  | 'bad-key'
  /** The requester refused (see `refusal`). */
  | 'refused'
  /** The helper refused the computer: its host key differs from the pinned one. */
  | 'host-key-changed'
  /** The listener closed (offers turned off) while this handshake ran. */
  | 'aborted';

/** A refusal as sent in `offer-refuse`. */
export interface OfferRefusal {
  reason: OfferRefusalReason;
  message: string;
  fingerprint?: string;
}

/** Who knocked, as far as the requester knows (authenticated only when the signature verified). */
export interface OfferPeerIdentity {
  helperName: string;
  fingerprint: string;
  authenticated: boolean;
}

/** A failed offer handshake. */
export class OfferHandshakeError extends Error {
  override readonly name = 'OfferHandshakeError';
  constructor(
    readonly reason: OfferFailureReason,
    message: string,
    readonly extra: { refusal?: OfferRefusal; helper?: OfferPeerIdentity; pinnedFingerprint?: string; hostFingerprint?: string } = {},
  ) {
    super(message);
  }
}

/** Wraps anything thrown during a handshake as an OfferHandshakeError. */
export function asOfferError(e: unknown): OfferHandshakeError {
  return e instanceof OfferHandshakeError ? e : new OfferHandshakeError('protocol-error', e instanceof Error ? e.message : String(e));
}
