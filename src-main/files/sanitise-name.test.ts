import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FALLBACK_FILE_NAME, fitName, sanitiseFileName, uniqueTarget, utf8Bytes, withCounter } from './sanitise-name';

const table: [string, string][] = [
  ['../../.bashrc', 'bashrc'],
  ['/etc/passwd', 'passwd'],
  ['C:\\Windows\\x', 'x'],
  ['C:x.txt', 'x.txt'],
  ['\\\\?\\C:\\x', 'x'],
  ['\\\\.\\PhysicalDrive0', 'PhysicalDrive0'],
  ['\\\\server\\share\\x', 'x'],
  ['CON', '_CON'],
  ['con.txt', '_con.txt'],
  ['nul.txt', '_nul.txt'],
  ['Nul.tar.gz', '_Nul.tar.gz'],
  ['CON .txt', '_CON .txt'],
  ['LPT9', '_LPT9'],
  ['com1.log', '_com1.log'],
  ['console.txt', 'console.txt'],
  ['a\u0000b', 'ab'],
  ['\u001b[31mred', 'red'],
  ['\u001b]0;pwned\u0007title.txt', 'title.txt'],
  ['\u009b31mred', 'red'],
  ['line\nbreak\r.txt', 'linebreak.txt'],
  ['evil\u202Etxt.exe', 'eviltxt.exe'],
  ['a\u2066b\u2069c\u200Fd\uFEFF.txt', 'abcd.txt'],
  ['name. . .', 'name'],
  ['  spaces  ', 'spaces'],
  ['.', FALLBACK_FILE_NAME],
  ['..', FALLBACK_FILE_NAME],
  ['...', FALLBACK_FILE_NAME],
  ['', FALLBACK_FILE_NAME],
  ['a/b\\c', 'c'],
  ['dir/', FALLBACK_FILE_NAME],
  ['what<is>this:"|?*.txt', 'what_is_this_____.txt'],
  ['file.txt:stream', 'file.txt_stream'],
  ['e\u0301te\u0301.txt', '\u00e9t\u00e9.txt'],
  ['\ud800lone.txt', 'lone.txt'],
  ['résumé (final).pdf', 'résumé (final).pdf'],
];

describe('sanitiseFileName', () => {
  it.each(table)('%j → %j', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('cuts a 300-character name to 255 bytes and keeps the extension', () => {
    expect(sanitiseFileName('a'.repeat(300))).toBe('a'.repeat(255));
    expect(sanitiseFileName('a'.repeat(300) + '.txt')).toBe('a'.repeat(251) + '.txt');
  });

  it('cuts multi-byte names on character boundaries', () => {
    const two = sanitiseFileName('é'.repeat(300) + '.pdf');
    expect(two).toBe('é'.repeat(125) + '.pdf');
    expect(utf8Bytes(two)).toBe(254);
    const four = sanitiseFileName('😀'.repeat(300));
    expect(four).toBe('😀'.repeat(63));
    expect(four).not.toMatch(/\ufffd/);
  });

  it('never yields a separator, a control character or a reserved name', () => {
    for (const [input] of table) {
      const out = sanitiseFileName(input);
      // eslint-disable-next-line no-control-regex -- asserting control characters are gone
      expect(out).not.toMatch(/[/\\<>:"|?*\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(out).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
      expect(out).not.toMatch(/^[.\s]|[.\s]$/);
      expect(utf8Bytes(out)).toBeLessThanOrEqual(255);
    }
  });

  it('fitName and withCounter respect the byte limit', () => {
    expect(fitName('short.txt', 255)).toBe('short.txt');
    expect(withCounter('report.pdf', 2)).toBe('report (2).pdf');
    expect(withCounter('README', 1)).toBe('README (1)');
    const long = withCounter('b'.repeat(260) + '.zip', 12, 250);
    expect(long.endsWith(' (12).zip')).toBe(true);
    expect(utf8Bytes(long)).toBeLessThanOrEqual(250);
  });
});

describe('uniqueTarget', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

  it('numbers collisions before the extension, counting dangling symlinks as taken', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ra-unique-'));
    dirs.push(dir);
    expect(await uniqueTarget(dir, 'report.pdf')).toBe(path.join(dir, 'report.pdf'));
    await fs.writeFile(path.join(dir, 'report.pdf'), 'x');
    expect(await uniqueTarget(dir, 'report.pdf')).toBe(path.join(dir, 'report (1).pdf'));
    await fs.symlink(path.join(dir, 'nowhere'), path.join(dir, 'report (1).pdf'));
    expect(await uniqueTarget(dir, 'report.pdf')).toBe(path.join(dir, 'report (2).pdf'));
    await fs.mkdir(path.join(dir, 'notes'));
    expect(await uniqueTarget(dir, 'notes')).toBe(path.join(dir, 'notes (1)'));
  });
});
