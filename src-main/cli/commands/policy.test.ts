import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../../src-shared/settings/settings-schema';
import type { CliIO } from '../cli-command';
import { createFakeRunner } from '../../platform/firewall/fake-runner';
import { REMOTE_ASSISTANCE_POLICY_KEY } from '../../policy/registry-policy';
import { createPolicyCommand, policyCommand } from './policy';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-cli-policy-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function setup(policy?: string) {
  const d = fs.mkdtempSync(path.join(root, 'c-'));
  const policyFile = path.join(d, 'policy.json');
  if (policy !== undefined) fs.writeFileSync(policyFile, policy);
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: { REMOTE_ASSIST_POLICY_FILE: policyFile, REMOTE_ASSIST_PROFILE: path.join(d, 'profile'), REMOTE_ASSIST_ANSWER_FILE: path.join(d, 'unattend.xml') },
  };
  return { d, policyFile, io, out: () => out.join(''), err: () => err.join('') };
}

describe('remote-assist policy show', () => {
  it('prints every setting with its value, Windows name and source, and the files used', async () => {
    const t = setup(JSON.stringify({ version: 1, settings: { allowInvitations: false, maxInvitationMinutes: 120 } }));
    fs.mkdirSync(path.join(t.d, 'profile', 'config'), { recursive: true });
    fs.writeFileSync(path.join(t.d, 'profile', 'config', 'settings.json'), JSON.stringify({ version: 1, settings: { allowControl: false }, answerFile: null }));
    expect(await policyCommand.run(['show'], t.io)).toBe(0);
    const text = t.out();
    expect(text).toContain(`Policy file:    ${t.policyFile} (read)`);
    expect(text).toMatch(/^\*allowInvitations\s+fAllowToGetHelp\s+no\s+Set by your administrator$/m);
    expect(text).toMatch(/^\*maxInvitationMinutes\s+MaxTicketExpiry \+ MaxTicketExpiryUnits\s+120 min \(2 hours\)\s+Set by your administrator$/m);
    expect(text).toMatch(/^ allowControl\s+fAllowFullControl\s+no\s+Your setting$/m);
    expect(text).toMatch(/^ encryptedOnly\s+CreateEncryptedOnlyTickets\s+yes\s+Default$/m);
    expect(text).toMatch(/^\*allowOffers\s+fAllowUnsolicited\s+no\s+Default$/m); // administrator-only: locked
    for (const k of SETTING_KEYS) expect(text).toContain(k);
    expect(t.err()).toBe('');
  });

  it('--json gives the same facts to scripts', async () => {
    const t = setup(JSON.stringify({ version: 1, settings: { encryptedOnly: true } }));
    expect(await policyCommand.run(['show', '--json'], t.io)).toBe(0);
    const j = JSON.parse(t.out()) as { policyFile: { path: string; status: string }; policyError: unknown; settings: Record<string, { value: unknown; source: string; locked: boolean; windowsName: string | null }> };
    expect(j.policyFile).toEqual({ path: t.policyFile, status: 'ok' });
    expect(j.policyError).toBeNull();
    expect(Object.keys(j.settings)).toEqual(SETTING_KEYS);
    expect(j.settings.encryptedOnly).toMatchObject({ value: true, source: 'policy', locked: true, windowsName: 'CreateEncryptedOnlyTickets' });
    expect(j.settings.allowControl).toMatchObject({ value: true, source: 'default', locked: false });
  });

  it('a malformed policy: prints the restricted settings, explains on stderr, exits 1', async () => {
    const t = setup('{\n  "version": 1,\n  "settings": { "allowInvitations": flase }\n}');
    expect(await policyCommand.run(['show'], t.io)).toBe(1);
    expect(t.out()).toMatch(/^\*allowInvitations\s+fAllowToGetHelp\s+no\s+Set by your administrator$/m);
    expect(t.out()).toMatch(/^\*allowFileTransfer\s+-\s+no\s+Set by your administrator$/m);
    expect(t.out()).toContain('(COULD NOT BE READ)');
    expect(t.err()).toContain(`${t.policyFile}:3:37: JSON syntax error`);
    expect(t.err()).toMatch(/Remote Assist is running with everything restricted/);

    const j = setup('{"version":1,"settings":{"allowOffers":1}}');
    expect(await policyCommand.run(['show', '--json'], j.io)).toBe(1);
    const parsed = JSON.parse(j.out()) as { policyError: { code: string; details: { kind: string; key: string } } };
    expect(parsed.policyError).toMatchObject({ code: 'invalid-input', details: { kind: 'schema', key: 'settings.allowOffers' } });
  });

  it('is read-only: it neither records the answer file nor moves a damaged settings file', async () => {
    const t = setup();
    fs.writeFileSync(t.io.env.REMOTE_ASSIST_ANSWER_FILE!, '<unattend><settings><component name="Microsoft-Windows-RemoteAssistance-Exe"><fAllowFullControl>false</fAllowFullControl></component></settings></unattend>');
    const cfg = path.join(t.d, 'profile', 'config');
    fs.mkdirSync(cfg, { recursive: true });
    fs.writeFileSync(path.join(cfg, 'settings.json'), 'not json');
    expect(await policyCommand.run(['show', '--json'], t.io)).toBe(0);
    const j = JSON.parse(t.out()) as { settings: Record<string, { source: string }>; warnings: string[]; answerFile: { status: string } };
    expect(j.settings.allowControl!.source).toBe('answer-file');
    expect(j.answerFile.status).toBe('applied');
    expect(j.warnings.join()).toMatch(/damaged/);
    expect(fs.readdirSync(cfg)).toEqual(['settings.json']);
    expect(fs.readFileSync(path.join(cfg, 'settings.json'), 'utf8')).toBe('not json');
  });

  it('--profile and --answer-file flags override the environment', async () => {
    const t = setup();
    const answer = path.join(t.d, 'other.xml');
    fs.writeFileSync(answer, '<unattend><settings><component name="Microsoft-Windows-RemoteAssistance-Exe"><CreateEncryptedOnlyTickets>false</CreateEncryptedOnlyTickets></component></settings></unattend>');
    expect(await policyCommand.run(['show', '--json', `--answer-file=${answer}`, '--profile', path.join(t.d, 'p2')], t.io)).toBe(0);
    const j = JSON.parse(t.out()) as { settings: Record<string, { value: unknown; source: string }>; userSettingsFile: string };
    expect(j.settings.encryptedOnly).toEqual(expect.objectContaining({ value: false, source: 'answer-file' }));
    expect(j.userSettingsFile).toBe(path.join(t.d, 'p2', 'config', 'settings.json'));
  });

  it('on Windows, also reads Group Policy from the registry through the runner', async () => {
    const t = setup();
    const out = '\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services\r\n    fAllowToGetHelp    REG_DWORD    0x0\r\n\r\n';
    const cmd = createPolicyCommand({ platform: 'win32', runner: createFakeRunner({ [`reg query ${REMOTE_ASSISTANCE_POLICY_KEY} /s`]: out }) });
    expect(await cmd.run(['show'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^\*allowInvitations\s+fAllowToGetHelp\s+no\s+Set by your administrator$/m);
    expect(t.out()).toContain('Group Policy:');
  });

  it('usage errors exit 2', async () => {
    for (const argv of [[], ['frobnicate'], ['show', '--nope'], ['show', '--profile'], ['schema', 'extra']]) {
      const t = setup();
      expect(await policyCommand.run(argv, t.io)).toBe(2);
    }
    const h = setup();
    expect(await policyCommand.run(['--help'], h.io)).toBe(0);
    expect(h.out()).toContain('remote-assist policy show');
  });
});

describe('remote-assist policy schema', () => {
  it('prints the JSON Schema that is checked in as policy.schema.json', async () => {
    const t = setup();
    expect(await policyCommand.run(['schema'], t.io)).toBe(0);
    expect(t.out()).toBe(fs.readFileSync(path.resolve(import.meta.dirname, '../../../policy.schema.json'), 'utf8'));
    expect(JSON.parse(t.out())).toMatchObject({ title: 'Remote Assist administrator policy', additionalProperties: false });
  });
});
