import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PartialSettingsSchema, RESTRICTIVE_POLICY } from '../../src-shared/settings/settings-schema';
import { PolicyError, describePolicyError } from './policy-error';
import { MAX_POLICY_FILE_BYTES, parsePolicyDocument, policyFilePath, policyJsonSchemaText, readPolicyFile, type PolicyFileResult } from './policy-file';

const REPO = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-policy-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const write = (text: string | Buffer) => {
  const f = path.join(dir, `p${n++}.json`);
  fs.writeFileSync(f, text);
  return f;
};

function expectRestricted(r: PolicyFileResult): asserts r is Extract<PolicyFileResult, { status: 'malformed' }> {
  expect(r.status).toBe('malformed');
  expect(r.settings).toEqual(RESTRICTIVE_POLICY);
  if (r.status === 'malformed') expect(r.error).toBeInstanceOf(PolicyError);
}

describe('policy file location', () => {
  it('REMOTE_ASSIST_POLICY_FILE wins; else the platform path', () => {
    expect(policyFilePath({ REMOTE_ASSIST_POLICY_FILE: '/tmp/x.json' }, 'linux')).toBe('/tmp/x.json');
    expect(policyFilePath({}, 'linux')).toBe('/etc/remote-assist/policy.json');
    expect(policyFilePath({}, 'darwin')).toBe('/Library/Application Support/Remote Assist/policy.json');
    expect(policyFilePath({ ProgramData: 'D:\\PD' }, 'win32')).toBe('D:\\PD\\Remote Assist\\policy.json');
    expect(policyFilePath({}, 'win32')).toBe('C:\\ProgramData\\Remote Assist\\policy.json');
  });
});

describe('published artefacts', () => {
  it('policy.schema.json at the repo root is exactly the schema generated from zod (regenerate: remote-assist policy schema > policy.schema.json)', () => {
    expect(fs.readFileSync(path.join(REPO, 'policy.schema.json'), 'utf8')).toBe(policyJsonSchemaText());
  });

  it('docs/policy.example.json is a valid policy', async () => {
    const r = await readPolicyFile(path.join(REPO, 'docs', 'policy.example.json'));
    expect(r.status).toBe('ok');
    expect(r.settings.allowControl).toBe(false);
    expect(r.settings.offerHelpers).toHaveLength(2);
  });
});

