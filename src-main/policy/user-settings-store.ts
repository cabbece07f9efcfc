import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import { PartialSettingsSchema, SETTINGS, SETTINGS_SHAPE, isSettingKey, type PartialSettings, type SettingKey } from '../../src-shared/settings/settings-schema';
import type { AppLogger } from '../platform/app-logger';
import { writeFileAtomicSync, type AtomicWriteFs } from './atomic-write';

/** The user's settings file inside the profile's config folder. */
export const USER_SETTINGS_FILE = 'settings.json';

/** The answer file's contribution, recorded once so it is not re-read and the user's later edits win. */
export interface AnswerFileRecord {
  readonly file: string;
  readonly appliedAt: string;
  readonly settings: PartialSettings;
}

const AnswerFileRecordSchema = z.object({ file: z.string(), appliedAt: z.string(), settings: PartialSettingsSchema }).strict();

/** On-disk shape. */
interface UserSettingsData {
  version: 1;
  settings: PartialSettings;
  answerFile: AnswerFileRecord | null;
}

/** Options for {@link UserSettingsStore}. */
export interface UserSettingsStoreOptions {
  readonly configDir: string;
  readonly logger?: AppLogger;
  /** Never write (no backups, no saves): for `policy show`. Writes then throw AppError('unavailable'). */
  readonly readOnly?: boolean;
  readonly now?: () => Date;
  /** For tests: file operations of the atomic write. */
  readonly fsOps?: AtomicWriteFs;
}

/**
 * The user's own choices from the "Remote settings" page, in `<configDir>/settings.json`. Written
 * atomically. A corrupt file is moved aside as `settings.json.corrupt-<time>` (nothing is lost)
 * and the valid parts are kept; the user is warned through the logger and `warnings`.
 */
export class UserSettingsStore {
  readonly file: string;
  private data: UserSettingsData = { version: 1, settings: {}, answerFile: null };
  private readonly warningList: string[] = [];

  constructor(private readonly opts: UserSettingsStoreOptions) {
    this.file = path.join(opts.configDir, USER_SETTINGS_FILE);
    this.load();
  }

  /** Problems found while loading (corrupt file, dropped values). */
  get warnings(): readonly string[] {
    return this.warningList;
  }

  /** The user's settings (a copy). */
  user(): PartialSettings {
    return structuredClone(this.data.settings);
  }

  /** The recorded answer-file contribution, or null if none has been applied yet. */
  answerFile(): AnswerFileRecord | null {
    return this.data.answerFile ? structuredClone(this.data.answerFile) : null;
  }

  /** Re-reads the file from disk. */
  load(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`${this.file} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); using defaults.`);
      this.data = { version: 1, settings: {}, answerFile: null };
      return;
    }
    const { data, problems } = salvage(text);
    this.data = data;
    if (problems.length) {
      const backup = this.backupCorrupt();
      this.warn(`${this.file} was damaged (${problems.join('; ')}); ${backup ? `it was saved as ${path.basename(backup)} and ` : ''}the readable settings were kept, the rest are back to their defaults.`);
      if (backup) {
        try {
          this.save(data);
        } catch (e) {
          this.warn(e instanceof Error ? e.message : String(e));
        }
      }
    }
  }

  /**
   * Validates and saves the user's changes. `isLocked` says which settings the user may not
   * change right now (set by policy). Nothing is written unless every key is acceptable.
   */
  setUser(partial: Record<string, unknown>, isLocked: (key: SettingKey) => boolean): PartialSettings {
    const next: PartialSettings = { ...this.data.settings };
    for (const [key, value] of Object.entries(partial)) {
      if (!isSettingKey(key)) throw new AppError('invalid-input', `There is no setting called ${JSON.stringify(key)}.`, { key });
      if (isLocked(key)) throw new AppError('disabled-by-policy', 'This setting is set by your administrator.', { key });
      if (!SETTINGS[key].userEditable) throw new AppError('disabled-by-policy', 'Only your administrator can change this setting.', { key });
      const r = SETTINGS_SHAPE[key].safeParse(value);
      if (!r.success) throw new AppError('invalid-input', `${SETTINGS[key].label}: ${r.error.issues[0]?.message.replace(/^Invalid input: /, '') ?? 'invalid value'}.`, { key });
      (next as Record<string, unknown>)[key] = r.data;
    }
    this.save({ ...this.data, settings: next });
    return this.user();
  }

  /** Forgets the user's own value for `keys`, so the answer file or default applies again. */
  resetUser(keys: readonly SettingKey[]): PartialSettings {
    const next: PartialSettings = { ...this.data.settings };
    for (const k of keys) delete next[k];
    this.save({ ...this.data, settings: next });
    return this.user();
  }

  /** Records the answer file as applied (persisted, so it is read only once). */
  recordAnswerFile(record: AnswerFileRecord): void {
    this.save({ ...this.data, answerFile: structuredClone(record) });
  }

  /** Writes `data` and, only once it is on disk, makes it current. */
  private save(data: UserSettingsData): void {
    if (this.opts.readOnly) throw new AppError('unavailable', 'Settings are read-only here.');
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileAtomicSync(this.file, JSON.stringify(data, null, 2) + '\n', 0o600, this.opts.fsOps);
    } catch (e) {
      throw new AppError('io', `Your settings could not be saved (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, { file: this.file });
    }
    this.data = data;
  }

  private backupCorrupt(): string | null {
    if (this.opts.readOnly) return null;
    const stamp = (this.opts.now?.() ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    let target = `${this.file}.corrupt-${stamp}`;
    for (let n = 2; fs.existsSync(target); n++) target = `${this.file}.corrupt-${stamp}-${n}`;
    try {
      fs.renameSync(this.file, target);
      return target;
    } catch (e) {
      this.warn(`${this.file} could not be moved aside (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
      return null;
    }
  }

  private warn(message: string): void {
    this.warningList.push(message);
    this.opts.logger?.warn(message);
  }
}

/** Reads what can be read from the file's text; lists what could not. */
function salvage(text: string): { data: UserSettingsData; problems: string[] } {
  const data: UserSettingsData = { version: 1, settings: {}, answerFile: null };
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { data, problems: ['not valid JSON'] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { data, problems: ['not a JSON object'] };
  const o = doc as Record<string, unknown>;
  if (o.version !== 1) problems.push(`unknown version ${JSON.stringify(o.version)}`);
  const settings = o.settings;
  if (typeof settings === 'object' && settings !== null && !Array.isArray(settings)) {
    for (const [key, value] of Object.entries(settings)) {
      if (!isSettingKey(key)) {
        problems.push(`unknown setting ${JSON.stringify(key)}`);
        continue;
      }
      const r = SETTINGS_SHAPE[key].safeParse(value);
      if (r.success) (data.settings as Record<string, unknown>)[key] = r.data;
      else problems.push(`invalid value for ${key}`);
    }
  } else if (settings !== undefined) problems.push('"settings" is not an object');
  if (o.answerFile !== undefined && o.answerFile !== null) {
    const r = AnswerFileRecordSchema.safeParse(o.answerFile);
    if (r.success) data.answerFile = r.data;
    else problems.push('the answer-file record is invalid');
  }
  for (const k of Object.keys(o)) if (!['version', 'settings', 'answerFile'].includes(k)) problems.push(`unknown field ${JSON.stringify(k)}`);
  return { data, problems };
}
