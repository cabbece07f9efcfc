// Every bound on an invitation file in one place. An invitation arrives from outside (e-mail, a
// USB stick, a chat); each limit keeps a hostile file from costing us memory or time.

/** The `format` field of every invitation. */
export const TICKET_FORMAT = 'remote-assist-invitation';
/** The format version this build writes and the highest it reads. */
export const TICKET_VERSION = 1;
/** The file extension, registered with the OS by the installers. */
export const TICKET_EXTENSION = '.rainvite';

/** A real invitation is ~1 KiB; anything over this is refused before decoding or parsing. */
export const MAX_TICKET_FILE_BYTES = 64 * 1024;
/** Invitations nest 3 levels; deeper JSON is refused before it reaches a recursive parser. */
export const MAX_JSON_DEPTH = 16;

/** Invitation ids and KDF salts: at least 128 random bits (and what we generate) … */
export const MIN_RANDOM_BYTES = 16;
/** … and not absurdly long. */
export const MAX_RANDOM_BYTES = 64;
/** AES-GCM's standard nonce size. */
export const NONCE_BYTES = 12;
/** The password check value stored in the file (see ticket-crypto.ts). */
export const KEY_CHECK_BYTES = 16;
/** The GCM tag appended to the ciphertext. */
export const TAG_BYTES = 16;
/** The sealed candidates and relay: 16 DNS names at most is ~5 KiB of JSON. */
export const MAX_SEALED_BYTES = 16 * 1024;

/** User and computer names. Generous: Windows allows 104-character user principal names. */
export const MAX_NAME_LENGTH = 128;
/** Addresses the helper will try; localCandidates() never produces more. */
export const MAX_CANDIDATES = 16;
/** A relay URL (a later feature). */
export const MAX_URL_LENGTH = 2048;
/** A relay pairing id (a later feature). */
export const MAX_PAIRING_ID_LENGTH = 128;

/** The longest lifetime any policy may set: 30 days. An invitation left open longer is a standing door. */
export const MAX_LIFETIME_MINUTES = 30 * 24 * 60;

/** scrypt cost parameters. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

/** ~100 ms and 32 MiB on a 2020s laptop: memory-hard enough that offline guessing costs real money. */
export const DEFAULT_KDF_PARAMS: Readonly<KdfParams> = { N: 2 ** 15, r: 8, p: 1 };

/**
 * The most a file may ask of us. Checked before any scrypt runs: scrypt needs 128·N·r bytes, so
 * N = 2^20 with r = 16 alone would be 2 GiB; the memory cap (8× the default) bounds the product.
 * N below 2^10 protects the password too little to be a file we made.
 */
export const KDF_LIMITS = {
  minN: 2 ** 10,
  maxN: 2 ** 20,
  maxR: 16,
  maxP: 4,
  maxMemoryBytes: 256 * 1024 * 1024,
} as const;

/** scrypt's working memory for these parameters, in bytes (the V array plus the p B blocks). */
export function kdfMemoryBytes({ N, r, p }: KdfParams): number {
  return 128 * r * (N + p + 2);
}

/**
 * Null when these scrypt parameters are within KDF_LIMITS, else why not (e.g. "N = 2^24 is over
 * the limit of 2^20"). Runs before any key derivation, on whatever a file claims.
 */
export function kdfParamsProblem({ N, r, p }: KdfParams): string | null {
  const pow = (n: number) => (Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));
  if (!Number.isSafeInteger(N) || N < 2 || !Number.isInteger(Math.log2(N))) return `N = ${N} is not a power of two`;
  if (N > KDF_LIMITS.maxN) return `N = ${pow(N)} is over the limit of ${pow(KDF_LIMITS.maxN)}`;
  if (N < KDF_LIMITS.minN) return `N = ${pow(N)} is under the minimum of ${pow(KDF_LIMITS.minN)}`;
  if (!Number.isSafeInteger(r) || r < 1 || r > KDF_LIMITS.maxR) return `r = ${r} is outside 1 to ${KDF_LIMITS.maxR}`;
  if (!Number.isSafeInteger(p) || p < 1 || p > KDF_LIMITS.maxP) return `p = ${p} is outside 1 to ${KDF_LIMITS.maxP}`;
  // scrypt itself requires N < 2^(16·r) (RFC 7914); OpenSSL refuses anything else.
  if (Math.log2(N) >= 16 * r) return `N = ${pow(N)} needs r of at least ${Math.floor(Math.log2(N) / 16) + 1}`;
  const mib = kdfMemoryBytes({ N, r, p }) / 2 ** 20;
  if (mib > KDF_LIMITS.maxMemoryBytes / 2 ** 20) return `N = ${pow(N)} with r = ${r} needs ${Math.round(mib)} MiB, over the limit of ${KDF_LIMITS.maxMemoryBytes / 2 ** 20} MiB`;
  return null;
}
