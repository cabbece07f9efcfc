import { useEffect, useState, type FormEvent } from 'react';
import { SETTINGS, SETTING_KEYS, type SettingKey } from '../../src-shared/settings/settings-schema';
import { useAppStore } from '../store/store-context';
import { ScreenHeader } from '../components/ScreenHeader';

const SOURCE_TEXT = { policy: 'Set by your administrator', user: 'Your setting', 'answer-file': 'Set at installation', default: 'Default' } as const;

/** Settings shown as simple controls here; lists (helpers, ICE servers) are administrator territory. */
const SIMPLE = SETTING_KEYS.filter((k) => ['boolean', 'number', 'string'].includes(typeof SETTINGS[k].default));

/** The "Remote settings" page: what helpers may do here, with locked settings explained. */
export function SettingsScreen() {
  const view = useAppStore((s) => s.settings);
  const save = useAppStore((s) => s.saveSettings);
  const error = useAppStore((s) => s.settingsError);
  const saved = useAppStore((s) => s.settingsSaved);
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  // When the settings change underneath (saved, or a policy reload), unsaved edits stay — except
  // those now locked by the administrator or equal to what is in effect (just saved).
  useEffect(() => setDraft((d) => Object.fromEntries(Object.entries(d).filter(([k, v]) => view && !view.settings[k as SettingKey]?.locked && view.settings[k as SettingKey]?.value !== v))), [view]);
  if (!view) return <main className="screen">Loading settings…</main>;
  const value = (k: SettingKey) => (k in draft ? draft[k] : view.settings[k]?.value);
  const editable = SIMPLE.filter((k) => SETTINGS[k].userEditable);
  const adminOnly = SIMPLE.filter((k) => !SETTINGS[k].userEditable);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(draft).length) void save(draft);
  };
  const field = (k: SettingKey, readOnly: boolean) => {
    const def = SETTINGS[k];
    const eff = view.settings[k];
    const locked = readOnly || !!eff?.locked;
    const v = value(k);
    const id = `setting-${k}`;
    return (
      <div key={k} className="setting" data-testid={id} data-locked={locked} data-source={eff?.source}>
        {typeof def.default === 'boolean' ? (
          <label className="check">
            <input id={id} type="checkbox" checked={!!v} disabled={locked} onChange={(e) => setDraft({ ...draft, [k]: e.target.checked })} />
            <span>{def.label}</span>
          </label>
        ) : (
          <label className="field">
            <span>{def.label}</span>
            <input
              id={id}
              type={typeof def.default === 'number' ? 'number' : 'text'}
              value={String(v ?? '')}
              disabled={locked}
              onChange={(e) => setDraft({ ...draft, [k]: typeof def.default === 'number' ? Number(e.target.value) : e.target.value })}
            />
          </label>
        )}
        <span className="muted setting-help">
          {def.description} {eff && <em className={`source source-${eff.source}`}>{SOURCE_TEXT[eff.source]}</em>}
        </span>
      </div>
    );
  };
  return (
    <main className="screen">
      <ScreenHeader title="Remote settings" />
      {view.policyError && (
        <p className="error" role="alert" data-testid="policy-error">
          {view.policyError}
        </p>
      )}
      <form className="card" onSubmit={submit} aria-label="Your settings">
        {editable.map((k) => field(k, false))}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={!Object.keys(draft).length} data-testid="save-settings">
            Save
          </button>
          {saved && !Object.keys(draft).length && <span className="success">Saved.</span>}
        </div>
      </form>
      <section className="card" aria-label="Set by your administrator">
        <h2>Set by your administrator</h2>
        <p className="muted">These can only be changed through policy ({view.policyFile}).</p>
        {adminOnly.map((k) => field(k, true))}
      </section>
    </main>
  );
}
