/**
 * Both sides of the offer handshake over the plaintext framing (offer-messages.ts), ending in the
 * same traffic keys the invitation's record layer uses. See offer-transcript.ts for the
 * cryptography and PROTOCOL-OFFER.md for the message flow. The order of the checks matters:
 *
 *  - the helper verifies the computer's signature, and its pinned host key, BEFORE signing
 *    anything itself: an impostor gets no signature from the helper;
 *  - the requester verifies the helper's signature, THEN looks its helper ID up in the policy's
 *    allow-list, and only then accepts — nothing reaches the user before that.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { SessionKeys } from '../link/key-schedule';
import { b64bytes, toB64 } from '../link/handshake-messages';
import { verifyEd25519, type Ed25519KeyPair } from './ed25519-keys';
import { fingerprintOf } from './fingerprint';
import { OFFER_NONCE_BYTES, OFFER_PROTOCOL, type OfferMessage } from './offer-messages';
import { OfferHandshakeError, asOfferError, type OfferRefusal } from './offer-errors';
import { OfferStream } from './offer-stream';
import { deriveOfferKeys, ephemeralX25519, offerTranscriptHash, signedMessage } from './offer-transcript';

/** The traffic keys of an offered link. */
export type OfferKeys = Pick<SessionKeys, 'helperToRequester' | 'requesterToHelper'>;

/** The computer as the helper sees it once its signature verified. */
export interface ProvenHost {
  publicKey: Uint8Array;
  fingerprint: string;
  computerName: string;
}

/** What the helper brings. */
export interface OfferHelperParams {
  identity: Ed25519KeyPair;
  helperName: string;
  timeoutMs: number;
  /** Called once the computer proved its host key, before the helper signs: throw (OfferHandshakeError 'host-key-changed') to stop. */
  verifyHost(host: ProvenHost): void;
}

/** A successful handshake on the helper's side. */
export interface OfferHelperResult {
  host: ProvenHost;
  keys: OfferKeys;
  /** Bytes already received that belong to the record layer. */
  leftover: Buffer;
}

/** Runs the helper's side on a connected socket. On failure the socket is destroyed and an OfferHandshakeError thrown. */
export async function runOfferHelperHandshake(socket: Socket, p: OfferHelperParams): Promise<OfferHelperResult> {
  const stream = new OfferStream(socket, p.timeoutMs);
  try {
    const nonceH = new Uint8Array(randomBytes(OFFER_NONCE_BYTES));
    const eph = ephemeralX25519();
    stream.write({ type: 'offer-hello', proto: OFFER_PROTOCOL, helperName: p.helperName, helperKey: toB64(p.identity.publicKey), nonceH: toB64(nonceH), eh: toB64(eph.publicKey) });

    const reply = await stream.read();
    throwIfRefused(reply);
    if (reply.type !== 'offer-host') throw new OfferHandshakeError('protocol-error', `Expected the computer's answer, got "${reply.type}".`);
    const host: ProvenHost = { publicKey: b64bytes(reply.hostKey), fingerprint: '', computerName: reply.computerName };
    host.fingerprint = fingerprintOf(host.publicKey);
    const th = offerTranscriptHash({ helperName: p.helperName, helperKey: p.identity.publicKey, nonceH, eh: eph.publicKey, computerName: reply.computerName, hostKey: host.publicKey, nonceR: b64bytes(reply.nonceR), er: b64bytes(reply.er) });
    if (!verifyEd25519(host.publicKey, signedMessage('requester', th), b64bytes(reply.sigR))) {
      throw new OfferHandshakeError('bad-signature', "The computer's signature did not verify: the connection was tampered with, or something else answered on that port.", { hostFingerprint: host.fingerprint });
    }
    const shared = eph.agree(b64bytes(reply.er));
    p.verifyHost(host);

    stream.write({ type: 'offer-auth', sigH: toB64(p.identity.sign(signedMessage('helper', th))) });
    const verdict = await stream.read();
    throwIfRefused(verdict);
    if (verdict.type !== 'offer-accept') throw new OfferHandshakeError('protocol-error', `Expected the computer's acceptance, got "${verdict.type}".`);
    return { host, keys: deriveOfferKeys(shared, th), leftover: stream.release() };
  } catch (e) {
    stream.destroy();
    throw asOfferError(e);
  }
}

function throwIfRefused(m: OfferMessage): void {
  if (m.type !== 'offer-refuse') return;
  const refusal: OfferRefusal = { reason: m.reason, message: m.message, ...(m.fingerprint !== undefined ? { fingerprint: m.fingerprint } : {}) };
  throw new OfferHandshakeError('refused', m.message, { refusal });
}

/** The helper as the requester knows it after the handshake. */
export interface ProvenHelper {
  /** The name the helper gave (self-asserted; the allow-list's name is the one to trust). */
  helperName: string;
  publicKey: Uint8Array;
  fingerprint: string;
}

