import {
  DEFAULT_SETTINGS,
  SETTINGS,
  SETTING_KEYS,
  type EffectiveSettings,
  type EffectiveValue,
  type PartialSettings,
  type SettingKey,
  type SettingSource,
} from './settings-schema';

/** The three configured layers; anything a layer leaves out falls through to the next. */
export interface SettingLayers {
  readonly policy: PartialSettings;
  readonly user: PartialSettings;
  readonly answerFile: PartialSettings;
}

/**
 * Effective setting = administrator policy → user setting → answer file → built-in default
 * (DESIGN.md §5). A policy value is locked; so is every administrator-only setting, whatever its
 * source, because the user has no control for it. Administrator-only settings (offers, the helper
 * lists, required logging, warning texts) are taken from policy or the default only: a hand-edited
 * user settings file must not be able to switch on offers, as in Windows, where "Not configured"
 * means Offer Remote Assistance is off.
 */
export function mergeSettings(layers: SettingLayers): EffectiveSettings {
  const out: Record<string, EffectiveValue<unknown>> = {};
  for (const key of SETTING_KEYS) {
    const [value, source] = pick(key, layers);
    out[key] = { value: clone(value), source, locked: source === 'policy' || !SETTINGS[key].userEditable };
  }
  return out as unknown as EffectiveSettings;
}

function pick(key: SettingKey, layers: SettingLayers): [unknown, SettingSource] {
  if (layers.policy[key] !== undefined) return [layers.policy[key], 'policy'];
  const userLayers = SETTINGS[key].userEditable;
  if (userLayers && layers.user[key] !== undefined) return [layers.user[key], 'user'];
  if (userLayers && layers.answerFile[key] !== undefined) return [layers.answerFile[key], 'answer-file'];
  return [DEFAULT_SETTINGS[key], 'default'];
}

/** Settings values are JSON; copies keep callers from mutating a layer (or the defaults) through a result. */
function clone<T>(v: T): T {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as T) : v;
}

/** The keys whose value, source or lock differ between two snapshots. */
export function changedKeys(before: EffectiveSettings, after: EffectiveSettings): SettingKey[] {
  return SETTING_KEYS.filter((k) => {
    const a = before[k];
    const b = after[k];
    return a.source !== b.source || a.locked !== b.locked || JSON.stringify(a.value) !== JSON.stringify(b.value);
  });
}

/** Just the values of an effective snapshot. */
export function effectiveValues(eff: EffectiveSettings): { [K in SettingKey]: EffectiveSettings[K]['value'] } {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, eff[k].value])) as { [K in SettingKey]: EffectiveSettings[K]['value'] };
}
