/**
 * The cryptography of the offer handshake (a SIGMA-style signed Diffie-Hellman):
 *
 *   th     = SHA-512(lv_cat("remote-assist-offer/1 transcript",
 *                           "helper", helperName, helperKey, nonceH, eh,
 *                           "requester", computerName, hostKey, nonceR, er))
 *   sigR   = Ed25519(hostKey,   lv_cat("remote-assist-offer/1 requester signature", th))
 *   sigH   = Ed25519(helperKey, lv_cat("remote-assist-offer/1 helper signature", th))
 *   shared = X25519(e, E')   (all-zero results refused: a low-order point)
 *   keys   = HKDF-SHA512(ikm = shared, salt = th, info = "remote-assist-offer/1 key|iv A->B")
 *
 * Both static keys are inside th, so each signature names both parties (no identity misbinding);
 * both fresh nonces and ephemeral keys are inside th, so a recorded handshake cannot be replayed;
 * the role labels differ, so one side's signature can never be reflected as the other's.
 */
import { createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { sha512 } from '@noble/hashes/sha2.js';
import { lvCat } from '../link/cpace';
import type { SessionKeys } from '../link/key-schedule';
import { OFFER_PROTOCOL, X25519_PUBLIC_BYTES } from './offer-messages';
import { OfferHandshakeError } from './offer-errors';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Every field both signatures cover. */
export interface OfferTranscript {
  helperName: string;
  helperKey: Uint8Array;
  nonceH: Uint8Array;
  eh: Uint8Array;
  computerName: string;
  hostKey: Uint8Array;
  nonceR: Uint8Array;
  er: Uint8Array;
}

/** SHA-512 over the length-prefixed transcript (prefix-free: no two transcripts collide by shifting bytes). */
export function offerTranscriptHash(t: OfferTranscript): Uint8Array {
  return sha512(
    lvCat(
      utf8(`${OFFER_PROTOCOL} transcript`),
      utf8('helper'),
      utf8(t.helperName),
      t.helperKey,
      t.nonceH,
      t.eh,
      utf8('requester'),
      utf8(t.computerName),
      t.hostKey,
      t.nonceR,
      t.er,
    ),
  );
}

/** What a role signs: its own label and the transcript hash. */
export function signedMessage(role: 'helper' | 'requester', th: Uint8Array): Uint8Array {
  return lvCat(utf8(`${OFFER_PROTOCOL} ${role} signature`), th);
}

/** An ephemeral X25519 key pair for one handshake. */
export interface Ephemeral {
  readonly publicKey: Uint8Array;
  /** The shared secret with the peer's public key; throws OfferHandshakeError('bad-key') for a useless point. */
  agree(peerPublic: Uint8Array): Uint8Array;
}

/** A fresh ephemeral key (never stored; forward secrecy rests on it being thrown away). */
export function ephemeralX25519(): Ephemeral {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  return { publicKey: raw, agree: (peer) => agree(privateKey, peer) };
}

function agree(privateKey: KeyObject, peer: Uint8Array): Uint8Array {
  const bad = () => new OfferHandshakeError('bad-key', 'The other side sent an unusable key-exchange value.');
  if (peer.length !== X25519_PUBLIC_BYTES) throw bad();
  let shared: Buffer;
  try {
    const pub = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peer).toString('base64url') }, format: 'jwk' });
    shared = diffieHellman({ privateKey, publicKey: pub });
  } catch {
    // OpenSSL refuses an all-zero result (a low-order point: RFC 7748 section 6.1).
    throw bad();
  }
  if (shared.every((b) => b === 0)) throw bad();
  return new Uint8Array(shared);
}

/** Per-direction traffic keys for the record layer (the confirmation keys are unused: the signatures confirm). */
export function deriveOfferKeys(shared: Uint8Array, th: Uint8Array): Pick<SessionKeys, 'helperToRequester' | 'requesterToHelper'> {
  const expand = (label: string, bytes: number) => new Uint8Array(hkdfSync('sha512', shared, th, utf8(`${OFFER_PROTOCOL} ${label}`), bytes));
  return {
    helperToRequester: { key: expand('key helper->requester', 32), noncePrefix: expand('iv helper->requester', 4) },
    requesterToHelper: { key: expand('key requester->helper', 32), noncePrefix: expand('iv requester->helper', 4) },
  };
}
