import fs from 'node:fs';
import path from 'node:path';
import { isAppError } from '../../src-shared/contract/errors';
import { changedKeys, mergeSettings } from '../../src-shared/settings/merge-settings';
import { RESTRICTIVE_POLICY, type EffectiveSettings, type EffectiveValue, type PartialSettings, type SettingKey, type Settings } from '../../src-shared/settings/settings-schema';
import type { AppLogger } from '../platform/app-logger';
import { readAnswerFile, type AnswerFileResult } from './answer-file';
import { PolicyError, describePolicyError } from './policy-error';
import { readPolicyFile, type PolicyFileResult } from './policy-file';
import type { RegistryPolicyResult } from './registry-policy';
import type { UserSettingsStore } from './user-settings-store';

/** Options for {@link PolicyService.create}. */
export interface PolicyServiceOptions {
  /** The administrator's policy file (see `policyFilePath`). */
  readonly policyFile: string;
  /** The answer file to apply at first run (see `answerFilePath`), or null for none. */
  readonly answerFile?: string | null;
  readonly store: UserSettingsStore;
  /** Windows: reads Group Policy from the registry (`() => readRegistryPolicy(runner)`). */
  readonly registry?: (() => Promise<RegistryPolicyResult>) | null;
  readonly logger?: AppLogger;
  /** Watch the policy file and re-read it on change (default true; `policy show` passes false). */
  readonly watch?: boolean;
  /** Quiet time after a change before re-reading (default 150 ms): editors write in several steps. */
  readonly debounceMs?: number;
  /** Stat-polling interval backing up fs.watch (default 2 s): catches a folder created later, network filesystems, edits of a symlink's target. */
  readonly pollIntervalMs?: number;
  /** How often to re-read the registry policy (default 60 s); Group Policy refreshes have no file to watch. */
  readonly registryPollMs?: number;
  readonly now?: () => Date;
}

/** Fired when effective settings change (a policy edit, a user edit, the policy file breaking or healing). */
export interface PolicyChange {
  /** Settings whose value, source or lock changed. Services react to these (close an invitation, stop the offer listener, revoke control). */
  readonly changed: readonly SettingKey[];
  readonly settings: EffectiveSettings;
  readonly previous: EffectiveSettings;
  readonly policyError: PolicyError | null;
}

/** Where the answer-file layer came from. */
export interface AnswerFileState {
  readonly file: string | null;
  /** `applied` this run, `recorded` at an earlier run, or why there is none. */
  readonly status: 'applied' | 'recorded' | 'absent' | 'malformed' | 'none';
  readonly appliedAt?: string;
}

/**
 * Effective settings = administrator policy → user setting → answer file → default, each value
 * with its source. Watches the policy file and applies edits without a restart. Never throws
 * because of a bad policy: it runs with the restrictive fallback and exposes `policyError`.
 */
export class PolicyService {
  private current: EffectiveSettings;
  private policy: PartialSettings = {};
  private error: PolicyError | null = null;
  private policyWarnings: string[] = [];
  private fileStatus: PolicyFileResult['status'] = 'absent';
  private readonly staticWarnings: string[] = [];
  private answerLayer: PartialSettings = {};
  private answerState: AnswerFileState = { file: null, status: 'none' };
  private readonly listeners = new Set<(c: PolicyChange) => void>();
  private dirWatcher: fs.FSWatcher | null = null;
  /** Inode of the folder being watched: a folder removed and recreated needs a new watch. */
  private dirIno: number | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private registryTimer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private disposed = false;
  private pollTimer: NodeJS.Timeout | null = null;
  /** The policy file's stat signature when it was last read; the poll compares against it. */
  private lastSignature = '';

  private constructor(private readonly opts: PolicyServiceOptions) {
    this.current = mergeSettings({ policy: {}, user: {}, answerFile: {} });
  }

  /** Reads every source and, unless `watch: false`, starts watching the policy file. */
  static async create(opts: PolicyServiceOptions): Promise<PolicyService> {
    const s = new PolicyService(opts);
    s.staticWarnings.push(...opts.store.warnings);
    await s.loadAnswerFile();
    await s.readPolicy();
    s.current = s.merge();
    s.emittedError = s.error;
    if (s.error) opts.logger?.error(describePolicyError(s.error), { policyError: s.error.toPayload() });
    if (opts.watch !== false) s.startWatching();
    return s;
  }

