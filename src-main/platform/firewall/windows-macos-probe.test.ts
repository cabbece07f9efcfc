import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeRunner } from './fake-runner';
import { MacosFirewallProbe, SOCKETFILTERFW } from './macos-probe';
import { WindowsFirewallProbe, parseNetshBlocks } from './windows-probe';

/** Recorded output; netsh's CRLF line endings are restored whatever git did on checkout. */
const fx = (name: string) => {
  const text = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
  return name.startsWith('netsh-') ? text.replace(/\r?\n/g, '\r\n') : text;
};
const P = 48721;
const PROFILE = 'netsh advfirewall show currentprofile';
const RULES = 'netsh advfirewall firewall show rule name=all dir=in verbose';

describe('Windows Defender Firewall (recorded netsh outputs, CRLF)', () => {
  const win = (profile: string, rules: string, program: string | null = null) => new WindowsFirewallProbe(createFakeRunner({ [PROFILE]: fx(profile), [RULES]: fx(rules) }), program);

  it('parses netsh blocks with CRLF line endings', () => {
    expect(fx('netsh-rules-allow.txt')).toContain('\r\n');
    const blocks = parseNetshBlocks(fx('netsh-rules-allow.txt')).filter((b) => 'Rule Name' in b);
    expect(blocks).toHaveLength(5);
    expect(blocks[4]).toMatchObject({ 'Rule Name': 'Remote Assist', LocalPort: '48721', Profiles: 'Private,Public', Action: 'Allow', Program: 'Any' });
    expect(blocks[0]!.Program).toBe('%SystemRoot%\\system32\\msra.exe');
  });

  it('an enabled inbound allow rule for the port on the current profile: allowed', async () => {
    const r = await win('netsh-profile-private-on.txt', 'netsh-rules-allow.txt').probe(P);
    expect(r).toMatchObject({ status: 'allowed', firewall: 'windows' });
    expect(r.detail).toContain('"Remote Assist"');
  });

  it('no rule for the port: blocked by the BlockInbound default, with the netsh command to add one', async () => {
    const r = await win('netsh-profile-private-on.txt', 'netsh-rules-without-port.txt').probe(P);
    expect(r.status).toBe('blocked');
    expect(r.howToAllow).toBe('netsh advfirewall firewall add rule name="Remote Assist" dir=in action=allow protocol=TCP localport=48721');
    expect((await win('netsh-profile-private-on.txt', 'netsh-rules-none.txt').probe(P)).status).toBe('blocked');
  });

  it('a block rule beats an allow rule; the fix names the rule', async () => {
    const r = await win('netsh-profile-private-on.txt', 'netsh-rules-block.txt').probe(P);
    expect(r.status).toBe('blocked');
    expect(r.howToAllow).toBe('netsh advfirewall firewall set rule name="Block RA port" new enable=no');
  });

  it('a rule for the Domain profile only does not help on a Private network; with both profiles active, each must allow', async () => {
    expect((await win('netsh-profile-private-on.txt', 'netsh-rules-range-domain-only.txt').probe(P)).status).toBe('blocked');
    const both = await win('netsh-profile-domain-private.txt', 'netsh-rules-range-domain-only.txt').probe(P);
    expect(both.status).toBe('blocked');
    expect(both.detail).toContain('Private');
    expect((await win('netsh-profile-domain-private.txt', 'netsh-rules-allow.txt').probe(P)).status).toBe('blocked'); // Remote Assist rule lacks Domain
  });

  it('program rules count only for our own executable', async () => {
    expect((await win('netsh-profile-private-on.txt', 'netsh-rules-program.txt').probe(P)).status).toBe('blocked');
    const ours = await win('netsh-profile-private-on.txt', 'netsh-rules-program.txt', 'C:\\Program Files\\Remote Assist\\Remote Assist.exe').probe(P);
    expect(ours.status).toBe('allowed');
  });

  it('a rule limited to some remote addresses: unknown', async () => {
    const r = await win('netsh-profile-private-on.txt', 'netsh-rules-remoteip.txt').probe(P);
    expect(r.status).toBe('unknown');
    expect(r.detail).toContain('10.20.0.0/255.255.0.0');
  });

  it('firewall off: allowed; "block all incoming": blocked whatever the rules', async () => {
    expect((await win('netsh-profile-public-off.txt', 'netsh-rules-without-port.txt').probe(P)).status).toBe('allowed');
    const r = await win('netsh-profile-blockall.txt', 'netsh-rules-allow.txt').probe(P);
    expect(r.status).toBe('blocked');
    expect(r.howToAllow).toMatch(/Blocks all incoming connections/);
  });

  it('netsh failing: unknown', async () => {
    const r = await new WindowsFirewallProbe(createFakeRunner({ [PROFILE]: { code: 1, stdout: 'The Windows Firewall service is not running.\r\n', stderr: '' } })).probe(P);
    expect(r.status).toBe('unknown');
  });
});

describe('macOS application firewall (recorded socketfilterfw outputs)', () => {
  const APP = '/Applications/Remote Assist.app/Contents/MacOS/Remote Assist';
  const mac = (state: string, blockall = 'macos-blockall-off.txt', app = 'macos-app-permitted.txt', program: string | null = APP) =>
    new MacosFirewallProbe(
      createFakeRunner({
        [`${SOCKETFILTERFW} --getglobalstate`]: fx(state),
        [`${SOCKETFILTERFW} --getblockall`]: fx(blockall),
        [`${SOCKETFILTERFW} --getappblocked ${APP}`]: fx(app),
      }),
      program,
    );

  it('off: allowed', async () => expect((await mac('macos-state-off.txt').probe(P)).status).toBe('allowed'));
  it('block all (state 2, or --getblockall): blocked', async () => {
    expect((await mac('macos-state-blockall.txt').probe(P)).status).toBe('blocked');
    expect((await mac('macos-state-on.txt', 'macos-blockall-on.txt').probe(P)).status).toBe('blocked');
  });
  it('on: our app permitted → allowed; blocked → blocked; not yet listed → unknown (macOS will ask)', async () => {
    expect((await mac('macos-state-on.txt').probe(P)).status).toBe('allowed');
    const blocked = await mac('macos-state-on.txt', 'macos-blockall-off.txt', 'macos-app-blocked.txt').probe(P);
    expect(blocked.status).toBe('blocked');
    expect(blocked.howToAllow).toBe(`sudo ${SOCKETFILTERFW} --add "${APP}" && sudo ${SOCKETFILTERFW} --unblockapp "${APP}"`);
    const unlisted = await mac('macos-state-on.txt', 'macos-blockall-off.txt', 'macos-app-unknown.txt').probe(P);
    expect(unlisted.status).toBe('unknown');
    expect(unlisted.detail).toMatch(/will ask/);
  });
});
