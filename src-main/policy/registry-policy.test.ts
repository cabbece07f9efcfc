import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeRunner } from '../platform/firewall/fake-runner';
import { PolicyError } from './policy-error';
import { REMOTE_ASSISTANCE_POLICY_KEY, parseRegQueryOutput, readRegistryPolicy, toWindowsPolicyValues } from './registry-policy';

/** Recorded reg.exe output; line endings forced to CRLF as reg.exe writes them, whatever git did on checkout. */
const fx = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8').replace(/\r?\n/g, '\r\n');
const QUERY = `reg query ${REMOTE_ASSISTANCE_POLICY_KEY} /s`;
const reg = (stdout: string, code = 0, stderr = '') => readRegistryPolicy(createFakeRunner({ [QUERY]: { code, stdout, stderr } }));

describe('parseRegQueryOutput (recorded reg.exe output, CRLF)', () => {
  it('splits keys and values, keeping names and data with spaces', () => {
    const text = fx('reg-query-full.txt');
    expect(text).toContain('\r\n');
    const keys = parseRegQueryOutput(text);
    expect(keys.map((k) => k.path)).toEqual([
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services',
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services\\Client',
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Windows NT\\Terminal Services\\RAUnsolicit',
    ]);
    expect(keys[0]!.values).toContainEqual({ name: 'ViewMessage', type: 'REG_SZ', data: 'This computer belongs to Contoso. Only IT staff may connect.' });
    expect(keys[2]!.values[0]).toEqual({ name: 'Help desk (Alice)', type: 'REG_SZ', data: 'SHA256:3mXqk9v0c1YtqZ5b2Qe8Jr7uWnH4sLd6aPfGxT0yKcE' });
  });

  it('reads the same from LF output', () => {
    expect(parseRegQueryOutput(fx('reg-query-full.txt').replace(/\r\n/g, '\n'))).toEqual(parseRegQueryOutput(fx('reg-query-full.txt')));
  });

  it('maps to the Windows names, ignoring unrelated Terminal Services values', () => {
    const { values } = toWindowsPolicyValues(parseRegQueryOutput(fx('reg-query-full.txt')));
    expect(values).toMatchObject({ fAllowToGetHelp: 1, fAllowFullControl: 0, MaxTicketExpiry: 2, MaxTicketExpiryUnits: 2, fUseMailto: 1, fAllowUnsolicited: 1, fAllowUnsolicitedFullControl: 1, CreateEncryptedOnlyTickets: 1, LoggingEnabled: 1, UseCustomMessages: 1 });
    expect(values.RAUnsolicit).toHaveLength(3);
    expect(Object.keys(values)).not.toContain('fDenyTSConnections');
  });
});

describe('readRegistryPolicy', () => {
  it('a full Group Policy configuration becomes settings', async () => {
    const r = await reg(fx('reg-query-full.txt'));
    expect(r.status).toBe('ok');
    if (r.status === 'error') return;
    expect(r.settings).toEqual({
      allowInvitations: true,
      allowControl: false,
      maxInvitationMinutes: 2 * 1440,
      useMailto: true,
      allowOffers: true,
      allowOfferedControl: true,
      offerHelpers: [
        { name: 'Help desk (Alice)', fingerprint: 'SHA256:3mXqk9v0c1YtqZ5b2Qe8Jr7uWnH4sLd6aPfGxT0yKcE' },
        { name: 'Bob', fingerprint: 'SHA256:Vb1r8N2cQw4eZs7tYk0LmP5hJ9gD3fA6xUoRiE2nCqM' },
      ],
      encryptedOnly: true,
      loggingRequired: true,
      useCustomMessages: true,
      viewMessage: 'This computer belongs to Contoso. Only IT staff may connect.',
      shareControlMessage: 'Do not give control to anyone you do not know.',
    });
    // The Windows-style account entry (DOMAIN\user) has no key fingerprint: skipped, with a warning.
    expect(r.warnings.join()).toMatch(/RAUnsolicit entry "CONTOSO\\\\helpdesk" has no valid key fingerprint/);
  });

  it('Solicited and Offer disabled', async () => {
    expect(await reg(fx('reg-query-solicited-disabled.txt'))).toMatchObject({ status: 'ok', settings: { allowInvitations: false, allowOffers: false } });
  });

  it('only unrelated (Remote Desktop) values: not configured', async () => {
    expect(await reg(fx('reg-query-only-rdp.txt'))).toMatchObject({ status: 'absent', settings: {} });
  });

  it('"unable to find the specified registry key": not configured', async () => {
    expect(await reg('', 1, fx('reg-query-not-found.stderr.txt'))).toMatchObject({ status: 'absent', settings: {} });
  });

  it('access denied or reg.exe missing: an error (the caller fails closed)', async () => {
    const denied = await reg('', 1, fx('reg-query-access-denied.stderr.txt'));
    expect(denied.status).toBe('error');
    if (denied.status === 'error') {
      expect(denied.error).toBeInstanceOf(PolicyError);
      expect(denied.error.message).toMatch(/Access is denied/);
    }
    expect((await readRegistryPolicy(createFakeRunner({}))).status).toBe('error');
  });

  it('values of the wrong type are read restrictively; lifetimes are capped; empty messages kept', async () => {
    const r = await reg(fx('reg-query-weird.txt'));
    expect(r.status).toBe('ok');
    if (r.status === 'error') return;
    expect(r.settings).toMatchObject({ allowInvitations: false, allowOffers: true, maxInvitationMinutes: 43200, viewMessage: '' });
    expect(r.warnings.join('\n')).toMatch(/fAllowToGetHelp should be a REG_DWORD, not REG_SZ/);
    expect(r.warnings.join('\n')).toMatch(/capped at 30 days/);
  });
});
