/**
 * The helper ID an administrator imports into the policy allow-list: a small JSON file
 *   { "format": "remote-assist-helper-id", "version": 1, "name", "publicKey", "fingerprint" }
 * Only public facts. The parser re-derives the fingerprint from the key, so a file whose two
 * fields disagree (edited by hand, or by someone hoping the administrator checks only the name)
 * is refused instead of listing a key nobody holds.
 */
import { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import { HelperEntry } from '../../src-shared/settings/settings-schema';
import { ED25519_PUBLIC_BYTES } from './ed25519-keys';
import { fingerprintOf, normalizeFingerprint } from './fingerprint';

/** The `format` value of an exported helper ID. */
export const HELPER_ID_FORMAT = 'remote-assist-helper-id';

/** A helper ID as exported. */
export interface HelperIdExport {
  format: typeof HELPER_ID_FORMAT;
  version: 1;
  name: string;
  /** The raw Ed25519 public key, unpadded base64url. */
  publicKey: string;
  fingerprint: string;
}

const ExportSchema = z
  .object({
    format: z.literal(HELPER_ID_FORMAT),
    version: z.literal(1),
    name: z.string().min(1).max(256),
    publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes of base64url'),
    fingerprint: z.string().max(128),
  })
  .strict();

/** The export of a helper's identity. */
export function helperIdExport(name: string, publicKey: Uint8Array): HelperIdExport {
  return { format: HELPER_ID_FORMAT, version: 1, name, publicKey: Buffer.from(publicKey).toString('base64url'), fingerprint: fingerprintOf(publicKey) };
}

/** The export as the text of a file (pretty JSON, trailing newline). */
export function helperIdExportText(name: string, publicKey: Uint8Array): string {
  return JSON.stringify(helperIdExport(name, publicKey), null, 2) + '\n';
}

/** A file name for the export: `helper-id-NAME.json`, with only safe characters. */
export function helperIdFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60);
  return `helper-id-${safe || 'helper'}.json`;
}

/**
 * Reads an exported helper ID and returns the allow-list entry `{ name, fingerprint }` for the
 * policy. Throws AppError('invalid-input') with the reason for anything else.
 */
export function parseHelperIdExport(text: string): HelperEntry {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid-input', 'This is not a helper ID file (it is not JSON). Ask the helper to export their helper ID again.');
  }
  const parsed = ExportSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AppError('invalid-input', `This is not a valid helper ID file (${i ? `${i.path.join('.') || 'file'}: ${i.message}` : 'unexpected content'}).`);
  }
  const key = new Uint8Array(Buffer.from(parsed.data.publicKey, 'base64url'));
  if (key.length !== ED25519_PUBLIC_BYTES) throw new AppError('invalid-input', 'The helper ID file holds a key of the wrong size.');
  const fingerprint = fingerprintOf(key);
  if (normalizeFingerprint(parsed.data.fingerprint) !== fingerprint) {
    throw new AppError('invalid-input', 'The fingerprint in this helper ID file does not match its key: the file was altered. Ask the helper for a fresh export.');
  }
  const entry = HelperEntry.safeParse({ name: parsed.data.name, fingerprint });
  if (!entry.success) throw new AppError('invalid-input', 'The helper name in this file cannot be used in a policy (it is empty or only spaces).');
  return entry.data;
}