/** What the requester brings. */
export interface OfferRequesterParams {
  hostKey: Ed25519KeyPair;
  computerName: string;
  timeoutMs: number;
  /** Why no offer can be taken now (busy, offers off), or null. Asked at `offer-hello` and again just before accepting. */
  gate(): OfferRefusal | null;
  /** After the helper proved its key: the name to show for it (from the allow-list), or a refusal. */
  authorize(helper: ProvenHelper): Authorization;
  /** Aborting refuses the helper with the refusal given as the signal's reason. */
  signal?: AbortSignal;
}

/** The allow-list's verdict on a proven helper. */
export type Authorization = { ok: true; displayName: string } | { ok: false; refusal: OfferRefusal };

/** A successful handshake on the requester's side. */
export interface OfferRequesterResult {
  helper: ProvenHelper;
  /** The name to show the user: the administrator's name for this helper ID. */
  displayName: string;
  keys: OfferKeys;
  leftover: Buffer;
}

/** Runs the requester's side on an accepted socket. On failure the socket is closed (after `offer-refuse` where one applies). */
export async function runOfferRequesterHandshake(socket: Socket, p: OfferRequesterParams): Promise<OfferRequesterResult> {
  const stream = new OfferStream(socket, p.timeoutMs);
  let replied = false;
  const refuse = (r: OfferRefusal, extra: OfferHandshakeError['extra'] = {}): OfferHandshakeError => {
    stream.writeAndClose({ type: 'offer-refuse', reason: r.reason, message: r.message, ...(r.fingerprint !== undefined ? { fingerprint: r.fingerprint } : {}) });
    replied = true;
    return new OfferHandshakeError('refused', r.message, { ...extra, refusal: r });
  };
  const onAbort = () => {
    const refusal = p.signal?.reason as OfferRefusal | undefined;
    stream.cancel(new OfferHandshakeError('aborted', refusal?.message ?? 'Offers are no longer accepted.', refusal ? { refusal } : {}));
  };
  p.signal?.addEventListener('abort', onAbort, { once: true });
  if (p.signal?.aborted) onAbort();
  try {
    const hello = await stream.read();
    if (hello.type !== 'offer-hello') throw new OfferHandshakeError('protocol-error', `Expected "offer-hello", got "${hello.type}".`);
    if (hello.proto !== OFFER_PROTOCOL) {
      throw refuse({ reason: 'incompatible', message: `This computer speaks ${OFFER_PROTOCOL}; your app speaks ${hello.proto.slice(0, 40)}. Update Remote Assist on both computers.` });
    }
    const early = p.gate();
    if (early) throw refuse(early);

    const helperKey = b64bytes(hello.helperKey);
    const claimed = { helperName: hello.helperName, fingerprint: fingerprintOf(helperKey), authenticated: false };
    const nonceH = b64bytes(hello.nonceH);
    const eh = b64bytes(hello.eh);
    const nonceR = new Uint8Array(randomBytes(OFFER_NONCE_BYTES));
    const eph = ephemeralX25519();
    const shared = eph.agree(eh); // a low-order point is refused before we sign anything
    const th = offerTranscriptHash({ helperName: hello.helperName, helperKey, nonceH, eh, computerName: p.computerName, hostKey: p.hostKey.publicKey, nonceR, er: eph.publicKey });
    stream.write({
      type: 'offer-host',
      computerName: p.computerName,
      hostKey: toB64(p.hostKey.publicKey),
      nonceR: toB64(nonceR),
      er: toB64(eph.publicKey),
      sigR: toB64(p.hostKey.sign(signedMessage('requester', th))),
    });

    const auth = await stream.read();
    if (auth.type !== 'offer-auth') throw new OfferHandshakeError('protocol-error', `Expected "offer-auth", got "${auth.type}".`);
    if (!verifyEd25519(helperKey, signedMessage('helper', th), b64bytes(auth.sigH))) {
      throw refuse(
        { reason: 'bad-signature', message: 'This computer could not verify your helper identity (the signature is not valid for this connection). Try again; if it keeps happening, the network may be tampering with the connection.' },
        { helper: claimed },
      );
    }
    const helper: ProvenHelper = { helperName: hello.helperName, publicKey: helperKey, fingerprint: claimed.fingerprint };
    const proven = { ...claimed, authenticated: true };
    const verdict = p.authorize(helper);
    if (!verdict.ok) throw refuse(verdict.refusal, { helper: proven });
    const late = p.gate();
    if (late) throw refuse(late, { helper: proven });
    stream.write({ type: 'offer-accept' });
    return { helper, displayName: verdict.displayName, keys: deriveOfferKeys(shared, th), leftover: stream.release() };
  } catch (e) {
    const err = asOfferError(e);
    if (err.reason === 'aborted' && err.extra.refusal && !replied) {
      refuse(err.extra.refusal);
    } else if (!replied) stream.destroy();
    throw err;
  } finally {
    p.signal?.removeEventListener('abort', onAbort);
  }
}
