// "Send by e-mail" through the real app core: the open invitation is saved if needed, the mail
// program gets the exact argv, and the password appears nowhere in what is handed to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../app-core';
import { resolveProfile } from '../../profile/profile-paths';
import { createMemoryLogger } from '../../platform/app-logger';
import { callTyped } from '../../../src-shared/rpc/rpc-server';
import type { MethodName, RequestOf, ResponseOf } from '../../../src-shared/contract/index';
import { createMailSender } from '../../platform/mail/command-mail-sender';
import type { LaunchResult } from '../../platform/mail/spawn-launcher';
import { generatePassword } from '../../invitation/password';

const cores: AppCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.dispose();
});

async function requester(opts: { answers?: Record<string, number>; policy?: Record<string, unknown>; platform?: NodeJS.Platform } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-email-'));
  const env: NodeJS.ProcessEnv = { ...process.env, REMOTE_ASSIST_POLICY_FILE: path.join(root, 'policy.json'), REMOTE_ASSIST_ANSWER_FILE: path.join(root, 'none.xml') };
  if (opts.policy) fs.writeFileSync(env.REMOTE_ASSIST_POLICY_FILE!, JSON.stringify({ version: 1, settings: opts.policy }));
  const calls: string[][] = [];
  const launcher = async (cmd: string, args: readonly string[]): Promise<LaunchResult> => {
    calls.push([cmd, ...args]);
    return { code: opts.answers?.[cmd] ?? 127, stderr: '' };
  };
  const profile = resolveProfile(root);
  const c = await createAppCore({
    host: 'browser-host',
    role: 'requester',
    profile,
    logger: createMemoryLogger(),
    env,
    mail: createMailSender({ platform: opts.platform ?? 'linux', launcher, useMailto: () => false }),
    testing: { listenHost: '127.0.0.1', kdf: { N: 1024, r: 8, p: 1 }, firewall: null },
  });
  cores.push(c);
  const call = <M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>> => callTyped(c.server, m, req, { connectionId: 't', transport: 'memory' });
  return { call, calls, profile };
}

describe('invitation.email', () => {
  it('saves the open invitation into Downloads, attaches it with xdg-email, and never passes the password', async () => {
    const r = await requester({ answers: { 'xdg-email': 0 } });
    for (const password of [generatePassword(), 'Correct Horse "Battery" staple']) {
      const { invitation } = await r.call('invitation.create', { password });
      expect(invitation.savedTo).toBeNull();
      const sent = await r.call('invitation.email', {});
      expect(sent.outcome).toBe('attached');
      expect(sent.savedTo).toBe(path.join(r.profile.downloadsDir, invitation.fileName));
      expect(fs.statSync(sent.savedTo).mode & 0o777).toBe(0o600);
      expect((await r.call('invitation.get', {})).invitation?.savedTo).toBe(sent.savedTo);
      const argv = r.calls.at(-1)!;
      expect(argv.slice(0, 4)).toEqual(['xdg-email', '--utf8', '--attach', sent.savedTo]);
      expect(argv[4]).toBe('--subject');
      expect(argv[6]).toBe('--body');
      // Not the password, nor any recognisable piece of it, in any argument.
      const everything = argv.join('\n').toLowerCase();
      expect(everything).not.toContain(password.toLowerCase());
      for (const piece of password.toLowerCase().split(/[^a-z0-9]+/).filter((p) => p.length >= 4 && !['correct', 'horse', 'battery', 'staple'].includes(p))) expect(everything).not.toContain(piece);
      expect(sent.message).toMatch(/password separately/);
      expect(sent.message).not.toContain(password);
    }
  });

  it('uses the file where it was already saved', async () => {
    const r = await requester({ answers: { 'xdg-email': 0 } });
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-email-save-')), 'for Bob "B".rainvite');
    await r.call('invitation.create', { password: generatePassword(), savePath: target });
    expect((await r.call('invitation.email', {})).savedTo).toBe(target);
    expect(r.calls.at(-1)![3]).toBe(target);
    // The body names the file the helper receives.
    expect(r.calls.at(-1)![7]).toContain('The attached file, for Bob "B".rainvite, is the invitation.');
  });

  it('without a mail program: says so, keeps the file and shows its folder', async () => {
    const r = await requester({ answers: { 'xdg-open': 0 } });
    await r.call('invitation.create', { password: generatePassword() });
    const sent = await r.call('invitation.email', {});
    expect(sent.outcome).toBe('saved-only');
    expect(sent.revealed).toBe(true);
    expect(sent.message).toMatch(/No e-mail program could be opened on this computer \(xdg-email is not installed\)/);
    expect(sent.message).toContain(sent.savedTo);
    expect(r.calls.at(-1)).toEqual(['xdg-open', r.profile.downloadsDir]);
    expect(fs.existsSync(sent.savedTo)).toBe(true);
  });

  it('needs an open invitation, and is off when invitations are disabled by policy', async () => {
    const r = await requester({ answers: { 'xdg-email': 0 } });
    await expect(r.call('invitation.email', {})).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/Create an invitation first/) });
    await r.call('invitation.create', { password: generatePassword() });
    await r.call('invitation.cancel', {});
    await expect(r.call('invitation.email', {})).rejects.toMatchObject({ code: 'not-found' });
    const off = await requester({ policy: { allowInvitations: false } });
    await expect(off.call('invitation.email', {})).rejects.toMatchObject({ code: 'disabled-by-policy' });
    expect(off.calls).toEqual([]);
  });
});
