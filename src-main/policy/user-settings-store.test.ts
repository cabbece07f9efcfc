import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { createMemoryLogger } from '../platform/app-logger';
import { writeFileAtomicSync, type AtomicWriteFs } from './atomic-write';
import { USER_SETTINGS_FILE, UserSettingsStore } from './user-settings-store';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-user-settings-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const fresh = () => fs.mkdtempSync(path.join(root, 'cfg-'));
const never = () => false;

describe('writeFileAtomicSync', () => {
  it('replaces the file and leaves no temp file behind', () => {
    const d = fresh();
    const f = path.join(d, 'x.json');
    fs.writeFileSync(f, 'old');
    writeFileAtomicSync(f, 'new');
    expect(fs.readFileSync(f, 'utf8')).toBe('new');
    expect(fs.readdirSync(d)).toEqual(['x.json']);
    if (process.platform !== 'win32') expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  });

  it('a failure before the rename leaves the old contents intact and removes the temp file', () => {
    const d = fresh();
    const f = path.join(d, 'x.json');
    fs.writeFileSync(f, 'old');
    const written: string[] = [];
    const failing: AtomicWriteFs = {
      openSync: fs.openSync,
      writeSync: (fd, data) => {
        written.push(data.toString());
        return fs.writeSync(fd, data.subarray(0, 3)); // a short write, as a full disk would give
      },
      fsyncSync: fs.fsyncSync,
      closeSync: fs.closeSync,
      renameSync: () => {
        throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
      },
      rmSync: fs.rmSync,
    };
    expect(() => writeFileAtomicSync(f, 'a much longer new content', 0o600, failing)).toThrow('EXDEV');
    expect(written.length).toBeGreaterThan(1); // short writes were continued
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
    expect(fs.readdirSync(d)).toEqual(['x.json']);
  });
});

describe('UserSettingsStore', () => {
  it('saves, reloads and resets the user\u2019s settings', () => {
    const d = fresh();
    const s = new UserSettingsStore({ configDir: d });
    expect(s.user()).toEqual({});
    s.setUser({ allowControl: false, maxInvitationMinutes: 90 }, never);
    expect(new UserSettingsStore({ configDir: d }).user()).toEqual({ allowControl: false, maxInvitationMinutes: 90 });
    s.resetUser(['allowControl']);
    expect(new UserSettingsStore({ configDir: d }).user()).toEqual({ maxInvitationMinutes: 90 });
    expect(JSON.parse(fs.readFileSync(path.join(d, USER_SETTINGS_FILE), 'utf8'))).toMatchObject({ version: 1, settings: { maxInvitationMinutes: 90 }, answerFile: null });
  });

  it('refuses a setting locked by policy, and an administrator-only setting, without writing anything', () => {
    const d = fresh();
    const s = new UserSettingsStore({ configDir: d });
    const locked = (k: string) => k === 'allowInvitations';
    let err: unknown;
    try {
      s.setUser({ maxFileSizeMB: 10, allowInvitations: true }, locked);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'disabled-by-policy')).toBe(true);
    expect((err as Error).message).toBe('This setting is set by your administrator.');
    expect(() => s.setUser({ allowOffers: true }, never)).toThrow('Only your administrator can change this setting.');
    expect(fs.existsSync(path.join(d, USER_SETTINGS_FILE))).toBe(false);
    expect(s.user()).toEqual({});
  });

  it('validates values and names', () => {
    const s = new UserSettingsStore({ configDir: fresh() });
    for (const bad of [{ maxInvitationMinutes: 0 }, { maxInvitationMinutes: 1.5 }, { allowControl: 'yes' }, { consentTimeoutSeconds: Number.NaN }, { relayUrl: 'javascript:alert(1)' }]) {
      let err: unknown;
      try {
        s.setUser(bad, never);
      } catch (e) {
        err = e;
      }
      expect(isAppError(err, 'invalid-input')).toBe(true);
    }
    expect(() => s.setUser({ nope: 1 }, never)).toThrow(/no setting called "nope"/);
    expect(s.user()).toEqual({});
  });

  it('a corrupt file is moved aside as .corrupt-<time>, with a warning, and defaults apply', () => {
    const d = fresh();
    const f = path.join(d, USER_SETTINGS_FILE);
    fs.writeFileSync(f, '{"version":1,"settings":{"allowControl":fal');
    const logger = createMemoryLogger();
    const s = new UserSettingsStore({ configDir: d, logger, now: () => new Date('2025-03-04T05:06:07.890Z') });
    expect(s.user()).toEqual({});
    expect(fs.readFileSync(path.join(d, `${USER_SETTINGS_FILE}.corrupt-20250304T050607Z`), 'utf8')).toContain('"allowControl":fal');
    expect(s.warnings[0]).toMatch(/was damaged \(not valid JSON\); it was saved as settings\.json\.corrupt-20250304T050607Z/);
    expect(logger.entries.some((e) => e.level === 'warn')).toBe(true);
    // The store is usable again right away and a new file is written.
    s.setUser({ allowControl: false }, never);
    expect(new UserSettingsStore({ configDir: d }).user()).toEqual({ allowControl: false });
  });

  it('a partly invalid file keeps the valid settings (and is backed up once)', () => {
    const d = fresh();
    fs.writeFileSync(path.join(d, USER_SETTINGS_FILE), JSON.stringify({ version: 1, settings: { allowControl: false, maxInvitationMinutes: -5, bogus: 1 }, answerFile: null }));
    const s = new UserSettingsStore({ configDir: d });
    expect(s.user()).toEqual({ allowControl: false });
    expect(s.warnings[0]).toMatch(/invalid value for maxInvitationMinutes; unknown setting "bogus"/);
    expect(fs.readdirSync(d).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
    expect(new UserSettingsStore({ configDir: d }).warnings).toEqual([]);
  });

  it('read-only: never writes, not even the backup', () => {
    const d = fresh();
    const f = path.join(d, USER_SETTINGS_FILE);
    fs.writeFileSync(f, 'garbage');
    const s = new UserSettingsStore({ configDir: d, readOnly: true });
    expect(s.warnings[0]).toMatch(/damaged/);
    expect(fs.readdirSync(d)).toEqual([USER_SETTINGS_FILE]);
    expect(() => s.setUser({ allowControl: false }, never)).toThrow(/read-only/);
  });

  it('records the answer file so it is applied once', () => {
    const d = fresh();
    const s = new UserSettingsStore({ configDir: d });
    s.recordAnswerFile({ file: '/etc/remote-assist/unattend.xml', appliedAt: '2025-01-01T00:00:00.000Z', settings: { allowControl: false } });
    expect(new UserSettingsStore({ configDir: d }).answerFile()).toEqual({ file: '/etc/remote-assist/unattend.xml', appliedAt: '2025-01-01T00:00:00.000Z', settings: { allowControl: false } });
  });

  it('an unwritable config folder: AppError io, and the in-memory state is unchanged', () => {
    const d = fresh();
    const blocker = path.join(d, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const s = new UserSettingsStore({ configDir: blocker });
    let err: unknown;
    try {
      s.setUser({ allowControl: false }, never);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'io')).toBe(true);
    expect(s.user()).toEqual({});
  });
});
