/**
 * The requester's side of the invitation handshake (CPace responder). See handshake-initiator.ts
 * for the message flow. The order of the steps is the security argument:
 *
 *  1. validate `hello` and the helper's share (an invalid share costs the helper nothing, since
 *     nothing that depends on the password has been sent yet);
 *  2. charge one attempt of the invitation's budget — *before* sending anything the helper could
 *     test a password against;
 *  3. send `share` with our confirmation; 4. verify the helper's confirmation; only then refund
 *     the attempt and claim the invitation.
 */
import { randomBytes } from 'node:crypto';
import type { LinkStream } from './link-stream';
import { CPaceAbort, startCPace } from './cpace';
import { HandshakeError, type Refusal } from './link-errors';
import { NONCE_BYTES, PROTOCOL, b64bytes, toB64 } from './handshake-messages';
import { HandshakeStream, closeGracefully } from './handshake-stream';
import type { AttemptTicket } from './invitation-budget';
import { sealLinkMessage, type LinkRefusal } from './link-messages';
import { FrameSealer } from './record-layer';
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

/** Decides whether a helper may try, and charges the attempt (see InvitationBudget). */
export interface InvitationGate {
  check(invitationId: string): Refusal | null;
  charge(invitationId: string): { ticket: AttemptTicket } | { refusal: Refusal };
}

/** What the requester brings to the handshake. */
export interface ResponderParams {
  password: string;
  requesterName: string;
  gate: InvitationGate;
  timeoutMs: number;
  /** Aborting refuses the helper (with the refusal given as the signal's reason, if any) and fails the handshake. */
  signal?: AbortSignal;
}

/** A successful handshake, ready to become a SecureLink. */
export interface ResponderResult {
  helperName: string;
  keys: SessionKeys;
  leftover: Buffer;
}

/**
 * Runs the handshake on an accepted socket or relay stream. On failure the socket is closed (after a `refuse`
 * message where one applies) and a HandshakeError is thrown.
 */
export async function runResponderHandshake(socket: LinkStream, params: ResponderParams): Promise<ResponderResult> {
  const stream = new HandshakeStream(socket, params.timeoutMs);
  let ticket: AttemptTicket | null = null;
  let politeClose = false;
  const refuse = (r: Refusal): HandshakeError => {
    stream.writeAndClose({ type: 'refuse', reason: r.reason, message: r.message, ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}) });
    politeClose = true;
    return new HandshakeError('refused', r.message, { refusal: r });
  };
  const onAbort = () => {
    const reason: unknown = params.signal?.reason;
    const refusal = isRefusal(reason) ? reason : undefined;
    stream.cancel(new HandshakeError('aborted', refusal?.message ?? 'The invitation is no longer open.', refusal ? { refusal } : {}));
  };
  params.signal?.addEventListener('abort', onAbort, { once: true });
  if (params.signal?.aborted) onAbort();

  try {
    const hello = await stream.read();
    if (hello.type !== 'hello') throw new HandshakeError('protocol-error', `Expected "hello", got "${hello.type}".`);
    if (hello.proto !== PROTOCOL) {
      throw refuse({ reason: 'incompatible', message: `This computer speaks ${PROTOCOL}; the helper's app speaks ${hello.proto.slice(0, 40)}. Update Remote Assist on both computers.` });
    }
    const early = params.gate.check(hello.invitationId);
    if (early) throw refuse(early);

    const nonceA = b64bytes(hello.nonceA);
    const ya = b64bytes(hello.ya);
    const nonceB = new Uint8Array(randomBytes(NONCE_BYTES));
    const cpace = startCPace('responder', {
      prs: passwordToPrs(params.password),
      ci: channelIdentifier(hello.invitationId),
      sid: nonceA,
      ad: requesterAssociatedData(params.requesterName, nonceB),
    });
    let isk: Uint8Array;
    try {
      isk = cpace.finish(ya, helperAssociatedData(hello.helperName));
    } catch (e) {
      if (e instanceof CPaceAbort) throw new HandshakeError('bad-share', `The helper sent an invalid key share (${e.message}).`);
      throw e;
    }

    const charged = params.gate.charge(hello.invitationId);
    if ('refusal' in charged) throw refuse(charged.refusal);
    ticket = charged.ticket;

    const th = transcriptHash({
      invitationId: hello.invitationId,
      helperName: hello.helperName,
      nonceA,
      ya,
      requesterName: params.requesterName,
      nonceB,
      yb: cpace.share,
      attemptsLeft: ticket.attemptsLeftIfWrong,
    });
    const keys = deriveSessionKeys(isk, th);
    stream.write({
      type: 'share',
      requesterName: params.requesterName,
      nonceB: toB64(nonceB),
      yb: toB64(cpace.share),
      attemptsLeft: ticket.attemptsLeftIfWrong,
      confirmB: toB64(confirmationTag(keys, 'requester', th)),
    });

    const confirm = await stream.read();
    if (confirm.type !== 'confirm') throw new HandshakeError('protocol-error', `Expected "confirm", got "${confirm.type}".`);
    if (!confirmationMatches(confirmationTag(keys, 'helper', th), b64bytes(confirm.confirmA))) {
      throw new HandshakeError('bad-confirmation', 'The helper could not confirm the key: wrong password, or the connection was tampered with.');
    }

    const t = ticket;
    ticket = null;
    const lost = t.succeed();
    if (lost) {
      // The helper knows the password but the invitation went to someone else (or was cancelled)
      // meanwhile. The helper already considers the handshake done, so say it in a sealed goodbye.
      refuseAfterKeys(stream, keys, lost);
      politeClose = true;
      throw new HandshakeError('refused', lost.message, { refusal: lost });
    }
    return { helperName: hello.helperName, keys, leftover: stream.release() };
  } catch (e) {
    let err = e instanceof HandshakeError ? e : new HandshakeError('protocol-error', e instanceof Error ? e.message : String(e));
    if (ticket) {
      // Our share is out: the charge stands, and any goodbye would have to be sealed; just hang up.
      if (ticket.fail(err.reason)) err = new HandshakeError(err.reason, err.message, { ...err.extra, reportedAsWrongPassword: true });
    } else if (err.reason === 'aborted' && err.extra.refusal && !politeClose) {
      refuse(err.extra.refusal);
    }
    if (!politeClose) stream.destroy();
    throw err;
  } finally {
    params.signal?.removeEventListener('abort', onAbort);
  }
}

function refuseAfterKeys(stream: HandshakeStream, keys: SessionKeys, refusal: Refusal): void {
  stream.release();
  const sealer = new FrameSealer(keys.requesterToHelper);
  const code: LinkRefusal = refusal.reason === 'expired' || refusal.reason === 'cancelled' ? refusal.reason : 'used';
  const socket = stream.socket;
  socket.cork();
  for (const p of sealLinkMessage(sealer, { t: 'close', message: refusal.message, refusal: code })) socket.write(p);
  socket.uncork();
  closeGracefully(socket);
}

function isRefusal(v: unknown): v is Refusal {
  return typeof v === 'object' && v !== null && typeof (v as Refusal).reason === 'string' && typeof (v as Refusal).message === 'string';
}
