import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnownHosts } from './known-hosts';
import { testKey } from './offer-test-helpers';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-known-hosts-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('known hosts', () => {
  it('pins on first use, matches after, reports a change, and never overwrites a pinned key', () => {
    const k = new KnownHosts(fs.mkdtempSync(path.join(root, 'k-')));
    const a = testKey();
    const b = testKey();
    expect(k.check('pc-42', a.pair.publicKey)).toEqual({ status: 'new' });
    k.remember('pc-42', a.pair.publicKey, 'PC-42');
    expect(k.check('pc-42', a.pair.publicKey)).toEqual({ status: 'match' });
    expect(k.check('pc-42', b.pair.publicKey)).toEqual({ status: 'changed', pinnedFingerprint: a.fingerprint, pinnedComputerName: 'PC-42' });
    expect(() => k.remember('pc-42', b.pair.publicKey, 'PC-42')).toThrow(/already pinned/);
    expect(k.check('[pc-42]:50000', b.pair.publicKey)).toEqual({ status: 'new' });
    if (process.platform !== 'win32') expect(fs.statSync(k.file).mode & 0o777).toBe(0o600);
  });

  it('a damaged list stops the connection instead of trusting every key again', () => {
    const k = new KnownHosts(fs.mkdtempSync(path.join(root, 'k-')));
    k.remember('pc-42', testKey().pair.publicKey, 'PC-42');
    fs.writeFileSync(k.file, '{"version":1,"hosts":{"pc-42":');
    expect(() => k.check('pc-42', testKey().pair.publicKey)).toThrow(/is damaged, so their identities cannot be checked/);
  });

  it('labels that look like object keys stay plain labels across a save', () => {
    const k = new KnownHosts(fs.mkdtempSync(path.join(root, 'k-')));
    const a = testKey();
    for (const label of ['__proto__', 'constructor']) {
      expect(k.check(label, a.pair.publicKey)).toEqual({ status: 'new' });
      k.remember(label, a.pair.publicKey, 'X');
      expect(new KnownHosts(path.dirname(k.file)).check(label, testKey().pair.publicKey)).toMatchObject({ status: 'changed' });
    }
    expect(k.list().map((e) => e.label)).toEqual(['__proto__', 'constructor']);
  });
});