  /** Every setting's effective value and source. */
  get(): EffectiveSettings {
    return this.current;
  }

  /** One setting's effective value and source. */
  effective<K extends SettingKey>(key: K): EffectiveValue<Settings[K]> {
    return this.current[key] as EffectiveValue<Settings[K]>;
  }

  /** One setting's effective value. */
  value<K extends SettingKey>(key: K): Settings[K] {
    return this.effective(key).value;
  }

  /** The policy problem in force (restrictive fallback applied), or null. */
  get policyError(): PolicyError | null {
    return this.error;
  }

  /** The policy file this service reads. */
  get policyFile(): string {
    return this.opts.policyFile;
  }

  /** Whether the policy file was found, read, or broken at the last read. */
  get policyFileStatus(): PolicyFileResult['status'] {
    return this.fileStatus;
  }

  /** Where the answer-file layer came from. */
  get answerFile(): AnswerFileState {
    return this.answerState;
  }

  /** Non-fatal problems: an unsafe policy file mode, ignored answer-file elements, a repaired settings file. */
  get warnings(): readonly string[] {
    return [...this.staticWarnings, ...this.policyWarnings];
  }

  /**
   * Saves the user's changes (validated; a setting locked by policy or administrator-only is
   * refused with AppError 'disabled-by-policy') and returns the new effective settings.
   */
  setUser(partial: Record<string, unknown>): EffectiveSettings {
    this.opts.store.setUser(partial, (k) => this.current[k].source === 'policy');
    this.recompute();
    return this.current;
  }

  /** Drops the user's own values for `keys`. */
  resetUser(keys: readonly SettingKey[]): EffectiveSettings {
    this.opts.store.resetUser(keys);
    this.recompute();
    return this.current;
  }

  /** Calls `cb` after every change; returns an unsubscribe function. */
  onChange(cb: (change: PolicyChange) => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }

  /** Re-reads the policy now (the watcher calls this; so can a "refresh" button). Concurrent calls coalesce. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.readPolicy();
          if (this.disposed) return;
          this.recompute();
        } while (this.reloadAgain && !this.disposed);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /** Stops watching and forgets listeners. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.dirWatcher?.close();
    this.dirWatcher = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.debounce) clearTimeout(this.debounce);
    if (this.registryTimer) clearInterval(this.registryTimer);
  }

  private merge(): EffectiveSettings {
    return mergeSettings({ policy: this.policy, user: this.opts.store.user(), answerFile: this.answerLayer });
  }

  private recompute(): void {
    const previous = this.current;
    this.current = this.merge();
    const changed = changedKeys(previous, this.current);
    const errorChanged = (this.emittedError?.message ?? null) !== (this.error?.message ?? null);
    this.emittedError = this.error;
    if (!changed.length && !errorChanged) return;
    if (errorChanged) {
      if (this.error) this.opts.logger?.error(describePolicyError(this.error), { policyError: this.error.toPayload() });
      else this.opts.logger?.info('The administrator policy can be read again; the restrictive fallback is lifted.', { file: this.opts.policyFile });
    }
    const change: PolicyChange = { changed, settings: this.current, previous, policyError: this.error };
    for (const cb of [...this.listeners]) {
      try {
        cb(change);
      } catch (e) {
        this.opts.logger?.error('A policy change listener failed', { error: e });
      }
    }
  }

  /** The policy error as of `current`, to tell when it appears, changes or goes away. */
  private emittedError: PolicyError | null = null;

