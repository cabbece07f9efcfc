import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMailSender } from './command-mail-sender';
import { mailtoUrl } from './mail-commands';
import type { InvitationMail } from './mail-sender-port';
import { createSpawnLauncher, type LaunchResult, type Launcher } from './spawn-launcher';

/** A launcher that answers by program name and records every argv. */
function recording(answers: Record<string, number | null> = {}): Launcher & { calls: string[][] } {
  const calls: string[][] = [];
  const l = async (cmd: string, args: readonly string[]): Promise<LaunchResult> => {
    calls.push([cmd, ...args]);
    const code = cmd in answers ? answers[cmd]! : 127;
    return { code, stderr: code === 127 ? `${cmd}: not found` : '' };
  };
  return Object.assign(l, { calls });
}

const mail = (file: string): InvitationMail => ({ file, subject: 'Remote Assist invitation from ana', body: 'Hello' });

describe('MailSender strategy per platform', () => {
  it('Linux: xdg-email attaches the file; nothing else runs', async () => {
    const l = recording({ 'xdg-email': 0 });
    const r = await createMailSender({ platform: 'linux', launcher: l, useMailto: () => false }).send(mail('/tmp/a b.rainvite'));
    expect(r).toEqual({ via: 'xdg-email', attached: true, revealed: false, problem: null });
    expect(l.calls.map((c) => c[0])).toEqual(['xdg-email']);
  });

  it('Linux without a mail program: says why and shows the saved file in its folder', async () => {
    for (const code of [127, 3]) {
      const l = recording({ 'xdg-email': code, 'xdg-open': 0 });
      const r = await createMailSender({ platform: 'linux', launcher: l, useMailto: () => false }).send(mail('/tmp/x y/a.rainvite'));
      expect(r.via).toBe('none');
      expect(r.revealed).toBe(true);
      expect(r.problem).toBe(code === 127 ? 'xdg-email is not installed' : 'xdg-email could not open a message (exit 3)');
      expect(l.calls.at(-1)).toEqual(['xdg-open', '/tmp/x y']);
    }
  });

  it('a mail program still running after the settle time counts as opened', async () => {
    const r = await createMailSender({ platform: 'linux', launcher: recording({ 'xdg-email': null }), useMailto: () => false }).send(mail('/tmp/a.rainvite'));
    expect(r.attached).toBe(true);
  });

  it('Windows (MAPI preferred, not available): mailto link, then the file selected in Explorer even though explorer answers 1', async () => {
    const l = recording({ 'rundll32.exe': 0, 'explorer.exe': 1 });
    const r = await createMailSender({ platform: 'win32', launcher: l, useMailto: () => false, mapi: null }).send(mail('C:\\Users\\Ana Maria\\x.rainvite'));
    expect(r).toEqual({ via: 'mailto', attached: false, revealed: true, problem: null });
    expect(l.calls).toEqual([
      ['rundll32.exe', 'url.dll,FileProtocolHandler', mailtoUrl('Remote Assist invitation from ana', 'Hello')],
      ['explorer.exe', '/select,', 'C:\\Users\\Ana Maria\\x.rainvite'],
    ]);
  });

  it('Windows: Simple MAPI is used when policy prefers it and an adapter exists, not when policy says mailto', async () => {
    const sent: InvitationMail[] = [];
    const mapi = { sendMail: async (m: InvitationMail) => (sent.push(m), true) };
    const l = recording({ 'rundll32.exe': 0, 'explorer.exe': 1 });
    expect((await createMailSender({ platform: 'win32', launcher: l, useMailto: () => false, mapi }).send(mail('C:\\x.rainvite'))).via).toBe('mapi');
    expect(l.calls).toEqual([]);
    expect((await createMailSender({ platform: 'win32', launcher: l, useMailto: () => true, mapi }).send(mail('C:\\x.rainvite'))).via).toBe('mailto');
    expect(sent).toHaveLength(1);
    // A MAPI failure falls through to mailto.
    const broken = { sendMail: async () => false };
    expect((await createMailSender({ platform: 'win32', launcher: l, useMailto: () => false, mapi: broken }).send(mail('C:\\x.rainvite'))).via).toBe('mailto');
  });

  it('macOS: Mail scripted first; if scripting is refused, the file opened with Mail; mailto policy uses the default program', async () => {
    let l = recording({ osascript: 0 });
    expect((await createMailSender({ platform: 'darwin', launcher: l, useMailto: () => false }).send(mail('/Users/a/x.rainvite'))).via).toBe('mail-script');
    l = recording({ osascript: 1, open: 0 });
    expect((await createMailSender({ platform: 'darwin', launcher: l, useMailto: () => false }).send(mail('/Users/a/x.rainvite'))).via).toBe('mail-app');
    expect(l.calls.at(-1)).toEqual(['open', '-a', 'Mail', '/Users/a/x.rainvite']);
    l = recording({ open: 0 });
    const r = await createMailSender({ platform: 'darwin', launcher: l, useMailto: () => true }).send(mail('/Users/a/x.rainvite'));
    expect(r).toEqual({ via: 'mailto', attached: false, revealed: true, problem: null });
    expect(l.calls.map((c) => c.slice(0, 2))).toEqual([['open', mailtoUrl('Remote Assist invitation from ana', 'Hello')], ['open', '-R']]);
  });
});

