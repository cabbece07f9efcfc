import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { DEFAULT_SETTINGS, RESTRICTIVE_POLICY, SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from '../../src-shared/settings/settings-schema';
import { createMemoryLogger } from '../platform/app-logger';
import { PolicyError } from './policy-error';
import { PolicyService, type PolicyChange, type PolicyServiceOptions } from './policy-service';
import type { RegistryPolicyResult } from './registry-policy';
import { USER_SETTINGS_FILE, UserSettingsStore } from './user-settings-store';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-policy-service-'));
const services: PolicyService[] = [];
afterEach(() => services.splice(0).forEach((s) => s.dispose()));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fresh folder with `etc/` (policy, answer file) and `profile/` (user settings). */
function sandbox() {
  const d = fs.mkdtempSync(path.join(root, 's-'));
  const etc = path.join(d, 'etc');
  const cfg = path.join(d, 'profile');
  fs.mkdirSync(etc);
  return { d, etc, cfg, policy: path.join(etc, 'policy.json'), answer: path.join(etc, 'unattend.xml') };
}

async function start(opts: Partial<PolicyServiceOptions> & { policyFile: string; cfg: string }) {
  const s = await PolicyService.create({ store: new UserSettingsStore({ configDir: opts.cfg }), watch: false, debounceMs: 30, pollIntervalMs: 100, ...opts });
  services.push(s);
  return s;
}

/** Resolves with the first change matching `pred`; rejects after `ms` (no fixed sleeps). */
function nextChange(s: PolicyService, pred: (c: PolicyChange) => boolean, ms = 5000): Promise<PolicyChange> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      reject(new Error(`no matching policy change within ${ms} ms`));
    }, ms);
    const off = s.onChange((c) => {
      if (!pred(c)) return;
      clearTimeout(t);
      off();
      resolve(c);
    });
  });
}

const helper = (n: string) => [{ name: `Helper ${n}`, fingerprint: `SHA256:${n.repeat(12)}` }];
/** Per setting: a policy value, a user value and an answer-file value (user ≠ default wherever the type allows). */
const SAMPLES: { [K in SettingKey]: { policy: Settings[K]; user: Settings[K]; answer: Settings[K] } } = {
  allowInvitations: { policy: true, user: false, answer: false },
  allowControl: { policy: true, user: false, answer: false },
  maxInvitationMinutes: { policy: 30, user: 45, answer: 60 },
  useMailto: { policy: false, user: true, answer: true },
  allowOffers: { policy: false, user: true, answer: true },
  allowOfferedControl: { policy: false, user: true, answer: true },
  offerHelpers: { policy: helper('p'), user: helper('u'), answer: helper('a') },
  offerAdmins: { policy: helper('P'), user: helper('U'), answer: helper('A') },
  offerListenerPort: { policy: 50000, user: 50001, answer: 50002 },
  encryptedOnly: { policy: true, user: false, answer: false },
  loggingRequired: { policy: false, user: true, answer: true },
  useCustomMessages: { policy: false, user: true, answer: true },
  viewMessage: { policy: 'policy text', user: 'user text', answer: 'answer text' },
  shareControlMessage: { policy: 'policy control text', user: 'user control text', answer: 'answer control text' },
  allowFileTransfer: { policy: true, user: false, answer: false },
  maxFileSizeMB: { policy: 1, user: 2, answer: 3 },
  consentTimeoutSeconds: { policy: 10, user: 20, answer: 30 },
  relayUrl: { policy: 'wss://relay-p.example', user: 'wss://relay-u.example', answer: 'wss://relay-a.example' },
  directConnections: { policy: false, user: false, answer: false },
  iceServers: { policy: [{ urls: 'stun:p.example:3478' }], user: [{ urls: ['turn:u.example'], username: 'u', credential: 'c' }], answer: [{ urls: 'stun:a.example' }] },
  iceTransportPolicy: { policy: 'relay', user: 'relay', answer: 'relay' },
};
const layer = (which: 'policy' | 'user' | 'answer') => Object.fromEntries(SETTING_KEYS.map((k) => [k, SAMPLES[k][which]]));

