import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasRoomFor, PartFile, type WriteAt } from './safe-write';

let root: string;
let folder: string;
let outside: string;

beforeEach(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ra-safe-')));
  folder = path.join(root, 'downloads');
  outside = path.join(root, 'outside');
  await fs.mkdir(folder);
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'target'), 'precious');
});
afterEach(async () => fs.rm(root, { recursive: true, force: true }));

const ls = async (dir: string) => (await fs.readdir(dir)).sort();
const bytes = (s: string) => new TextEncoder().encode(s);

describe('PartFile', () => {
  it('writes at offsets into NAME.part, then renames; the file is private to the user', async () => {
    const part = await PartFile.create({ folder, name: 'a.txt', size: 6 });
    expect(await ls(folder)).toEqual(['a.txt.part']);
    await part.write(bytes('def'), 3);
    await part.write(bytes('abc'), 0);
    const saved = await part.commit();
    expect(saved).toBe(path.join(folder, 'a.txt'));
    expect(await fs.readFile(saved, 'utf8')).toBe('abcdef');
    expect(await ls(folder)).toEqual(['a.txt']);
    if (process.platform !== 'win32') expect((await fs.stat(saved)).mode & 0o777).toBe(0o600);
  });

  it('refuses writes beyond the promised size', async () => {
    const part = await PartFile.create({ folder, name: 'a.txt', size: 4 });
    await expect(part.write(bytes('hello'), 0)).rejects.toThrow(/beyond/);
    await expect(part.write(bytes('x'), 4)).rejects.toThrow(/beyond/);
    await part.abort();
    expect(await ls(folder)).toEqual([]);
  });

  it('abort removes the .part and is idempotent; commit after abort fails', async () => {
    const part = await PartFile.create({ folder, name: 'a.txt', size: 1 });
    await part.abort();
    await part.abort();
    await expect(part.commit()).rejects.toThrow();
    expect(await ls(folder)).toEqual([]);
  });

  it('writes into the real folder when the chosen folder is itself a symlink', async () => {
    const alias = path.join(root, 'alias');
    await fs.symlink(folder, alias);
    const part = await PartFile.create({ folder: alias, name: 'a.txt', size: 1 });
    expect(part.realFolder).toBe(folder);
    await part.write(bytes('x'), 0);
    expect(await part.commit()).toBe(path.join(folder, 'a.txt'));
    expect(await ls(folder)).toEqual(['a.txt']);
  });

  it('never follows a symlink planted at NAME or NAME.part inside the folder', async () => {
    await fs.symlink(path.join(outside, 'target'), path.join(folder, 'file.txt'));
    await fs.symlink(path.join(outside, 'new-part'), path.join(folder, 'file (1).txt.part'));
    const part = await PartFile.create({ folder, name: 'file.txt', size: 3 });
    expect(path.basename(part.partPath)).toBe('file (2).txt.part');
    await part.write(bytes('bad'), 0);
    expect(await part.commit()).toBe(path.join(folder, 'file (2).txt'));
    expect(await fs.readFile(path.join(outside, 'target'), 'utf8')).toBe('precious');
    expect(await ls(outside)).toEqual(['target']);
    // The planted links are left alone (not ours to delete).
    expect(await ls(folder)).toEqual(['file (1).txt.part', 'file (2).txt', 'file.txt']);
  });

  it('does not replace a file or a symlink that appears at the final name before commit', async () => {
    const part = await PartFile.create({ folder, name: 'x.bin', size: 2 });
    await part.write(bytes('ok'), 0);
    await fs.symlink(path.join(outside, 'target'), path.join(folder, 'x.bin'));
    await fs.writeFile(path.join(folder, 'x (1).bin'), 'theirs');
    expect(await part.commit()).toBe(path.join(folder, 'x (2).bin'));
    expect(await fs.readFile(path.join(folder, 'x (1).bin'), 'utf8')).toBe('theirs');
    expect(await fs.readFile(path.join(outside, 'target'), 'utf8')).toBe('precious');
    expect(await fs.readlink(path.join(folder, 'x.bin'))).toBe(path.join(outside, 'target'));
  });

  it('fails (and leaves the stranger alone) when the .part was swapped for something else', async () => {
    const part = await PartFile.create({ folder, name: 'y.txt', size: 1 });
    await fs.rm(part.partPath);
    await fs.symlink(path.join(outside, 'target'), part.partPath);
    await expect(part.commit()).rejects.toThrow(/replaced/);
    expect(await fs.readlink(part.partPath)).toBe(path.join(outside, 'target'));
    expect(await ls(folder)).toEqual(['y.txt.part']);
  });

  it('refuses a folder that is not a folder', async () => {
    await fs.writeFile(path.join(root, 'plain'), '');
    await expect(PartFile.create({ folder: path.join(root, 'plain'), name: 'a', size: 1 })).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('passes a full-disk error through and abort then leaves nothing', async () => {
    const full: WriteAt = async () => {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    };
    const part = await PartFile.create({ folder, name: 'big', size: 10, writeAt: full });
    await expect(part.write(bytes('x'), 0)).rejects.toMatchObject({ code: 'ENOSPC' });
    await part.abort();
    expect(await ls(folder)).toEqual([]);
  });
});

describe('hasRoomFor', () => {
  it('compares the file (plus a margin) with the free space, and trusts an unknown answer', async () => {
    const statfs = async () => ({ bavail: 100, bsize: 1024 * 1024 });
    expect(await hasRoomFor(folder, 10 * 1024 * 1024, statfs)).toBe(true);
    expect(await hasRoomFor(folder, 90 * 1024 * 1024, statfs)).toBe(false);
    expect(await hasRoomFor(folder, 1, async () => Promise.reject(new Error('ENOSYS')))).toBe(true);
    expect(await hasRoomFor(folder, 1)).toBe(true);
  });
});