describe('the real launcher (spawn, no shell) with stand-in programs on PATH', () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-mail-bin-'));
  const out = path.join(bin, 'argv.txt');
  // A stand-in xdg-email that records its argv, NUL-separated, exactly as it received it.
  fs.writeFileSync(path.join(bin, 'xdg-email'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${out}'\nexit "\${RA_EXIT:-0}"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'slow-mailer'), '#!/bin/sh\nsleep 2\n', { mode: 0o755 });
  const env = { PATH: `${bin}:/usr/bin:/bin` };

  it('passes names with spaces, quotes, $ and newlines through unchanged', async () => {
    const file = path.join(bin, `It's "urgent" $(rm -rf) \`x\`.rainvite`);
    fs.writeFileSync(file, '{}');
    const sender = createMailSender({ platform: 'linux', launcher: createSpawnLauncher({ env, settleMs: 10_000 }), useMailto: () => false });
    const r = await sender.send({ file, subject: 'Subject "q" $HOME', body: 'line 1\nline 2; echo hi' });
    expect(r.via).toBe('xdg-email');
    expect(fs.readFileSync(out, 'utf8').split('\0').slice(0, -1)).toEqual(['--utf8', '--attach', file, '--subject', 'Subject "q" $HOME', '--body', 'line 1\nline 2; echo hi']);
  });

  it('reports exit codes and missing programs', async () => {
    const launch = createSpawnLauncher({ env: { ...env, RA_EXIT: '3' }, settleMs: 10_000 });
    expect((await launch('xdg-email', ['--utf8'])).code).toBe(3);
    expect((await launch('ra-no-such-program', [])).code).toBe(127);
  });

  it('lets a program that keeps running go on its own after the settle time', async () => {
    const r = await createSpawnLauncher({ env, settleMs: 150 })('slow-mailer', []);
    expect(r.code).toBeNull();
  });
});

describe('the real xdg-email (xdg-utils), with a recording mail program as $MAILER', () => {
  const xdgEmail = ['/usr/bin/xdg-email', '/usr/local/bin/xdg-email'].find((p) => fs.existsSync(p));
  if (!xdgEmail) console.log('skipping the real xdg-email test: xdg-email (package xdg-utils) is not installed');
  it.skipIf(!xdgEmail)('hands subject, body and attachment to the mail program intact', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-xdg-email-'));
    const urlFile = path.join(dir, 'url.txt');
    fs.writeFileSync(path.join(dir, 'mailer'), `#!/bin/sh\nprintf '%s' "$1" > '${urlFile}'\n`, { mode: 0o755 });
    const file = path.join(dir, `It's "urgent" $(x) copy.rainvite`);
    fs.writeFileSync(file, '{}');
    const env = { PATH: `${path.dirname(xdgEmail!)}:/usr/bin:/bin`, MAILER: path.join(dir, 'mailer') };
    const sender = createMailSender({ platform: 'linux', launcher: createSpawnLauncher({ env, settleMs: 10_000 }), useMailto: () => false });
    const r = await sender.send({ file, subject: 'Remote Assist invitation from "ana" $HOME', body: 'line 1\nline 2; echo & 100%' });
    expect(r).toEqual({ via: 'xdg-email', attached: true, revealed: false, problem: null });
    const got = new URL(fs.readFileSync(urlFile, 'utf8'));
    expect(got.protocol).toBe('mailto:');
    expect(got.searchParams.get('attach')).toBe(file);
    expect(got.searchParams.get('subject')).toBe('Remote Assist invitation from "ana" $HOME');
    expect(got.searchParams.get('body')).toBe('line 1\r\nline 2; echo & 100%');
  });
});
