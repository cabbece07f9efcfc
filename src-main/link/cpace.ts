/**
 * CPace-ristretto255-SHA512 (draft-irtf-cfrg-cpace, sections 7 and 8.3), composed from
 * @noble/curves (the RFC 9496 group and its element derivation) and @noble/hashes (SHA-512).
 *
 * No maintained CPace package exists on npm, so this is the one place where we compose primitives
 * ourselves. It is kept deliberately small and literal — every function mirrors a function of the
 * draft under the same name — and cpace.test.ts checks it against the draft's appendix B.3 vectors.
 *
 * Security properties we rely on (draft section 10): a passive observer learns nothing it can test
 * passwords against; an active attacker gets exactly one password guess per protocol run.
 * K must never leave this module (a leaked K allows an offline dictionary attack, section 10.3).
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { randomBytes } from 'node:crypto';

type RistrettoPoint = InstanceType<typeof ristretto255.Point>;

const Point = ristretto255.Point;
const GROUP_ORDER = Point.Fn.ORDER;
const utf8 = new TextEncoder();

/** G_Ristretto255.DSI from draft section 8.3. */
export const CPACE_DSI = utf8.encode('CPaceRistretto255');
/** DSI_ISK = G.DSI || "_ISK" (section 7.2). */
const CPACE_DSI_ISK = utf8.encode('CPaceRistretto255_ISK');
/** SHA-512 input block size (H.s_in_bytes). */
const SHA512_BLOCK_BYTES = 128;
/** Encoded size of a ristretto255 element and of a scalar. */
export const CPACE_ELEMENT_BYTES = 32;
/** ISK is a full SHA-512 output. */
export const CPACE_ISK_BYTES = 64;

/** Raised when a received share is not acceptable; the protocol run MUST abort (section 7.2). */
export class CPaceAbort extends Error {
  override readonly name = 'CPaceAbort';
}

