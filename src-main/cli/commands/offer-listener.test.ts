import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli-command';
import { recordingLog, testChannelSchemas } from '../../link/link-test-helpers';
import { IdentityStore } from '../../offer/identity-store';
import { startOfferListener } from '../../offer/offer-listener';
import { freePort, testKey } from '../../offer/offer-test-helpers';
import { createOfferListenerCommand } from './offer-listener';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-cli-offer-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const command = createOfferListenerCommand({ probeTimeoutMs: 1000 });

async function run(settings: Record<string, unknown>, ...argv: string[]) {
  return runIn(fs.mkdtempSync(path.join(root, 'c-')), settings, ...argv);
}

async function runIn(d: string, settings: Record<string, unknown>, ...argv: string[]) {
  fs.writeFileSync(path.join(d, 'policy.json'), JSON.stringify({ version: 1, settings }));
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { REMOTE_ASSIST_POLICY_FILE: path.join(d, 'policy.json'), REMOTE_ASSIST_PROFILE: path.join(d, 'profile') } };
  const code = await command.run(['status', ...argv], io);
  return { code, out, err, profile: path.join(d, 'profile') };
}

describe('remote-assist offer-listener status', () => {
  it('reports policy, port, a real listener on that port, and the allow-list count', async () => {
    const listener = await startOfferListener({ host: '127.0.0.1', port: 0, hostKey: testKey().pair, computerName: 'PC', gate: () => null, authorize: () => ({ ok: true, displayName: 'x' }), channelSchemas: testChannelSchemas, logger: recordingLog().log });
    try {
      const a = testKey().fingerprint;
      const b = testKey().fingerprint;
      const settings = { allowOffers: true, offerListenerPort: listener.port, offerHelpers: [{ name: 'A', fingerprint: a }, { name: 'B', fingerprint: b }], offerAdmins: [{ name: 'A again', fingerprint: a }] };
      const r = await run(settings, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ enabled: true, source: 'policy', port: listener.port, listening: true, allowListCount: 2, helpers: 2, administrators: 1, hostFingerprint: null });
      const text = await run(settings);
      expect(text.out).toMatch(/^Offers of help: {2}allowed \(set by your administrator\)$/m);
      expect(text.out).toContain(`Listening:       yes, something accepts connections on 127.0.0.1:${listener.port}`);
      expect(text.out).toMatch(/^Allow-list: {6}2 helper IDs \(2 helper entries, 1 administrator entry\)$/m);
    } finally {
      await listener.close();
    }
  });

  it('says when offers are allowed but nothing listens, and shows the host key once it exists', async () => {
    const port = await freePort();
    const d = fs.mkdtempSync(path.join(root, 'c-'));
    const first = await runIn(d, { allowOffers: true, offerListenerPort: port });
    expect(first.out).toMatch(/^Listening: {7}no {2}\(Remote Assist is not running, or could not open the port/m);
    expect(first.out).toMatch(/^Host key: {8}none yet/m);
    const host = new IdentityStore(path.join(first.profile, 'config')).hostKey();
    expect((await runIn(d, {})).out).toMatch(new RegExp(`^Host key:        ${host.fingerprint}$`, 'm'));
    const off = await run({});
    expect(off.out).toMatch(/^Offers of help: {2}not allowed \(the default\)$/m);
  });
});
