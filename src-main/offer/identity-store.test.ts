import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/contract/errors';
import { HelperFingerprint } from '../../src-shared/settings/settings-schema';
import { createMemoryLogger } from '../platform/app-logger';
import { verifyEd25519 } from './ed25519-keys';
import { fingerprintOf, normalizeFingerprint } from './fingerprint';
import { IdentityStore, KEY_FILES } from './identity-store';
import { helperIdExportText, parseHelperIdExport } from './helper-id-export';
import { createPrivateFileExclusive } from './private-file';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-identity-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const freshDir = () => fs.mkdtempSync(path.join(root, 'p-'));
const posix = process.platform !== 'win32';

describe('IdentityStore', () => {
  it('creates the helper identity on first use, mode 0600, in the config folder', () => {
    const dir = path.join(freshDir(), 'config');
    const id = new IdentityStore(dir).helperIdentity();
    expect(id.file).toBe(path.join(dir, KEY_FILES['helper-identity']));
    expect(id.fingerprint).toMatch(/^SHA256:[A-Za-z0-9_-]{43}$/);
    expect(HelperFingerprint.safeParse(id.fingerprint).success).toBe(true);
    if (posix) {
      expect(fs.statSync(id.file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(dir).mode & 0o077).toBe(0);
    }
    // No temp file is left behind.
    expect(fs.readdirSync(dir)).toEqual([KEY_FILES['helper-identity']]);
  });

  it('keeps the same fingerprint across restarts, and the key still signs', () => {
    const dir = freshDir();
    const first = new IdentityStore(dir).helperIdentity();
    const again = new IdentityStore(dir).helperIdentity();
    expect(again.fingerprint).toBe(first.fingerprint);
    const msg = new TextEncoder().encode('transcript');
    expect(verifyEd25519(first.pair.publicKey, msg, again.pair.sign(msg))).toBe(true);
  });

  it('the host key is a different key in its own file', () => {
    const dir = freshDir();
    const store = new IdentityStore(dir);
    const helper = store.helperIdentity();
    const host = store.hostKey();
    expect(host.fingerprint).not.toBe(helper.fingerprint);
    expect(path.basename(host.file)).toBe('host-key.json');
    if (posix) expect(fs.statSync(host.file).mode & 0o777).toBe(0o600);
    expect(new IdentityStore(dir).peek('host-key')?.fingerprint).toBe(host.fingerprint);
    expect(new IdentityStore(freshDir()).peek('host-key')).toBeNull();
  });

  it('creating a key file never overwrites one another instance made first', () => {
    const dir = freshDir();
    const file = path.join(dir, 'k.json');
    expect(createPrivateFileExclusive(file, 'first')).toBe(true);
    expect(createPrivateFileExclusive(file, 'second')).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(fs.readdirSync(dir)).toEqual(['k.json']);
    // Stores opened before the key existed all read the one that won.
    const stores = Array.from({ length: 3 }, () => new IdentityStore(dir));
    expect(new Set(stores.map((s) => s.helperIdentity().fingerprint)).size).toBe(1);
  });

  it.skipIf(!posix)('tightens a key file others could read, and says so (POSIX only: Windows has no mode bits)', () => {
    const dir = freshDir();
    const { file } = new IdentityStore(dir).helperIdentity();
    fs.chmodSync(file, 0o644);
    const logger = createMemoryLogger();
    new IdentityStore(dir, logger).helperIdentity();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(logger.entries.some((e) => e.level === 'warn' && /readable by others/.test(e.message))).toBe(true);
  });

  it('refuses a damaged or edited key file instead of silently making a new identity', () => {
    const dir = freshDir();
    const { file } = new IdentityStore(dir).helperIdentity();
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as { publicKey: string };
    const other = new IdentityStore(freshDir()).helperIdentity();
    fs.writeFileSync(file, JSON.stringify({ ...body, publicKey: Buffer.from(other.pair.publicKey).toString('base64url') }));
    expect(() => new IdentityStore(dir).helperIdentity()).toThrow(/damaged \(the public key does not match the private key\)/);
    fs.writeFileSync(file, '{ nope');
    const err = (() => {
      try {
        new IdentityStore(dir).helperIdentity();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/is damaged \(not JSON\)\. Move it away.*add your new helper ID/);
    fs.writeFileSync(file, JSON.stringify({ ...body, kind: 'host-key' }));
    expect(() => new IdentityStore(dir).helperIdentity()).toThrow(/it holds a host-key/);
  });
});

describe('fingerprints and the helper ID export', () => {
  it('is SHA256: + base64url of the raw key, and accepts the forms an administrator may paste', () => {
    const key = new Uint8Array(32).fill(7);
    const fp = fingerprintOf(key);
    expect(fp).toBe('SHA256:' + Buffer.from(fp.slice(7), 'base64url').toString('base64url'));
    const std = 'sha256:' + Buffer.from(fp.slice(7), 'base64url').toString('base64');
    expect(normalizeFingerprint(`  ${std}  `)).toBe(fp);
    expect(normalizeFingerprint(fp.slice(0, -1))).toBeNull();
    expect(normalizeFingerprint('MD5:' + fp.slice(7))).toBeNull();
  });

  it('exports JSON that parses back into an allow-list entry, and refuses an altered one', () => {
    const id = new IdentityStore(freshDir()).helperIdentity();
    const text = helperIdExportText('Helen Helpdesk', id.pair.publicKey);
    expect(JSON.parse(text)).toEqual({ format: 'remote-assist-helper-id', version: 1, name: 'Helen Helpdesk', publicKey: Buffer.from(id.pair.publicKey).toString('base64url'), fingerprint: id.fingerprint });
    expect(parseHelperIdExport(text)).toEqual({ name: 'Helen Helpdesk', fingerprint: id.fingerprint });
    const other = new IdentityStore(freshDir()).helperIdentity();
    const swapped = JSON.stringify({ ...JSON.parse(text), fingerprint: other.fingerprint });
    expect(() => parseHelperIdExport(swapped)).toThrow(/does not match its key/);
    expect(() => parseHelperIdExport('{"format":"x"}')).toThrow(/not a valid helper ID file/);
  });
});
