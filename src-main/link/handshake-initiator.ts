/**
 * The helper's side of the invitation handshake (CPace initiator):
 *
 *   H→R hello   {proto, invitationId, helperName, nonceA, Ya}
 *   R→H share   {requesterName, nonceB, Yb, attemptsLeft, confirmB}   or   refuse {reason, message}
 *   H→R confirm {confirmA}
 *
 * The helper checks the requester's confirmation *first*: with a wrong password it learns that
 * and stops without sending anything that depends on its key (and the requester has already
 * charged the attempt).
 */
import { randomBytes } from 'node:crypto';
import type { LinkStream } from './link-stream';
import { CPaceAbort, startCPace } from './cpace';
import { HandshakeError } from './link-errors';
import { NONCE_BYTES, PROTOCOL, b64bytes, toB64 } from './handshake-messages';
import { HandshakeStream } from './handshake-stream';
import {
  channelIdentifier,
  confirmationMatches,
  confirmationTag,
  deriveSessionKeys,
  helperAssociatedData,
  passwordToPrs,
  requesterAssociatedData,
  transcriptHash,
  type SessionKeys,
} from './key-schedule';

/** What the helper brings to the handshake. */
export interface InitiatorParams {
  invitationId: string;
  password: string;
  helperName: string;
  timeoutMs: number;
}

/** A successful handshake, ready to become a SecureLink. */
export interface InitiatorResult {
  requesterName: string;
  keys: SessionKeys;
  /** Bytes already received that belong to the record layer. */
  leftover: Buffer;
}

/**
 * Runs the handshake on a connected socket or relay stream. On failure the socket is destroyed and a
 * HandshakeError is thrown: 'refused' (with the refusal), 'bad-confirmation' (wrong password,
 * with attemptsLeft), 'timeout', 'closed', 'socket-error', 'protocol-error' or 'bad-share'.
 */
export async function runInitiatorHandshake(socket: LinkStream, params: InitiatorParams): Promise<InitiatorResult> {
  const stream = new HandshakeStream(socket, params.timeoutMs);
  try {
    const nonceA = new Uint8Array(randomBytes(NONCE_BYTES));
    // sid = nonceA: the helper speaks first and its share already depends on sid, so sid can only
    // hold the helper's fresh nonce; the requester's nonceB enters ISK through ADb instead.
    const cpace = startCPace('initiator', {
      prs: passwordToPrs(params.password),
      ci: channelIdentifier(params.invitationId),
      sid: nonceA,
      ad: helperAssociatedData(params.helperName),
    });
    stream.write({ type: 'hello', proto: PROTOCOL, invitationId: params.invitationId, helperName: params.helperName, nonceA: toB64(nonceA), ya: toB64(cpace.share) });

    const reply = await stream.read();
    if (reply.type === 'refuse') {
      throw new HandshakeError('refused', reply.message, { refusal: { reason: reply.reason, message: reply.message, expiresAt: reply.expiresAt } });
    }
    if (reply.type !== 'share') throw new HandshakeError('protocol-error', `Expected the requester's share, got "${reply.type}".`);

    const nonceB = b64bytes(reply.nonceB);
    const yb = b64bytes(reply.yb);
    let isk: Uint8Array;
    try {
      isk = cpace.finish(yb, requesterAssociatedData(reply.requesterName, nonceB));
    } catch (e) {
      if (e instanceof CPaceAbort) throw new HandshakeError('bad-share', `The requester sent an invalid key share (${e.message}).`);
      throw e;
    }
    const th = transcriptHash({
      invitationId: params.invitationId,
      helperName: params.helperName,
      nonceA,
      ya: cpace.share,
      requesterName: reply.requesterName,
      nonceB,
      yb,
      attemptsLeft: reply.attemptsLeft,
    });
    const keys = deriveSessionKeys(isk, th);
    if (!confirmationMatches(confirmationTag(keys, 'requester', th), b64bytes(reply.confirmB))) {
      throw new HandshakeError('bad-confirmation', 'The password is not correct.', { attemptsLeft: reply.attemptsLeft });
    }
    stream.write({ type: 'confirm', confirmA: toB64(confirmationTag(keys, 'helper', th)) });
    return { requesterName: reply.requesterName, keys, leftover: stream.release() };
  } catch (e) {
    stream.destroy();
    throw e instanceof HandshakeError ? e : new HandshakeError('protocol-error', e instanceof Error ? e.message : String(e));
  }
}
