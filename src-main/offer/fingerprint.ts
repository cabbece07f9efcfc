/**
 * Helper IDs and host-key fingerprints: `SHA256:` followed by the unpadded base64url SHA-256 of the
 * raw 32-byte Ed25519 public key — the OpenSSH style people already compare by eye, in characters
 * the policy schema (`HelperFingerprint` in settings-schema.ts) accepts.
 */
import { createHash } from 'node:crypto';

const PREFIX = 'SHA256:';
const DIGEST_CHARS = 43;

/** The fingerprint of a raw Ed25519 public key, e.g. `SHA256:q9Zx…` (50 characters). */
export function fingerprintOf(publicKey: Uint8Array): string {
  return PREFIX + createHash('sha256').update(publicKey).digest('base64url');
}

/**
 * The canonical form of a fingerprint someone typed or pasted, or null if it cannot be one.
 * Accepts the prefix in any case, surrounding spaces, and the standard base64 alphabet with or
 * without padding (as `ssh-keygen -l` prints), so an administrator's copy matches ours exactly.
 */
export function normalizeFingerprint(text: string): string | null {
  const t = text.trim();
  if (t.slice(0, PREFIX.length).toUpperCase() !== PREFIX) return null;
  const digest = t.slice(PREFIX.length).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_');
  return digest.length === DIGEST_CHARS && /^[A-Za-z0-9_-]+$/.test(digest) ? PREFIX + digest : null;
}
