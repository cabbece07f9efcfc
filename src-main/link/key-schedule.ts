/**
 * From CPace's ISK to the keys the link uses, and the key confirmations.
 *
 * The draft recommends running ISK through a KDF (section 10.3) and adding explicit key
 * confirmation (10.4/10.5, "as done by the Finished messages in TLS 1.3"). We bind the *whole*
 * handshake — protocol, invitation, both names, both nonces, both shares and the attempts count —
 * into one transcript hash and use it as the HKDF salt, so the two sides only share keys (and
 * only accept each other's confirmation) if they saw exactly the same handshake.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { sha512 } from '@noble/hashes/sha2.js';
import { lvCat } from './cpace';
import type { DirectionKey } from './record-layer';
import { PROTOCOL } from './handshake-messages';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Every field of the handshake that the keys are bound to. */
export interface HandshakeTranscript {
  invitationId: string;
  helperName: string;
  nonceA: Uint8Array;
  ya: Uint8Array;
  requesterName: string;
  nonceB: Uint8Array;
  yb: Uint8Array;
  attemptsLeft: number;
}

/** The keys of one link: a confirmation key per role and a traffic key per direction. */
export interface SessionKeys {
  helperConfirmKey: Uint8Array;
  requesterConfirmKey: Uint8Array;
  helperToRequester: DirectionKey;
  requesterToHelper: DirectionKey;
}

/** CPace channel identifier: the protocol and the invitation, so a run can only succeed for this invitation. */
export function channelIdentifier(invitationId: string): Uint8Array {
  return lvCat(utf8(PROTOCOL), utf8(invitationId));
}

/** ADa: the helper's role and name (sent in clear in `hello`, authenticated by CPace). */
export function helperAssociatedData(helperName: string): Uint8Array {
  return lvCat(utf8('helper'), utf8(helperName));
}

/** ADb: the requester's role, name and nonce (so the responder's freshness is part of ISK too). */
export function requesterAssociatedData(requesterName: string, nonceB: Uint8Array): Uint8Array {
  return lvCat(utf8('requester'), utf8(requesterName), nonceB);
}

/**
 * The password as CPace's PRS: UTF-8 of its NFC form, so the same password typed on two systems
 * with different Unicode habits (composed vs decomposed accents) still matches.
 */
export function passwordToPrs(password: string): Uint8Array {
  return utf8(password.normalize('NFC'));
}

/** SHA-512 over the length-prefixed handshake fields (prefix-free, so no two transcripts collide by shifting bytes). */
export function transcriptHash(t: HandshakeTranscript): Uint8Array {
  return sha512(
    lvCat(
      utf8(`${PROTOCOL} handshake transcript`),
      utf8(t.invitationId),
      utf8(t.helperName),
      t.nonceA,
      t.ya,
      utf8(t.requesterName),
      t.nonceB,
      t.yb,
      utf8(String(t.attemptsLeft)),
    ),
  );
}

function expand(prk: { isk: Uint8Array; salt: Uint8Array }, label: string, bytes: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha512', prk.isk, prk.salt, utf8(`${PROTOCOL} ${label}`), bytes));
}

/** HKDF-SHA512(ikm = ISK, salt = transcript hash) expanded under a distinct label per key. */
export function deriveSessionKeys(isk: Uint8Array, th: Uint8Array): SessionKeys {
  const prk = { isk, salt: th };
  return {
    helperConfirmKey: expand(prk, 'confirm helper', 64),
    requesterConfirmKey: expand(prk, 'confirm requester', 64),
    helperToRequester: { key: expand(prk, 'key helper->requester', 32), noncePrefix: expand(prk, 'iv helper->requester', 4) },
    requesterToHelper: { key: expand(prk, 'key requester->helper', 32), noncePrefix: expand(prk, 'iv requester->helper', 4) },
  };
}

/**
 * A role's key confirmation: HMAC-SHA512 under that role's own key with the role in the message.
 * Separate keys *and* labels mean the requester's tag can never be reflected back as the helper's.
 */
export function confirmationTag(keys: SessionKeys, role: 'helper' | 'requester', th: Uint8Array): Uint8Array {
  const key = role === 'helper' ? keys.helperConfirmKey : keys.requesterConfirmKey;
  const h = createHmac('sha512', key);
  h.update(lvCat(utf8(`${PROTOCOL} ${role} confirmation`), th));
  return new Uint8Array(h.digest());
}

/** Constant-time comparison of a received confirmation with the expected one. */
export function confirmationMatches(expected: Uint8Array, received: Uint8Array): boolean {
  return expected.length === received.length && timingSafeEqual(expected, received);
}