describe('reading a valid policy', () => {
  it('absent file: not configured', async () => {
    expect(await readPolicyFile(path.join(dir, 'missing.json'))).toMatchObject({ status: 'absent', settings: {} });
  });

  it('present keys are returned as they are; absent keys stay unset', async () => {
    const r = await readPolicyFile(write(JSON.stringify({ $schema: 'x', version: 1, settings: { allowInvitations: false, maxInvitationMinutes: 60 } })));
    expect(r).toMatchObject({ status: 'ok', settings: { allowInvitations: false, maxInvitationMinutes: 60 } });
    expect(Object.keys(r.settings)).toHaveLength(2);
  });

  it('accepts a UTF-8 BOM and UTF-16LE (Notepad "Unicode")', async () => {
    const doc = '{"version":1,"settings":{"allowOffers":true}}';
    expect((await readPolicyFile(write('\ufeff' + doc))).settings).toEqual({ allowOffers: true });
    expect((await readPolicyFile(write(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')])))).settings).toEqual({ allowOffers: true });
  });

  it('warns when every user can write the policy file', async () => {
    const f = write('{"version":1}');
    fs.chmodSync(f, 0o666);
    const r = await readPolicyFile(f);
    expect(r.status).toBe('ok');
    expect(r.warnings.join()).toMatch(/every user/);
  });
});

describe('a malformed policy file: restrictive fallback and a precise error, never a throw', () => {
  it('bad JSON: file, line and column', async () => {
    const f = write('{\n  "version": 1,\n  "settings": {\n    "allowInvitations": false,\n  }\n}\n');
    const r = await readPolicyFile(f);
    expectRestricted(r);
    expect(r.error.kind).toBe('syntax');
    expect(r.error.position).toEqual({ line: 5, column: 3 });
    expect(r.error.message).toBe(`${f}:5:3: JSON syntax error: Unexpected character '}'; expected a property name in double quotes (no trailing comma is allowed)`);
    expect(describePolicyError(r.error)).toMatch(/^Your administrator’s policy file could not be read \(.*:5:3: .*\); Remote Assist is running with everything restricted/);
  });

  it.each([
    ['an unterminated string', '{"version": 1, "settings": {"viewMessage": "abc}}', 1, 44, /Unterminated string/],
    ['a missing comma', '{"version": 1\n "settings": {}}', 2, 2, /expected ',' or '}'/],
    ['an empty file', '', 1, 1, /empty/],
    ['a raw line break inside a string', '{"version":1,"settings":{"viewMessage":"a\nb"}}', 1, 42, /Control character/],
    ['trailing garbage', '{"version":1} x', 1, 15, /after the end/],
    ['a comment', '{"version":1, // note\n}', 1, 15, /expected a property name/],
  ])('syntax: %s', async (_what, text, line, column, msg) => {
    const r = await readPolicyFile(write(text));
    expectRestricted(r);
    expect(r.error.kind).toBe('syntax');
    expect(r.error.position).toEqual({ line, column });
    expect(r.error.problem).toMatch(msg);
  });

  it('wrong type: names the key, what was expected and where it is', async () => {
    const r = await readPolicyFile(write('{\n  "version": 1,\n  "settings": {\n    "allowInvitations": "no"\n  }\n}'));
    expectRestricted(r);
    expect(r.error).toMatchObject({ kind: 'schema', key: 'settings.allowInvitations', position: { line: 4, column: 5 } });
    expect(r.error.problem).toBe('expected boolean, received string');
  });

  it('out-of-range values and malformed helper entries are schema errors', async () => {
    for (const settings of [{ maxInvitationMinutes: 43201 }, { offerListenerPort: 80 }, { offerHelpers: [{ name: 'x', fingerprint: 'short' }] }, { relayUrl: 'ftp://relay' }, { iceServers: [{ urls: 'http://x' }] }]) {
      const r = await readPolicyFile(write(JSON.stringify({ version: 1, settings })));
      expectRestricted(r);
      expect(r.error.kind).toBe('schema');
      expect(r.error.key).toMatch(new RegExp(`^settings\\.${Object.keys(settings)[0]}`));
    }
  });

  it('unknown keys: the key, where, and a suggestion', async () => {
    const r = await readPolicyFile(write('{"version": 1, "settings": {"allowInvitation": false}}'));
    expectRestricted(r);
    expect(r.error).toMatchObject({ kind: 'schema', key: 'settings.allowInvitation', position: { line: 1, column: 29 } });
    expect(r.error.problem).toBe('unknown key "allowInvitation" (did you mean "allowInvitations"?)');
    const top = await readPolicyFile(write('{"version": 1, "setings": {}}'));
    expectRestricted(top);
    expect(top.error.problem).toMatch(/unknown key "setings"/);
  });

  it('a duplicate key (JSON.parse would silently keep the last) is refused', async () => {
    const r = await readPolicyFile(write('{"version": 1, "settings": {\n"allowOffers": false,\n"allowOffers": true}}'));
    expectRestricted(r);
    expect(r.error).toMatchObject({ kind: 'schema', key: 'settings.allowOffers', position: { line: 3, column: 1 } });
    expect(r.error.problem).toMatch(/appears twice \(first on line 2\)/);
  });

  it('a missing or unknown version is refused', async () => {
    const a = await readPolicyFile(write('{"settings": {}}'));
    expectRestricted(a);
    expect(a.error.key).toBe('version');
    const b = await readPolicyFile(write('{"version": 2}'));
    expectRestricted(b);
    expect(b.error.problem).toMatch(/must be 1/);
    for (const text of ['[]', '"x"', 'null', '1']) expectRestricted(await readPolicyFile(write(text)));
  });

  it('a file over 1 MiB is refused without being parsed', async () => {
    const f = write(`{"version":1,"settings":{"viewMessage":"${'a'.repeat(MAX_POLICY_FILE_BYTES)}"}}`);
    const r = await readPolicyFile(f);
    expectRestricted(r);
    expect(r.error.kind).toBe('too-large');
    expect(r.error.message).toContain(f);
  });

  it('not UTF-8: refused', async () => {
    const r = await readPolicyFile(write(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])));
    expectRestricted(r);
    expect(r.error.problem).toMatch(/not UTF-8/);
  });

  it('a symlink loop', async () => {
    const a = path.join(dir, 'loop-a.json');
    const b = path.join(dir, 'loop-b.json');
    fs.symlinkSync(b, a);
    fs.symlinkSync(a, b);
    const r = await readPolicyFile(a);
    expectRestricted(r);
    expect(r.error).toMatchObject({ kind: 'unreadable' });
    expect(r.error.problem).toMatch(/symbolic link loop/);
  });

  it('a symlink to a valid policy is followed', async () => {
    const target = write('{"version":1,"settings":{"allowControl":false}}');
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(target, link);
    expect((await readPolicyFile(link)).settings).toEqual({ allowControl: false });
  });

  it('a directory instead of a file', async () => {
    const d = path.join(dir, 'policy-dir.json');
    fs.mkdirSync(d);
    const r = await readPolicyFile(d);
    expectRestricted(r);
    expect(r.error).toMatchObject({ kind: 'not-a-file', problem: 'it is a folder, not a file' });
  });

  it('a FIFO does not hang the reader', async () => {
    const fifo = path.join(dir, 'fifo.json');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return console.log('[policy-file.test] mkfifo unavailable; FIFO case skipped');
    const r = await readPolicyFile(fifo);
    expectRestricted(r);
    expect(r.error.kind).toBe('not-a-file');
  });

  it('a path through a file (ENOTDIR)', async () => {
    const f = write('{}');
    const r = await readPolicyFile(path.join(f, 'policy.json'));
    expectRestricted(r);
    expect(r.error.problem).toMatch(/not a folder/);
  });

  it('an unreadable file (permission denied)', async () => {
    const sub = fs.mkdtempSync(path.join(dir, 'perm-'));
    fs.chmodSync(sub, 0o755);
    const f = path.join(sub, 'policy.json');
    fs.writeFileSync(f, '{"version":1}');
    fs.chmodSync(f, 0o000);
    let out: { status: string; kind?: string; problem?: string };
    if (process.getuid?.() !== 0) {
      const r = await readPolicyFile(f);
      out = { status: r.status, kind: r.status === 'malformed' ? r.error.kind : undefined, problem: r.status === 'malformed' ? r.error.problem : undefined };
    } else {
      // Root reads anything: read it as nobody in a child process instead.
      const code = `import(${JSON.stringify(path.join(import.meta.dirname, 'policy-file.ts'))}).then(m=>m.readPolicyFile(${JSON.stringify(f)})).then(r=>console.log(JSON.stringify({status:r.status,kind:r.error&&r.error.kind,problem:r.error&&r.error.problem})))`;
      const child = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '-e', code], { cwd: REPO, encoding: 'utf8', timeout: 15_000 });
      if (child.status !== 0 || !child.stdout.trim()) return console.log(`[policy-file.test] cannot drop privileges to test EACCES (${child.stderr.trim() || child.error?.message}); case skipped`);
      out = JSON.parse(child.stdout.trim()) as typeof out;
    }
    expect(out).toEqual({ status: 'malformed', kind: 'unreadable', problem: 'permission denied' });
  });
});

describe('parsePolicyDocument', () => {
  it('returns settings that satisfy the settings schema', () => {
    const s = parsePolicyDocument('{"version":1,"settings":{"offerHelpers":[{"name":"A","fingerprint":"SHA256:abcdefgh"}],"relayUrl":null}}', 'p');
    expect(PartialSettingsSchema.safeParse(s).success).toBe(true);
    expect(s.relayUrl).toBeNull();
  });

  it('throws only PolicyError', () => {
    for (const t of ['{', '{"version":1,"settings":{"x":1}}', '[[[[[[[[[[[[[[[[[[[[', '{"version":1,"settings":{"allowInvitations":false,"allowInvitations":false}}']) {
      expect(() => parsePolicyDocument(t, 'p')).toThrow(PolicyError);
    }
  });

  it('handles very deep nesting without a stack overflow', () => {
    const deep = `{"version":1,"settings":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(() => parsePolicyDocument(deep, 'p')).toThrow(PolicyError);
  });
});
