import { describe, expect, it } from 'vitest';
import type { AppOpen } from '../../src-shared/contract/index';
import { createMemoryLogger } from '../platform/app-logger';
import { InstanceHandoff, launchActionFrom, scanLaunchArgv } from './instance-handoff';

const cwd = '/home/ana/work dir';

describe('launch flags → action', () => {
  it('maps each msra-style flag to its wizard', () => {
    expect(launchActionFrom({ openFile: 'Invitation "1".rainvite' }, cwd, 'linux')).toEqual({ kind: 'openFile', file: '/home/ana/work dir/Invitation "1".rainvite' });
    expect(launchActionFrom({ openFile: '/tmp/a b.rainvite' }, cwd, 'linux')).toEqual({ kind: 'openFile', file: '/tmp/a b.rainvite' });
    expect(launchActionFrom({ offer: 'PC-7' }, cwd, 'linux')).toEqual({ kind: 'offer', host: 'pc-7' });
    expect(launchActionFrom({ invite: true }, cwd, 'linux')).toEqual({ kind: 'invite', savePath: null });
    expect(launchActionFrom({ invite: true, save: 'for Bob.rainvite' }, cwd, 'linux')).toEqual({ kind: 'invite', savePath: '/home/ana/work dir/for Bob.rainvite' });
    expect(launchActionFrom({ positional: 'x.rainvite' }, cwd, 'linux')).toEqual({ kind: 'openFile', file: '/home/ana/work dir/x.rainvite' });
    expect(launchActionFrom({}, cwd, 'linux')).toEqual({ kind: 'none' });
  });

  it('refuses conflicting or dangling flags with a reason', () => {
    for (const f of [{ openFile: 'a', offer: 'pc' }, { invite: true, offer: 'pc' }, { save: 'x' }, { offer: 'not a host' }, { openFile: '' }, { openFile: 'a', positional: 'b.rainvite' }]) {
      const a = launchActionFrom(f, cwd, 'linux');
      expect(a.kind, JSON.stringify(f)).toBe('rejected');
      expect((a as { reason: string }).reason.length).toBeGreaterThan(10);
    }
  });
});

describe('scanning a second launch argv', () => {
  it('finds a double-clicked file among Electron and Chromium arguments', () => {
    const argv = ['/opt/Remote Assist/remote-assist', '--allow-file-access-from-files', '--original-process-start-time=13370000', '/home/ana/Downloads/Invitation from Rita.rainvite'];
    expect(scanLaunchArgv(argv, cwd, 'linux')).toEqual({ kind: 'openFile', file: '/home/ana/Downloads/Invitation from Rita.rainvite' });
  });

  it('finds a link (Windows and Linux pass links in argv)', () => {
    expect(scanLaunchArgv(['C:\\Program Files\\Remote Assist\\remote-assist.exe', 'remote-assist://offer?host=pc1'], 'C:\\', 'win32')).toEqual({ kind: 'offer', host: 'pc1' });
  });

  it('reads --flag value and --flag=value forms, skipping unrelated options', () => {
    expect(scanLaunchArgv(['electron', '.', '--profile', '/p', '--open-file=/tmp/a.rainvite'], cwd, 'linux')).toEqual({ kind: 'openFile', file: '/tmp/a.rainvite' });
    expect(scanLaunchArgv(['electron', '.', '--invite', '--save', 'out.rainvite'], cwd, 'linux')).toEqual({ kind: 'invite', savePath: '/home/ana/work dir/out.rainvite' });
    expect(scanLaunchArgv(['electron', '.', '--offer'], cwd, 'linux').kind).toBe('rejected');
    expect(scanLaunchArgv(['electron', '.'], cwd, 'linux')).toEqual({ kind: 'none' });
  });

  it('refuses argument injection through a crafted link', () => {
    // What a naive split of `"app.exe" "%1"` could produce from a link carrying a quote.
    const injected = ['C:\\RA\\remote-assist.exe', 'remote-assist://offer?host=pc1"', '--open-file', '\\\\evil.example\\share\\a.rainvite'];
    expect(scanLaunchArgv(injected, 'C:\\', 'win32').kind).toBe('rejected');
    expect(scanLaunchArgv(['ra', 'remote-assist://open?file=/tmp/a.rainvite', '/tmp/b.rainvite'], cwd, 'linux').kind).toBe('rejected');
    expect(scanLaunchArgv(['ra', '--invite', 'remote-assist://open?file=/tmp/a.rainvite'], cwd, 'linux').kind).toBe('rejected');
  });

  it('accepts a local file: URL and refuses a remote one', () => {
    expect(scanLaunchArgv(['ra', 'file:///tmp/a%20b.rainvite'], cwd, 'linux')).toEqual({ kind: 'openFile', file: '/tmp/a b.rainvite' });
    expect(scanLaunchArgv(['ra', 'file://evil/share/a.rainvite'], cwd, 'linux').kind).toBe('rejected');
  });
});