  private async readPolicy(): Promise<void> {
    // Taken before reading: a change racing with the read shows up as a new signature at the next poll.
    const signature = await this.signature();
    const file = await readPolicyFile(this.opts.policyFile);
    this.lastSignature = signature;
    let reg: RegistryPolicyResult | null = null;
    if (this.opts.registry) {
      try {
        reg = await this.opts.registry();
      } catch (e) {
        // The reader promises not to throw; if it does, we cannot know the policy: fail closed.
        reg = { status: 'error', source: 'registry', error: new PolicyError('registry', 'registry', String(e)), warnings: [] };
      }
    }
    // Group Policy in the registry wins over the file for the settings both configure: it is
    // what Windows administrators manage centrally.
    let settings: PartialSettings = { ...(file.status === 'ok' ? file.settings : {}), ...(reg?.status === 'ok' ? reg.settings : {}) };
    const error = file.status === 'malformed' ? file.error : reg?.status === 'error' ? reg.error : null;
    if (error) settings = { ...settings, ...RESTRICTIVE_POLICY };
    this.policy = settings;
    this.error = error;
    this.fileStatus = file.status;
    this.policyWarnings = [...file.warnings, ...(reg?.warnings ?? [])];
  }

  private async loadAnswerFile(): Promise<void> {
    const recorded = this.opts.store.answerFile();
    if (recorded) {
      this.answerLayer = recorded.settings;
      this.answerState = { file: recorded.file, status: 'recorded', appliedAt: recorded.appliedAt };
      return;
    }
    const file = this.opts.answerFile;
    if (!file) return;
    const r: AnswerFileResult = await readAnswerFile(file);
    for (const w of r.warnings) {
      this.staticWarnings.push(w);
      this.opts.logger?.warn(w);
    }
    if (r.status !== 'ok') {
      // Not recorded: a missing or broken answer file is looked for again next start.
      this.answerState = { file, status: r.status };
      return;
    }
    const appliedAt = (this.opts.now?.() ?? new Date()).toISOString();
    this.answerLayer = r.settings;
    this.answerState = { file, status: 'applied', appliedAt };
    try {
      this.opts.store.recordAnswerFile({ file, appliedAt, settings: r.settings });
    } catch (e) {
      // Read-only (policy show) or unwritable profile: the layer still applies to this run.
      if (!isAppError(e, 'unavailable')) this.staticWarnings.push(`The answer file could not be recorded as applied: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private startWatching(): void {
    this.ensureDirWatcher();
    // Our own stat poll rather than fs.watchFile: watchFile takes its baseline when it starts, so a
    // change between our first read and that baseline would never be reported.
    this.pollTimer = setInterval(() => {
      this.ensureDirWatcher();
      void this.signature().then((sig) => {
        if (sig !== this.lastSignature && !this.reloading) this.schedule();
      });
    }, this.opts.pollIntervalMs ?? 2000);
    this.pollTimer.unref();
    if (this.opts.registry) {
      this.registryTimer = setInterval(() => this.schedule(), this.opts.registryPollMs ?? 60_000);
      this.registryTimer.unref();
    }
  }

  /**
   * Watches the policy file's folder rather than the file: editors and deployment tools replace
   * the file (write + rename), which a watch on the old inode would miss.
   */
  private ensureDirWatcher(): void {
    if (this.disposed) return;
    const dir = path.dirname(this.opts.policyFile);
    const base = path.basename(this.opts.policyFile);
    let ino: number | null = null;
    try {
      ino = fs.statSync(dir).ino;
    } catch {
      // No folder (yet).
    }
    if (this.dirWatcher && ino === this.dirIno) return;
    this.dirWatcher?.close();
    this.dirWatcher = null;
    this.dirIno = ino;
    if (ino === null) return; // The stat poll covers it until a folder appears.
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, filename) => {
        if (!filename || filename.toString() === base) this.schedule();
      });
      w.on('error', () => {
        // The folder was removed or replaced; the stat poll re-establishes the watch.
        w.close();
        if (this.dirWatcher === w) this.dirWatcher = null;
        this.schedule();
      });
      this.dirWatcher = w;
    } catch {
      this.dirWatcher = null; // No folder yet: the stat poll covers it until one appears.
    }
  }

  /** Identity and version of the policy file (or why it cannot be stat'ed). */
  private async signature(): Promise<string> {
    try {
      const st = await fs.promises.stat(this.opts.policyFile);
      return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}`;
    } catch (e) {
      return `!${(e as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.reload();
    }, this.opts.debounceMs ?? 150);
    this.debounce.unref();
  }
}
