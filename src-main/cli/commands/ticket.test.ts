import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli-command';
import { createTicket } from '../../invitation/ticket-codec';
import { PASSWORD_ENV, ticketCommand } from './ticket';

const PASSWORD = 'k7mx-3aph-rtwy-4njd';
let dir: string;
let encryptedFile: string;
let compatFile: string;
let expiredFile: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-cli-ticket-'));
  const base = {
    password: PASSWORD,
    requester: { userName: 'Grace', computerName: 'GRACE-DESK' },
    candidates: [
      { host: '192.168.50.7', port: 5950 },
      { host: 'fd00::7', port: 5950 },
    ],
    lifetimeMinutes: 120,
    kdf: { N: 1024, r: 8, p: 1 },
  };
  const save = async (name: string, extra: Partial<Parameters<typeof createTicket>[0]>) => {
    const made = await createTicket({ ...base, allowControl: false, mode: 'encrypted', ...extra });
    const file = path.join(dir, name);
    fs.writeFileSync(file, made.fileText);
    return file;
  };
  encryptedFile = await save('enc.rainvite', { allowControl: true });
  compatFile = await save('compat.rainvite', { mode: 'compatibility' });
  expiredFile = await save('old.rainvite', { now: new Date(Date.now() - 5 * 3600_000) });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await ticketCommand.run(argv, io);
  return { code, out, err };
}

describe('remote-assist ticket inspect', () => {
  it('without a password: the non-secret fields, no addresses, exit 0', async () => {
    const r = await run(['inspect', encryptedFile]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Id: +[A-Za-z0-9_-]{22}$/m);
    expect(r.out).toMatch(/^Requester: +Grace on GRACE-DESK$/m);
    expect(r.out).toMatch(/^Control: +the helper may ask to control the computer$/m);
    expect(r.out).toMatch(/^Mode: +encrypted/m);
    expect(r.out).toMatch(/^Key derivation: +scrypt N=1024 \(2\^10\) r=8 p=1, 1 MiB$/m);
    expect(r.out).toMatch(/^Expires: +\d{4}-\d\d-\d\d \d\d:\d\d \(still valid: 1 hour 59 minutes left\)$/m);
    expect(r.out).toMatch(/^Password: +not checked/m);
    expect(r.out).not.toContain('192.168.50.7');
  });

  it('with the right password: also the sealed addresses; the password is never printed', async () => {
    const r = await run(['inspect', encryptedFile, '--password', PASSWORD]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Password: +matches$/m);
    expect(r.out).toMatch(/^Addresses: +192\.168\.50\.7:5950, \[fd00::7\]:5950$/m);
    expect(r.out + r.err).not.toContain(PASSWORD);
  });

  it(`reads the password from ${PASSWORD_ENV} too`, async () => {
    const r = await run(['inspect', encryptedFile], { [PASSWORD_ENV]: PASSWORD });
    expect(r.out).toMatch(/^Addresses: +192\.168\.50\.7:5950/m);
  });

  it('with a wrong password: the fields, then one clear line on stderr, exit 1', async () => {
    const r = await run(['inspect', encryptedFile, '--password', 'not-the-password']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Password: +DOES NOT MATCH$/m);
    expect(r.out).not.toContain('192.168.50.7');
    expect(r.err).toBe(`remote-assist: ${encryptedFile}: The password does not match this invitation.\n`);
    expect(r.out + r.err).not.toContain('not-the-password');
  });

  it('an altered file with the right password: exit 1, says it was altered', async () => {
    const altered = path.join(dir, 'altered.rainvite');
    fs.writeFileSync(altered, fs.readFileSync(encryptedFile, 'utf8').replace('"allowControl": true', '"allowControl": false'));
    const r = await run(['inspect', altered, '--password', PASSWORD]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/altered/);
  });

  it('compatibility mode shows the clear addresses, marked as unverified without the password', async () => {
    const r = await run(['inspect', compatFile]);
    expect(r.out).toMatch(/^Clear addresses: +192\.168\.50\.7:5950, \[fd00::7\]:5950 \(not verified without the password\)$/m);
    expect(r.out).toMatch(/^Control: +view only$/m);
  });

  it('an expired invitation: shown, marked expired, exit 0', async () => {
    const r = await run(['inspect', expiredFile, '--password', PASSWORD]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Expires: +.*\(EXPIRED 3 hours( \d+ minutes?)? ago\)$/m);
    expect(r.out).toMatch(/^Addresses: /m);
  });

  it('--json prints one object with the same facts', async () => {
    const r = await run(['inspect', encryptedFile, '--json', '--password', PASSWORD]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    expect(j).toMatchObject({
      file: encryptedFile,
      expired: false,
      requester: { userName: 'Grace', computerName: 'GRACE-DESK' },
      allowControl: true,
      mode: 'encrypted',
      kdf: { alg: 'scrypt', N: 1024, r: 8, p: 1 },
      password: 'matches',
      candidates: [
        { host: '192.168.50.7', port: 5950 },
        { host: 'fd00::7', port: 5950 },
      ],
    });
    expect(j.secondsLeft).toBeGreaterThan(7000);
    expect(j).not.toHaveProperty('sealed');
    const wrong = await run(['inspect', encryptedFile, '--json', '--password', 'nope-nope']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject({ password: 'wrong', error: { code: 'wrong-password' } });
    expect(JSON.parse(wrong.out)).not.toHaveProperty('candidates');
  });

  describe('a malformed or unreadable file: ONE line on stderr, exit 2', () => {
    const cases: [string, () => string, RegExp][] = [
      ['missing', () => path.join(dir, 'nope.rainvite'), /The file does not exist/],
      ['a folder', () => dir, /This is a folder/],
      ['empty', () => write('empty.rainvite', ''), /The file is empty/],
      ['not JSON', () => write('prose.rainvite', 'hello\nworld'), /it is not JSON \(line 1, column 1/],
      ['a .msrcincident', () => write('win.msrcincident', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?><UPLOADINFO TYPE="Escalated"><UPLOADDATA USERNAME="x"/></UPLOADINFO>', 'utf16le')])), /Windows Remote Assistance invitation/],
      ['too large', () => write('big.rainvite', Buffer.alloc(10 * 2 ** 20, 0x20)), /too large to be an invitation \(10\.0 MiB/],
      ['hostile KDF', () => write('hostile.rainvite', fs.readFileSync(encryptedFile, 'utf8').replace('"N": 1024', '"N": 1073741824')), /key-derivation settings Remote Assist refuses/],
    ];
    it.each(cases)('%s', async (_name, file, message) => {
      const f = file();
      const r = await run(['inspect', f, '--password', PASSWORD]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.endsWith('\n')).toBe(true);
      expect(r.err.slice(0, -1)).not.toContain('\n');
      expect(r.err.startsWith(`remote-assist: ${f}: `)).toBe(true);
      expect(r.err).toMatch(message);
    });
  });

  it('--help, and usage errors exit 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: remote-assist ticket inspect FILE [--password P] [--json]');
    expect((await run(['inspect', '--help'])).code).toBe(0);
    for (const argv of [[], ['inspect'], ['frobnicate', 'x'], ['inspect', 'a', 'b'], ['inspect', 'a', '--colour']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/^remote-assist ticket: /);
      expect(r.err).toContain('remote-assist ticket --help');
    }
  });
});

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
