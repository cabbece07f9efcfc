import { describe, expect, it } from 'vitest';
import { mergeSettings } from '../../src-shared/settings/merge-settings';
import { SETTING_KEYS } from '../../src-shared/settings/settings-schema';
import { describePolicyError, PolicyError } from './policy-error';
import { describeSettings, formatSettingsTable } from './describe-settings';

describe('describeSettings / formatSettingsTable', () => {
  const eff = mergeSettings({
    policy: { allowInvitations: false, offerHelpers: [{ name: 'Alice', fingerprint: 'SHA256:abcdefgh' }], viewMessage: 'x'.repeat(100) },
    user: { maxInvitationMinutes: 2880, relayUrl: 'wss://relay.example' },
    answerFile: { allowControl: false },
  });
  const rows = describeSettings(eff);

  it('one row per setting with the source in words', () => {
    expect(rows.map((r) => r.key)).toEqual(SETTING_KEYS);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.allowInvitations).toEqual({ key: 'allowInvitations', windowsName: 'fAllowToGetHelp', value: 'no', source: 'Set by your administrator', locked: true });
    expect(by.maxInvitationMinutes).toMatchObject({ value: '2880 min (2 days)', source: 'Your setting', locked: false });
    expect(by.allowControl).toMatchObject({ value: 'no', source: 'Answer file' });
    expect(by.encryptedOnly).toMatchObject({ value: 'yes', source: 'Default' });
    expect(by.offerHelpers!.value).toBe('1: Alice');
    expect(by.relayUrl!.value).toBe('"wss://relay.example"');
    expect(by.iceServers!.value).toBe('none');
    expect(by.shareControlMessage!.value).toBe('(built-in text)');
  });

  it('a table with locked rows starred and long values clipped', () => {
    const lines = formatSettingsTable(rows).trimEnd().split('\n');
    expect(lines).toHaveLength(SETTING_KEYS.length + 1);
    expect(lines[0]).toMatch(/^ Setting\s+Windows name\s+Value\s+Source$/);
    expect(lines.find((l) => l.includes('viewMessage'))).toMatch(/^\*viewMessage .*x…\s+Set by your administrator$/);
  });

  it('the policy error sentence', () => {
    const e = new PolicyError('syntax', '/etc/remote-assist/policy.json', 'JSON syntax error: Unexpected end of file', { line: 3, column: 1 });
    expect(e.message).toBe('/etc/remote-assist/policy.json:3:1: JSON syntax error: Unexpected end of file');
    expect(e.toPayload()).toEqual({ code: 'invalid-input', message: e.message, details: { kind: 'syntax', source: '/etc/remote-assist/policy.json', line: 3, column: 1 } });
    expect(describePolicyError(e)).toBe(
      'Your administrator\u2019s policy file could not be read (/etc/remote-assist/policy.json:3:1: JSON syntax error: Unexpected end of file); Remote Assist is running with everything restricted: invitations, offers, control and file transfer are off.',
    );
  });
});