describe('precedence: policy → user → answer file → default, for every setting', () => {
  it('the table covers every setting', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...SETTING_KEYS].sort());
  });

  const combos = [true, false].flatMap((p) => [true, false].flatMap((u) => [true, false].map((a) => ({ p, u, a }))));
  it.each(combos)('policy $p, user $u, answer file $a', async ({ p, u, a }) => {
    const sb = sandbox();
    if (p) fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: layer('policy') }));
    if (u || a) {
      // Written by hand, as a user could: administrator-only settings in it must have no effect.
      fs.mkdirSync(sb.cfg, { recursive: true });
      fs.writeFileSync(
        path.join(sb.cfg, USER_SETTINGS_FILE),
        JSON.stringify({ version: 1, settings: u ? layer('user') : {}, answerFile: a ? { file: sb.answer, appliedAt: '2025-01-01T00:00:00.000Z', settings: layer('answer') } : null }),
      );
    }
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg });
    expect(s.policyError).toBeNull();
    for (const k of SETTING_KEYS) {
      const editable = SETTINGS[k].userEditable;
      const [value, source] = p ? [SAMPLES[k].policy, 'policy'] : editable && u ? [SAMPLES[k].user, 'user'] : editable && a ? [SAMPLES[k].answer, 'answer-file'] : [DEFAULT_SETTINGS[k], 'default'];
      expect({ key: k, ...s.effective(k) }).toEqual({ key: k, value, source, locked: p || !editable });
    }
  });
});

describe('the answer file, applied once at first run', () => {
  const xml = (help: boolean, control: boolean) => `<unattend xmlns="urn:schemas-microsoft-com:unattend"><settings pass="specialize"><component name="Microsoft-Windows-RemoteAssistance-Exe">
<fAllowToGetHelp>${help}</fAllowToGetHelp><fAllowFullControl>${control}</fAllowFullControl><MaxTicketExpiry>2</MaxTicketExpiry><MaxTicketExpiryUnits>1</MaxTicketExpiryUnits></component></settings></unattend>`;

  it('is recorded, is not re-read, and the user\u2019s later edits win', async () => {
    const sb = sandbox();
    fs.writeFileSync(sb.answer, xml(false, false));
    const first = await start({ policyFile: sb.policy, cfg: sb.cfg, answerFile: sb.answer, now: () => new Date('2025-05-06T07:08:09.000Z') });
    expect(first.answerFile).toEqual({ file: sb.answer, status: 'applied', appliedAt: '2025-05-06T07:08:09.000Z' });
    expect(first.effective('allowInvitations')).toEqual({ value: false, source: 'answer-file', locked: false });
    expect(first.effective('maxInvitationMinutes')).toMatchObject({ value: 120, source: 'answer-file' });
    first.setUser({ allowInvitations: true });
    first.dispose();

    fs.writeFileSync(sb.answer, xml(true, true)); // later edits of the answer file do not apply
    const second = await start({ policyFile: sb.policy, cfg: sb.cfg, answerFile: sb.answer });
    expect(second.answerFile.status).toBe('recorded');
    expect(second.effective('allowInvitations')).toEqual({ value: true, source: 'user', locked: false });
    expect(second.effective('allowControl')).toEqual({ value: false, source: 'answer-file', locked: false });
    second.resetUser(['allowInvitations']);
    expect(second.effective('allowInvitations')).toMatchObject({ value: false, source: 'answer-file' });
  });

  it('a malformed answer file: warnings, built-in defaults, and it is tried again at the next start', async () => {
    const sb = sandbox();
    fs.writeFileSync(sb.answer, '<unattend><settings>');
    const first = await start({ policyFile: sb.policy, cfg: sb.cfg, answerFile: sb.answer });
    expect(first.answerFile.status).toBe('malformed');
    expect(first.warnings.join()).toMatch(/XML error/);
    expect(first.effective('allowInvitations')).toMatchObject({ value: true, source: 'default' });
    fs.writeFileSync(sb.answer, xml(false, true));
    const second = await start({ policyFile: sb.policy, cfg: sb.cfg, answerFile: sb.answer });
    expect(second.effective('allowInvitations')).toMatchObject({ value: false, source: 'answer-file' });
  });
});

