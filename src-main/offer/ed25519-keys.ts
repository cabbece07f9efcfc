/**
 * Ed25519 identity keys as raw bytes (32-byte seed, 32-byte public key), signed and verified with
 * Node's native crypto (OpenSSL): ~30 µs to sign and ~90 µs to verify here, which keeps a flood of
 * handshakes cheap. Raw bytes, not PEM, because the public key is what the fingerprint hashes and
 * what travels in the handshake.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** Bytes of an Ed25519 public key, seed and signature. */
export const ED25519_PUBLIC_BYTES = 32;
export const ED25519_SEED_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** An Ed25519 key pair with its private half kept as a KeyObject (never serialised by accident). */
export interface Ed25519KeyPair {
  readonly publicKey: Uint8Array;
  /** Signs `message` (pure Ed25519, RFC 8032). */
  sign(message: Uint8Array): Uint8Array;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** A fresh key pair and its raw seed (the caller stores the seed; the pair signs). */
export function generateEd25519(): { pair: Ed25519KeyPair; seed: Uint8Array } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = new Uint8Array(Buffer.from(jwk.d!, 'base64url'));
  return { pair: pairFromKeyObject(privateKey, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))), seed };
}

/**
 * Rebuilds a key pair from its stored seed and public key. Throws if they do not belong together:
 * a file whose public half was edited must not make us announce a key we cannot sign for.
 */
export function ed25519FromSeed(seed: Uint8Array, publicKey: Uint8Array): Ed25519KeyPair {
  if (seed.length !== ED25519_SEED_BYTES || publicKey.length !== ED25519_PUBLIC_BYTES) throw new RangeError('an Ed25519 seed and public key are 32 bytes each');
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: b64u(seed), x: b64u(publicKey) }, format: 'jwk' });
  const derived = new Uint8Array(Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url'));
  if (!Buffer.from(derived).equals(Buffer.from(publicKey))) throw new RangeError('the public key does not match the private key');
  return pairFromKeyObject(key, publicKey);
}

function pairFromKeyObject(key: KeyObject, publicKey: Uint8Array): Ed25519KeyPair {
  return { publicKey, sign: (message) => new Uint8Array(sign(null, message, key)) };
}

/** True when `signature` is a valid Ed25519 signature of `message` by `publicKey`; false for any malformed input. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBLIC_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(publicKey) }, format: 'jwk' });
    return verify(null, message, key, signature);
  } catch {
    // Not a point on the curve: a forged or garbled key verifies nothing.
    return false;
  }
}
