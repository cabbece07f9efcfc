import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAppLink, parseFileUrl } from './launch-link';
import { validOfferHost } from './launch-action';

const rejected = (raw: string, platform: NodeJS.Platform = 'linux') => parseAppLink(raw, platform).kind === 'rejected';

describe('remote-assist:// links', () => {
  it('opens an invitation file from an absolute path, decoded', () => {
    expect(parseAppLink('remote-assist://open?file=%2Fhome%2Fana%2FDownloads%2FInvitation%20from%20Rita.rainvite', 'linux')).toEqual({
      kind: 'openFile',
      file: '/home/ana/Downloads/Invitation from Rita.rainvite',
    });
    expect(parseAppLink('remote-assist://open/?file=C%3A%5CUsers%5Cana%5CInvitation.rainvite', 'win32')).toEqual({ kind: 'openFile', file: 'C:\\Users\\ana\\Invitation.rainvite' });
    // Scheme and verb are case-insensitive, as URL schemes are.
    expect(parseAppLink('REMOTE-ASSIST://Open?file=/tmp/a.RAINVITE', 'linux')).toEqual({ kind: 'openFile', file: '/tmp/a.RAINVITE' });
  });

  it('opens the offer wizard for a computer name or address, never anything else', () => {
    expect(parseAppLink('remote-assist://offer?host=Reception-PC.corp.example', 'linux')).toEqual({ kind: 'offer', host: 'reception-pc.corp.example' });
    expect(parseAppLink('remote-assist://offer?host=10.0.0.7', 'linux')).toEqual({ kind: 'offer', host: '10.0.0.7' });
    expect(parseAppLink('remote-assist://offer?host=%5Bfe80%3A%3A1%5D', 'linux')).toEqual({ kind: 'offer', host: 'fe80::1' });
  });

  it('refuses verbs outside the allow-list', () => {
    for (const verb of ['invite', 'connect', 'session', 'settings', 'exec', 'op%65n', '', 'open.evil.com'])
      expect(rejected(`remote-assist://${verb}?file=/tmp/a.rainvite`), verb).toBe(true);
    expect(rejected('remote-assist:open?file=/tmp/a.rainvite')).toBe(true);
    expect(rejected('remote-assist://open/extra?file=/tmp/a.rainvite')).toBe(true);
  });

  it('refuses extra, repeated, missing or foreign parameters', () => {
    expect(rejected('remote-assist://open?file=/tmp/a.rainvite&password=secret')).toBe(true);
    expect(rejected('remote-assist://open?file=/tmp/a.rainvite&file=/tmp/b.rainvite')).toBe(true);
    expect(rejected('remote-assist://open')).toBe(true);
    expect(rejected('remote-assist://open?host=pc1')).toBe(true);
    expect(rejected('remote-assist://offer?file=/tmp/a.rainvite')).toBe(true);
    expect(rejected('remote-assist://offer?host=pc1&connect=1')).toBe(true);
  });

  it('refuses user info, ports and fragments', () => {
    expect(rejected('remote-assist://user:pw@open?file=/tmp/a.rainvite')).toBe(true);
    expect(rejected('remote-assist://open:8080?file=/tmp/a.rainvite')).toBe(true);
    expect(rejected('remote-assist://open?file=/tmp/a.rainvite#x')).toBe(true);
  });

  it('refuses files that are not local absolute .rainvite paths', () => {
    const hostile = [
      'relative/a.rainvite',
      '/etc/passwd',
      '/tmp/a.rainvite.exe',
      '/tmp/../etc/x.rainvite',
      '/tmp/a.rainvite%00.txt',
      '/tmp/a%0a.rainvite',
      '',
    ];
    for (const f of hostile) expect(rejected(`remote-assist://open?file=${encodeURIComponent(f).replace('%2500', '%00').replace('%250a', '%0a')}`), f).toBe(true);
    // UNC and device paths: reading one sends the user's Windows credentials to that server.
    for (const f of ['\\\\evil.example\\share\\a.rainvite', '//evil.example/share/a.rainvite', '\\\\?\\C:\\a.rainvite', '\\\\.\\pipe\\a.rainvite', 'C:a.rainvite', '\\a.rainvite'])
      expect(rejected(`remote-assist://open?file=${encodeURIComponent(f)}`, 'win32'), f).toBe(true);
    expect(rejected(`remote-assist://open?file=${'/a'.repeat(2100)}.rainvite`)).toBe(true);
  });

  it('refuses host values that are not names or addresses', () => {
    for (const h of ['-oProxyCommand=x', 'a b', 'pc1;rm -rf', 'pc1:3389', 'http://pc1', '[pc1]', 'a'.repeat(64), '', '%0apc1', 'pc1%00'])
      expect(rejected(`remote-assist://offer?host=${h.startsWith('%') || h.endsWith('%00') ? h : encodeURIComponent(h)}`), h).toBe(true);
    expect(validOfferHost('-pc')).toBeNull();
  });

  it('never yields anything but a wizard or a refusal, whatever the input (fuzz)', () => {
    const prefix = fc.constantFrom('remote-assist://open?file=', 'remote-assist://offer?host=', 'remote-assist://', 'remote-assist:', 'REMOTE-ASSIST://OPEN/?');
    fc.assert(
      fc.property(prefix, fc.string({ maxLength: 300 }), fc.constantFrom<NodeJS.Platform>('linux', 'win32', 'darwin'), (p, rest, platform) => {
        const a = parseAppLink(p + rest, platform);
        expect(['openFile', 'offer', 'rejected']).toContain(a.kind);
        if (a.kind === 'openFile') {
          expect(a.file.toLowerCase().endsWith('.rainvite')).toBe(true);
          expect(a.file).not.toMatch(/^[\\/]{2}/);
          // eslint-disable-next-line no-control-regex
          expect(a.file).not.toMatch(/[\u0000-\u001f]/);
        }
        if (a.kind === 'offer') expect(a.host).toMatch(/^[a-z0-9.:-]+$/i);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('file: URLs from the desktop (%U)', () => {
  it('accepts a local file URL, spaces and quotes decoded', () => {
    expect(parseFileUrl("file:///home/ana/It's%20%22urgent%22.rainvite", 'linux')).toEqual({ kind: 'openFile', file: '/home/ana/It\'s "urgent".rainvite' });
    expect(parseFileUrl('file://localhost/tmp/a.rainvite', 'linux')).toEqual({ kind: 'openFile', file: '/tmp/a.rainvite' });
  });
  it('refuses remote hosts and other files', () => {
    expect(parseFileUrl('file://evil.example/share/a.rainvite', 'win32').kind).toBe('rejected');
    expect(parseFileUrl('file://evil.example/share/a.rainvite', 'linux').kind).toBe('rejected');
    expect(parseFileUrl('file:///etc/passwd', 'linux').kind).toBe('rejected');
    expect(parseFileUrl('file:///tmp/a.rainvite?x=1', 'linux').kind).toBe('rejected');
  });
});