describe('a malformed policy never throws out of the service: restrictive fallback, locked, error exposed', () => {
  const cases: [string, (sb: ReturnType<typeof sandbox>) => void][] = [
    ['bad JSON', (sb) => fs.writeFileSync(sb.policy, '{"version":1,"settings":{')],
    ['wrong type', (sb) => fs.writeFileSync(sb.policy, '{"version":1,"settings":{"allowOffers":"yes"}}')],
    ['unknown key', (sb) => fs.writeFileSync(sb.policy, '{"version":1,"settings":{"enableEverything":true}}')],
    ['huge file', (sb) => fs.writeFileSync(sb.policy, Buffer.alloc(1024 * 1024 + 10, 0x20))],
    ['symlink loop', (sb) => (fs.symlinkSync(sb.policy + '.b', sb.policy), fs.symlinkSync(sb.policy, sb.policy + '.b'))],
    ['directory', (sb) => fs.mkdirSync(sb.policy)],
  ];
  it.each(cases)('%s', async (_what, make) => {
    const sb = sandbox();
    make(sb);
    // The user had opened things up; the fallback must still win.
    new UserSettingsStore({ configDir: sb.cfg }).setUser({ allowInvitations: true, allowControl: true, allowFileTransfer: true, encryptedOnly: false }, () => false);
    const logger = createMemoryLogger();
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, logger });
    expect(s.policyError).toBeInstanceOf(PolicyError);
    expect(s.policyFileStatus).toBe('malformed');
    for (const [k, v] of Object.entries(RESTRICTIVE_POLICY)) expect(s.effective(k as SettingKey)).toEqual({ value: v, source: 'policy', locked: true });
    expect(s.value('allowOffers')).toBe(false);
    expect(logger.entries.find((e) => e.level === 'error')?.message).toMatch(/could not be read .* everything restricted/);
    let err: unknown;
    try {
      s.setUser({ allowInvitations: true });
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'disabled-by-policy')).toBe(true);
    // Settings the broken file could not have been restricting stay the user's.
    expect(s.effective('maxInvitationMinutes').source).toBe('default');
  });

  it('a failing registry source fails closed too; registry policy wins over the file', async () => {
    const sb = sandbox();
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowControl: true, maxFileSizeMB: 7 } }));
    let reg: RegistryPolicyResult = { status: 'ok', source: 'HKLM', settings: { allowControl: false }, warnings: [] };
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, registry: async () => reg });
    expect(s.effective('allowControl')).toEqual({ value: false, source: 'policy', locked: true });
    expect(s.value('maxFileSizeMB')).toBe(7);
    reg = { status: 'error', source: 'HKLM', error: new PolicyError('registry', 'HKLM', 'Access is denied.'), warnings: [] };
    await s.reload();
    expect(s.policyError?.kind).toBe('registry');
    expect(s.value('allowInvitations')).toBe(false);
    const throwing = await start({ policyFile: sb.policy, cfg: sb.cfg, registry: () => Promise.reject(new Error('boom')) });
    expect(throwing.value('allowFileTransfer')).toBe(false);
  });
});

describe('user changes through the service', () => {
  it('setUser saves, fires onChange with the keys, and refuses locked and administrator-only settings', async () => {
    const sb = sandbox();
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowControl: false } }));
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg });
    const changed = nextChange(s, () => true);
    s.setUser({ maxFileSizeMB: 100, consentTimeoutSeconds: 30 });
    expect((await changed).changed).toEqual(['maxFileSizeMB', 'consentTimeoutSeconds']);
    expect(() => s.setUser({ allowControl: true })).toThrow('This setting is set by your administrator.');
    expect(() => s.setUser({ allowOffers: true })).toThrow('Only your administrator can change this setting.');
    expect(() => s.setUser({ maxFileSizeMB: -1 })).toThrow(/Largest file/);
    expect(new UserSettingsStore({ configDir: sb.cfg }).user()).toEqual({ maxFileSizeMB: 100, consentTimeoutSeconds: 30 });
  });

  it('a throwing listener does not stop the others', async () => {
    const sb = sandbox();
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, logger: createMemoryLogger() });
    s.onChange(() => {
      throw new Error('listener bug');
    });
    const ok = nextChange(s, () => true);
    s.setUser({ useMailto: true });
    expect((await ok).changed).toEqual(['useMailto']);
  });
});