describe('InstanceHandoff (the running app)', () => {
  function running(initial = launchActionFrom({}, cwd, 'linux')) {
    const opened: AppOpen[] = [];
    let busy = false;
    const logger = createMemoryLogger();
    const h = new InstanceHandoff(initial, logger);
    h.attach((o) => opened.push(o), () => busy);
    return { h, opened, logger, setBusy: (b: boolean) => (busy = b) };
  }

  it('reports the launch wizard to the first page load', () => {
    const { h } = running(launchActionFrom({ openFile: '/tmp/a.rainvite' }, cwd, 'linux'));
    expect(h.startup).toEqual({ route: 'help', file: '/tmp/a.rainvite', host: null, savePath: null });
    expect(new InstanceHandoff({ kind: 'none' }).startup).toBeNull();
  });

  it('tells the page to open the wizard a second launch asked for', () => {
    const { h, opened } = running();
    expect(h.receiveArgv(['ra', '/tmp/x.rainvite'], cwd, 'linux')).toEqual({ outcome: 'opened', message: null });
    expect(opened).toEqual([{ route: 'help', file: '/tmp/x.rainvite', host: null, savePath: null }]);
    expect(h.startup?.file).toBe('/tmp/x.rainvite');
  });

  it('does nothing for a plain second launch (only focus, which the glue does)', () => {
    const { h, opened } = running();
    expect(h.receiveArgv(['ra'], cwd, 'linux').outcome).toBe('nothing');
    expect(opened).toEqual([]);
  });

  it('does not switch screens while a session runs, and says why', () => {
    const { h, opened, setBusy } = running();
    setBusy(true);
    const r = h.receiveArgv(['ra', '/tmp/x.rainvite'], cwd, 'linux');
    expect(r.outcome).toBe('busy');
    expect(r.message).toMatch(/session is running/);
    expect(opened).toEqual([]);
    expect(h.startup).toBeNull();
  });

  it('logs and ignores a hostile link', () => {
    const { h, opened, logger } = running();
    const r = h.receiveArgv(['ra', 'remote-assist://open?file=%5C%5Cevil%5Cshare%5Ca.rainvite'], 'C:\\', 'win32');
    expect(r.outcome).toBe('rejected');
    expect(opened).toEqual([]);
    expect(JSON.stringify(logger.entries)).toContain('launch request ignored');
  });

  it('hands the --invite --save target to the next invitation once', () => {
    const { h } = running(launchActionFrom({ invite: true, save: '/tmp/out.rainvite' }, cwd, 'linux'));
    expect(h.startup).toEqual({ route: 'invite', file: null, host: null, savePath: '/tmp/out.rainvite' });
    expect(h.inviteSavePath).toBe('/tmp/out.rainvite');
    h.consumeInviteSavePath();
    expect(h.inviteSavePath).toBeNull();
    expect(h.startup?.savePath).toBeNull();
  });
});
