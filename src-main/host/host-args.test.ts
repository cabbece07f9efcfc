import { describe, expect, it } from 'vitest';
import { HOST_USAGE, parseHostArgs } from './host-args';

const cwd = '/home/ana/in here';

describe('host command line', () => {
  it('takes an invitation file as the only argument or with --open-file, resolved to an absolute path', () => {
    expect(parseHostArgs(['x "1".rainvite'], cwd)).toMatchObject({ launch: { kind: 'openFile', file: '/home/ana/in here/x "1".rainvite' }, startupFile: '/home/ana/in here/x "1".rainvite' });
    expect(parseHostArgs(['--open-file', '/tmp/a.rainvite', '--role', 'helper'], cwd)).toMatchObject({ role: 'helper', launch: { kind: 'openFile', file: '/tmp/a.rainvite' } });
    expect(parseHostArgs(['--open-file=/tmp/a.rainvite'], cwd).startupFile).toBe('/tmp/a.rainvite');
  });

  it('takes --offer HOST and --invite [--save FILE]', () => {
    expect(parseHostArgs(['--offer', 'PC-7'], cwd)).toMatchObject({ launch: { kind: 'offer', host: 'pc-7' }, startupFile: null });
    expect(parseHostArgs(['--invite'], cwd).launch).toEqual({ kind: 'invite', savePath: null });
    expect(parseHostArgs(['--invite', '--save', 'out.rainvite'], cwd).launch).toEqual({ kind: 'invite', savePath: '/home/ana/in here/out.rainvite' });
  });

  it('takes a remote-assist:// link, checked', () => {
    expect(parseHostArgs(['remote-assist://open?file=%2Ftmp%2Fa.rainvite'], cwd).launch).toEqual({ kind: 'openFile', file: '/tmp/a.rainvite' });
    expect(() => parseHostArgs(['remote-assist://open?file=%2Fetc%2Fpasswd'], cwd)).toThrow(/Only invitation files/);
  });

  it('refuses conflicting launch options with a message saying which', () => {
    expect(() => parseHostArgs(['--offer', 'pc', '--invite'], cwd)).toThrow(/only one of --open-file, --offer and --invite/);
    expect(() => parseHostArgs(['--save', 'x'], cwd)).toThrow(/--save goes with --invite/);
    expect(() => parseHostArgs(['--offer', 'pc;rm'], cwd)).toThrow(/computer name or IP address/);
    expect(() => parseHostArgs(['a.rainvite', 'b.rainvite'], cwd)).toThrow(/at most one/);
  });

  it('documents every launch option in --help', () => {
    for (const flag of ['--open-file FILE', '--offer HOST', '--invite [--save FILE]', 'remote-assist://open?file=', 'remote-assist://offer?host=']) expect(HOST_USAGE).toContain(flag);
  });
});
