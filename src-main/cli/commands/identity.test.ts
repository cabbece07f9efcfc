import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli-command';
import { parseHelperIdExport } from '../../offer/helper-id-export';
import { KnownHosts } from '../../offer/known-hosts';
import { testKey } from '../../offer/offer-test-helpers';
import { identityCommand } from './identity';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-cli-identity-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function setup() {
  const profile = fs.mkdtempSync(path.join(root, 'p-'));
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { REMOTE_ASSIST_PROFILE: profile } };
  const run = async (...argv: string[]) => {
    out = '';
    err = '';
    return { code: await identityCommand.run(argv, io), out, err };
  };
  return { profile, run };
}

describe('remote-assist identity', () => {
  it('show --json creates the helper ID once (0600) and prints the same one every time', async () => {
    const t = setup();
    const a = await t.run('show', '--json');
    expect(a.code).toBe(0);
    const j = JSON.parse(a.out) as { fingerprint: string; file: string; hostKey: unknown };
    expect(j.fingerprint).toMatch(/^SHA256:[A-Za-z0-9_-]{43}$/);
    expect(j.file).toBe(path.join(t.profile, 'config', 'helper-identity.json'));
    expect(j.hostKey).toBeNull(); // `show` never creates the host key
    if (process.platform !== 'win32') expect(fs.statSync(j.file).mode & 0o777).toBe(0o600);
    expect((JSON.parse((await t.run('show', '--json')).out) as { fingerprint: string }).fingerprint).toBe(j.fingerprint);
    expect((await t.run('show')).out).toContain(`Helper ID:    ${j.fingerprint}`);
  });

  it('export prints (or writes) the file an administrator imports', async () => {
    const t = setup();
    const fp = (JSON.parse((await t.run('show', '--json')).out) as { fingerprint: string }).fingerprint;
    const printed = await t.run('export');
    expect(printed.code).toBe(0);
    expect(parseHelperIdExport(printed.out).fingerprint).toBe(fp);
    const file = path.join(t.profile, 'me.json');
    const written = await t.run('export', '--out', file);
    expect(written.code).toBe(0);
    expect(written.err).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe(printed.out);
  });

  it('forget-host removes a pinned key by the label the warning names', async () => {
    const t = setup();
    const known = new KnownHosts(path.join(t.profile, 'config'));
    known.remember('[pc-42]:50000', testKey().pair.publicKey, 'PC-42');
    known.remember('pc-43', testKey().pair.publicKey, 'PC-43');
    expect((await t.run('forget-host', '[PC-42]:50000')).code).toBe(0);
    expect((await t.run('forget-host', 'pc-43')).code).toBe(0);
    expect(known.list()).toEqual([]);
    const again = await t.run('forget-host', 'pc-43');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/no key is pinned for pc-43/);
  });

  it('bad usage exits 2 with the usage text', async () => {
    const t = setup();
    for (const argv of [[], ['frobnicate'], ['show', 'extra'], ['forget-host'], ['--nope']]) {
      const r = await t.run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain('Usage: remote-assist identity show');
    }
  });
});