describe('live reload (fs.watch on the folder, with a stat poll behind it)', () => {
  it('writing a policy that disables invitations fires onChange; removing it goes back to the user setting', async () => {
    const sb = sandbox();
    new UserSettingsStore({ configDir: sb.cfg }).setUser({ allowInvitations: true }, () => false);
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, watch: true });
    expect(s.effective('allowInvitations').source).toBe('user');

    const disabled = nextChange(s, (c) => c.changed.includes('allowInvitations'));
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowInvitations: false } }));
    const c1 = await disabled;
    expect(c1.settings.allowInvitations).toEqual({ value: false, source: 'policy', locked: true });
    expect(c1.previous.allowInvitations.value).toBe(true);

    const removed = nextChange(s, (c) => c.changed.includes('allowInvitations'));
    fs.rmSync(sb.policy);
    expect((await removed).settings.allowInvitations).toEqual({ value: true, source: 'user', locked: false });
  });

  it('an atomic replace (write temp + rename) is seen; a broken edit applies the fallback and a fix lifts it', async () => {
    const sb = sandbox();
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowOffers: false } }));
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, watch: true });

    const replaced = nextChange(s, (c) => c.changed.includes('allowOffers'));
    fs.writeFileSync(sb.policy + '.tmp', JSON.stringify({ version: 1, settings: { allowOffers: true, offerHelpers: helper('x') } }));
    fs.renameSync(sb.policy + '.tmp', sb.policy);
    expect((await replaced).settings.allowOffers.value).toBe(true);

    const broken = nextChange(s, (c) => c.policyError !== null);
    fs.writeFileSync(sb.policy, '{"version":1,"settings":{"allowOffers":tru');
    const c2 = await broken;
    expect(c2.changed).toEqual(expect.arrayContaining(['allowOffers', 'allowInvitations', 'allowFileTransfer']));
    expect(c2.settings.allowOffers.value).toBe(false);
    expect(c2.policyError?.position).toEqual({ line: 1, column: 40 });

    const fixed = nextChange(s, (c) => c.policyError === null);
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowOffers: true, offerHelpers: helper('x') } }));
    expect((await fixed).settings.allowOffers.value).toBe(true);
    expect(s.policyError).toBeNull();
  });

  it('a policy folder that does not exist yet is picked up when it appears', async () => {
    const sb = sandbox();
    const policy = path.join(sb.d, 'later', 'policy.json');
    const s = await start({ policyFile: policy, cfg: sb.cfg, watch: true });
    const created = nextChange(s, (c) => c.changed.includes('allowControl'));
    fs.mkdirSync(path.dirname(policy));
    fs.writeFileSync(policy, JSON.stringify({ version: 1, settings: { allowControl: false } }));
    expect((await created).settings.allowControl).toEqual({ value: false, source: 'policy', locked: true });
  });

  it('the policy folder removed and created again is still watched', async () => {
    const sb = sandbox();
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowControl: false } }));
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, watch: true });
    const gone = nextChange(s, (c) => c.changed.includes('allowControl'));
    fs.rmSync(sb.etc, { recursive: true });
    expect((await gone).settings.allowControl.source).toBe('default');
    const back = nextChange(s, (c) => c.changed.includes('maxFileSizeMB'));
    fs.mkdirSync(sb.etc);
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { maxFileSizeMB: 5 } }));
    expect((await back).settings.maxFileSizeMB).toEqual({ value: 5, source: 'policy', locked: true });
  });

  it('the registry is polled', async () => {
    const sb = sandbox();
    let reg: RegistryPolicyResult = { status: 'absent', source: 'HKLM', settings: {}, warnings: [] };
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, watch: true, registry: async () => reg, registryPollMs: 50 });
    const change = nextChange(s, (c) => c.changed.includes('allowInvitations'));
    reg = { status: 'ok', source: 'HKLM', settings: { allowInvitations: false }, warnings: [] };
    expect((await change).settings.allowInvitations.source).toBe('policy');
  });

  it('dispose stops watching', async () => {
    const sb = sandbox();
    const s = await start({ policyFile: sb.policy, cfg: sb.cfg, watch: true });
    let fired = false;
    s.onChange(() => (fired = true));
    s.dispose();
    fs.writeFileSync(sb.policy, JSON.stringify({ version: 1, settings: { allowInvitations: false } }));
    await s.reload(); // an explicit reload after dispose changes nothing either
    expect(fired).toBe(false);
  });
});
