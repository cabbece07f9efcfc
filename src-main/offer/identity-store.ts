/**
 * The two Ed25519 keys of a profile, created on first use in its config folder:
 *  - the helper identity (`helper-identity.json`): proves who offers help; its fingerprint is the
 *    "helper ID" an administrator puts on the allow-list;
 *  - the host key (`host-key.json`): proves to helpers that they reached the computer they reached
 *    before (pinned on first use, like SSH's known_hosts).
 * Separate keys, because the two roles must not be able to stand in for each other.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import type { AppLogger } from '../platform/app-logger';
import { ED25519_PUBLIC_BYTES, ED25519_SEED_BYTES, ed25519FromSeed, generateEd25519, type Ed25519KeyPair } from './ed25519-keys';
import { fingerprintOf } from './fingerprint';
import { createPrivateFileExclusive, readIfExists, repairPrivateMode } from './private-file';

/** Which key of the profile. */
export type KeyKind = 'helper-identity' | 'host-key';

/** File names in the profile's config folder. */
export const KEY_FILES: Record<KeyKind, string> = { 'helper-identity': 'helper-identity.json', 'host-key': 'host-key.json' };

/** A loaded key: the pair, its fingerprint, where it lives and when it was made. */
export interface StoredKey {
  readonly kind: KeyKind;
  readonly pair: Ed25519KeyPair;
  readonly fingerprint: string;
  readonly file: string;
  readonly createdAt: string;
}

const rawKey = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .transform((s) => new Uint8Array(Buffer.from(s, 'base64url')))
    .refine((b) => b.length === bytes, `must be ${bytes} bytes`);

const KeyFile = z
  .object({
    format: z.literal('remote-assist-key'),
    version: z.literal(1),
    kind: z.enum(['helper-identity', 'host-key']),
    algorithm: z.literal('ed25519'),
    publicKey: rawKey(ED25519_PUBLIC_BYTES),
    privateKey: rawKey(ED25519_SEED_BYTES),
    createdAt: z.string().max(64),
  })
  .strict();

const WHAT: Record<KeyKind, { name: string; consequence: string }> = {
  'helper-identity': { name: 'helper identity', consequence: 'the administrators of the computers you help will then have to add your new helper ID' },
  'host-key': { name: "computer's host key", consequence: 'helpers who connected before will then be warned that the identity of this computer changed' },
};

/** Loads (or creates on first use) the keys of one profile. Keys are cached after the first load. */
export class IdentityStore {
  private readonly cache = new Map<KeyKind, StoredKey>();

  constructor(
    readonly configDir: string,
    private readonly logger?: AppLogger,
  ) {}

  /** The helper's identity key (created on first use). */
  helperIdentity(): StoredKey {
    return this.load('helper-identity', true)!;
  }

  /** This computer's host key (created on first use). */
  hostKey(): StoredKey {
    return this.load('host-key', true)!;
  }

  /** A key if it exists already; never creates one (for status commands). */
  peek(kind: KeyKind): StoredKey | null {
    return this.load(kind, false);
  }

  private load(kind: KeyKind, create: boolean): StoredKey | null {
    const cached = this.cache.get(kind);
    if (cached) return cached;
    const file = path.join(this.configDir, KEY_FILES[kind]);
    let text = this.read(kind, file);
    if (text === null) {
      if (!create) return null;
      this.createKey(kind, file);
      text = this.read(kind, file);
      if (text === null) throw new AppError('io', `The ${WHAT[kind].name} file ${file} vanished right after it was created. Check the folder, then try again.`);
    }
    const key = this.parse(kind, file, text);
    this.cache.set(kind, key);
    return key;
  }

  private read(kind: KeyKind, file: string): string | null {
    try {
      const text = readIfExists(file);
      if (text !== null && repairPrivateMode(file)) {
        // Another account may have read the private key: keep going, but say so where support will look.
        this.logger?.warn(`the ${WHAT[kind].name} file was readable by others; its permissions were reset to 0600`, { file });
      }
      return text;
    } catch (e) {
      throw new AppError('io', `The ${WHAT[kind].name} file ${file} could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check its permissions.`);
    }
  }

  private createKey(kind: KeyKind, file: string): void {
    const { pair, seed } = generateEd25519();
    const body = {
      format: 'remote-assist-key',
      version: 1,
      kind,
      algorithm: 'ed25519',
      publicKey: Buffer.from(pair.publicKey).toString('base64url'),
      privateKey: Buffer.from(seed).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    try {
      // false: another instance created it a moment ago; the caller reads theirs.
      if (createPrivateFileExclusive(file, JSON.stringify(body, null, 2) + '\n')) this.logger?.info(`created a new ${WHAT[kind].name}`, { file, fingerprint: fingerprintOf(pair.publicKey) });
    } catch (e) {
      throw new AppError('io', `The ${WHAT[kind].name} could not be saved to ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check that the folder is writable.`);
    } finally {
      seed.fill(0);
    }
  }

  private parse(kind: KeyKind, file: string, text: string): StoredKey {
    const damaged = (why: string) =>
      new AppError('io', `The ${WHAT[kind].name} file ${file} is damaged (${why}). Move it away and Remote Assist will create a new key; ${WHAT[kind].consequence}.`, { file });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw damaged('not JSON');
    }
    const parsed = KeyFile.safeParse(json);
    if (!parsed.success) throw damaged(parsed.error.issues[0] ? `${parsed.error.issues[0].path.join('.') || 'file'}: ${parsed.error.issues[0].message}` : 'unexpected content');
    if (parsed.data.kind !== kind) throw damaged(`it holds a ${parsed.data.kind}`);
    let pair: Ed25519KeyPair;
    try {
      pair = ed25519FromSeed(parsed.data.privateKey, parsed.data.publicKey);
    } catch (e) {
      throw damaged((e as Error).message);
    } finally {
      parsed.data.privateKey.fill(0);
    }
    return { kind, pair, fingerprint: fingerprintOf(pair.publicKey), file, createdAt: parsed.data.createdAt };
  }
}