/** prepend_len (appendix A.1.1): the LEB128-encoded length followed by the data. */
export function prependLen(data: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = data.length;
  do {
    len.push(n < 128 ? n : (n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  } while (n > 0);
  const out = new Uint8Array(len.length + data.length);
  out.set(len, 0);
  out.set(data, len.length);
  return out;
}

/** lv_cat (appendix A.1.3): prepend_len of every argument, concatenated. Prefix-free, so no two input lists hash alike. */
export function lvCat(...parts: Uint8Array[]): Uint8Array {
  const encoded = parts.map(prependLen);
  const out = new Uint8Array(encoded.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of encoded) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * generator_string (appendix A.2). The zero padding makes DSI || PRS fill the whole first hash
 * block, so the time spent hashing does not depend on the password length (side channels, 10.10).
 */
export function generatorString(dsi: Uint8Array, prs: Uint8Array, ci: Uint8Array, sid: Uint8Array, sInBytes = SHA512_BLOCK_BYTES): Uint8Array {
  const lenZpad = Math.max(0, sInBytes - 1 - prependLen(prs).length - prependLen(dsi).length);
  return lvCat(dsi, prs, new Uint8Array(lenZpad), ci, sid);
}

/**
 * G.calculate_generator (section 8.3): hash the generator string to 64 bytes and map it onto the
 * group with RFC 9496 element derivation (two Elligator maps, so the generator's discrete log is
 * unknown to everyone — that is what makes a guessed password testable only online).
 */
export function calculateGenerator(prs: Uint8Array, ci: Uint8Array, sid: Uint8Array): RistrettoPoint {
  const genStrHash = sha512(generatorString(CPACE_DSI, prs, ci, sid));
  return ristretto255_hasher.deriveToCurve!(genStrHash);
}

/**
 * G.sample_scalar (section 8.3, recommended variant): 32 random bytes with the bits above bit 252
 * cleared, read little-endian. Zero (probability 2^-252) is resampled rather than used.
 */
export function sampleScalar(): Uint8Array {
  for (;;) {
    const y = new Uint8Array(randomBytes(CPACE_ELEMENT_BYTES));
    y[31]! &= 0x0f;
    if (scalarFromBytes(y) !== 0n) return y;
  }
}

/** Reads a little-endian scalar and reduces it modulo the group order. */
function scalarFromBytes(y: Uint8Array): bigint {
  let n = 0n;
  for (let i = y.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(y[i]!);
  return n % GROUP_ORDER;
}

/** G.scalar_mult(y, g): encode(y · g). */
export function scalarMult(y: Uint8Array, g: RistrettoPoint): Uint8Array {
  const s = scalarFromBytes(y);
  if (s === 0n) throw new CPaceAbort('the secret scalar is zero');
  return g.multiply(s).toBytes();
}

/**
 * G.scalar_mult_vfy(y, X) with the abort folded in: decode X (RFC 9496 decode rejects every
 * non-canonical encoding), refuse the identity, and return encode(y · X). Returning G.I and
 * letting callers compare would invite a forgotten check, so we throw instead.
 */
export function scalarMultVfy(y: Uint8Array, encodedX: Uint8Array): Uint8Array {
  if (encodedX.length !== CPACE_ELEMENT_BYTES) throw new CPaceAbort('the peer share has the wrong length');
  let X: RistrettoPoint;
  try {
    X = Point.fromBytes(encodedX);
  } catch {
    throw new CPaceAbort('the peer share is not a canonical ristretto255 encoding');
  }
  // The identity would make K independent of the password: the attacker would learn K without guessing.
  if (X.is0()) throw new CPaceAbort('the peer share is the identity element');
  const s = scalarFromBytes(y);
  if (s === 0n) throw new CPaceAbort('the secret scalar is zero');
  const K = X.multiply(s);
  if (K.is0()) throw new CPaceAbort('the shared point is the identity element');
  return K.toBytes();
}

/** transcript_ir (appendix A.3.4): initiator-responder ordering, since our roles are fixed (helper speaks first). */
export function transcriptIr(ya: Uint8Array, ada: Uint8Array, yb: Uint8Array, adb: Uint8Array): Uint8Array {
  const a = lvCat(ya, ada);
  const b = lvCat(yb, adb);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** ISK = H.hash(lv_cat(DSI_ISK, sid, K) || transcript_ir(Ya, ADa, Yb, ADb)) (section 7.2). */
export function computeIsk(sid: Uint8Array, k: Uint8Array, transcript: Uint8Array): Uint8Array {
  const prefix = lvCat(CPACE_DSI_ISK, sid, k);
  const msg = new Uint8Array(prefix.length + transcript.length);
  msg.set(prefix, 0);
  msg.set(transcript, prefix.length);
  return sha512(msg);
}

/** The inputs both parties must agree on (section 4.1). `ad` is this party's own associated data. */
export interface CPaceInputs {
  prs: Uint8Array;
  ci: Uint8Array;
  sid: Uint8Array;
  ad: Uint8Array;
}

/** One party's half-finished CPace run: the share to send, and how to finish with the peer's. */
export interface CPaceSession {
  /** This party's public share (Ya for the initiator, Yb for the responder). */
  readonly share: Uint8Array;
  /** Verifies the peer's share and returns ISK; throws CPaceAbort on an invalid share. Single use. */
  finish(peerShare: Uint8Array, peerAd: Uint8Array): Uint8Array;
}

/**
 * Starts a CPace run as initiator (A) or responder (B). The transcript is always ordered
 * (Ya, ADa, Yb, ADb), so both roles compute the same ISK. The scalar is forgotten after `finish`
 * because scalars MUST NOT be reused (section 10.9).
 */
export function startCPace(role: 'initiator' | 'responder', inputs: CPaceInputs): CPaceSession {
  const g = calculateGenerator(inputs.prs, inputs.ci, inputs.sid);
  let y: Uint8Array | null = sampleScalar();
  const share = scalarMult(y, g);
  return {
    share,
    finish(peerShare, peerAd) {
      if (!y) throw new CPaceAbort('this CPace run has already finished');
      const scalar = y;
      y = null;
      const k = scalarMultVfy(scalar, peerShare);
      const transcript = role === 'initiator' ? transcriptIr(share, inputs.ad, peerShare, peerAd) : transcriptIr(peerShare, peerAd, share, inputs.ad);
      return computeIsk(inputs.sid, k, transcript);
    },
  };
}
