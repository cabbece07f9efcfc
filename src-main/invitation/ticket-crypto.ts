// The ticket's cryptography: a key from the password (scrypt, memory-hard) and AES-256-GCM.
//
// scrypt's output is split by HKDF into the AEAD key and a 16-byte password check stored in the
// file. The check lets the opener tell "wrong password" from "file altered": without it both
// would be the same GCM failure. It gives a guesser nothing the sealed box does not already
// give (each guess still costs one scrypt); the design accepts that an intercepted file allows
// offline guessing, which the memory-hard KDF and strong passwords make expensive.
import crypto from 'node:crypto';
import { normalizePassword } from '../../src-shared/invitation/password-rules';
import { AppError } from '../../src-shared/contract/errors';
import { KEY_CHECK_BYTES, NONCE_BYTES, TAG_BYTES, kdfMemoryBytes, kdfParamsProblem, type KdfParams } from './ticket-limits';

/** The two secrets derived from password + salt. */
export interface TicketKeys {
  aeadKey: Buffer;
  keyCheck: Buffer;
}

/** The result of sealing: a fresh random nonce and ciphertext ‖ tag. */
export interface SealedBytes {
  nonce: Buffer;
  ciphertext: Buffer;
}

const HKDF_SALT = Buffer.from('remote-assist-invitation/kdf/v1');

function scryptAsync(password: Buffer, salt: Uint8Array, params: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: exactly what these (already bounded) parameters need plus slack; Node's 32 MiB
    // default would refuse the defaults' 32 MiB.
    const options = { ...params, maxmem: kdfMemoryBytes(params) + 1024 * 1024 };
    crypto.scrypt(password, salt, 32, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Derives the AEAD key and password check from `password` (normalized first, as the link's PAKE
 * does). Refuses parameters outside KDF_LIMITS before running scrypt, whoever the caller is.
 */
export async function deriveTicketKeys(password: string, params: KdfParams, salt: Uint8Array): Promise<TicketKeys> {
  const problem = kdfParamsProblem(params);
  if (problem !== null) throw new AppError('invalid-input', `Refusing key-derivation settings outside the allowed range (scrypt ${problem}).`);
  // Libuv runs scrypt on its thread pool, so a 100 ms derivation does not block the event loop.
  let master: Buffer;
  try {
    master = await scryptAsync(Buffer.from(normalizePassword(password), 'utf8'), salt, params);
  } catch (e) {
    // The bounds above should make this unreachable; if the machine is out of memory, say so plainly.
    throw new AppError('internal', `Could not derive the invitation key (${(e as Error).message}).`);
  }
  const expand = (info: string, length: number) => Buffer.from(crypto.hkdfSync('sha256', master, HKDF_SALT, info, length));
  const keys = { aeadKey: expand('aes-256-gcm key', 32), keyCheck: expand('password check', KEY_CHECK_BYTES) };
  master.fill(0);
  return keys;
}

/** Constant-time comparison of a stored and a derived password check. */
export function keyCheckMatches(stored: Uint8Array, derived: Uint8Array): boolean {
  return stored.length === derived.length && crypto.timingSafeEqual(stored, derived);
}

/** AES-256-GCM with a random 96-bit nonce (one key per ticket, one message: no nonce reuse). */
export function sealBytes(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): SealedBytes {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/** The plaintext, or null when the tag does not verify (altered ciphertext, nonce or associated data). */
export function openSealedBytes(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Buffer | null {
  if (nonce.length !== NONCE_BYTES || ciphertext.length < TAG_BYTES) return null;
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
  const body = decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES));
  try {
    return Buffer.concat([body, decipher.final()]);
  } catch {
    body.fill(0);
    return null;
  }
}
