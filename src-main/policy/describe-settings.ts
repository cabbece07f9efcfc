import { SETTINGS, SETTING_KEYS, type EffectiveSettings, type SettingKey, type SettingSource } from '../../src-shared/settings/settings-schema';

/** How each source reads to a person. */
export const SOURCE_LABELS: { readonly [S in SettingSource]: string } = {
  policy: 'Set by your administrator',
  user: 'Your setting',
  'answer-file': 'Answer file',
  default: 'Default',
};

/** One line of the settings table. */
export interface SettingRow {
  readonly key: SettingKey;
  readonly windowsName: string;
  readonly value: string;
  readonly source: string;
  readonly locked: boolean;
}

/** The effective settings as rows: key, Windows name, value in words, source in words. */
export function describeSettings(eff: EffectiveSettings): SettingRow[] {
  return SETTING_KEYS.map((key) => ({
    key,
    windowsName: SETTINGS[key].windowsName ?? '-',
    value: formatValue(key, eff[key].value),
    source: SOURCE_LABELS[eff[key].source],
    locked: eff[key].locked,
  }));
}

/** A plain-text table of the rows (locked rows marked with `*`), for terminals and logs. */
export function formatSettingsTable(rows: readonly SettingRow[]): string {
  const head = { key: 'Setting', windowsName: 'Windows name', value: 'Value', source: 'Source' };
  const all = [head, ...rows];
  const w = (f: keyof typeof head) => Math.max(...all.map((r) => r[f].length));
  const [wk, ww, wv] = [w('key') + 2, w('windowsName'), Math.min(w('value'), 48)];
  const line = (r: typeof head, mark: string) => `${mark}${r.key.padEnd(wk - 1)} ${r.windowsName.padEnd(ww)}  ${clip(r.value, 48).padEnd(wv)}  ${r.source}`.trimEnd();
  return [line(head, ' '), ...rows.map((r) => line(r, r.locked ? '*' : ' '))].join('\n') + '\n';
}

function formatValue(key: SettingKey, v: unknown): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === null) return 'none';
  if (key === 'maxInvitationMinutes' && typeof v === 'number') return `${v} min (${humanMinutes(v)})`;
  if (typeof v === 'string') return v === '' ? '(built-in text)' : JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return 'none';
    const names = v.map((e: unknown) => (typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : typeof e === 'object' && e !== null && 'urls' in e ? String((e as { urls: unknown }).urls) : JSON.stringify(e)));
    return `${v.length}: ${names.join(', ')}`;
  }
  return String(v);
}

function humanMinutes(m: number): string {
  if (m % 1440 === 0) return `${m / 1440} day${m === 1440 ? '' : 's'}`;
  if (m % 60 === 0) return `${m / 60} hour${m === 60 ? '' : 's'}`;
  return `${m} minute${m === 1 ? '' : 's'}`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}\u2026` : s;
}
