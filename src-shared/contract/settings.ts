import { z } from 'zod';
import { method } from './define';

/** One setting's effective value and where it came from ("Set by your administrator" …). */
export const EffectiveSettingView = z.object({
  value: z.unknown(),
  source: z.enum(['policy', 'user', 'answer-file', 'default']),
  locked: z.boolean(),
});

export const SettingsView = z.object({
  settings: z.record(z.string(), EffectiveSettingView),
  /** The administrator's policy file, if it could not be read: everything is restricted then. */
  policyError: z.string().nullable(),
  policyFile: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const settingsMethods = {
  'settings.get': method(z.object({}).strict(), SettingsView),
  /** Changes the user's own settings; locked ones are refused by main. Values are validated in main. */
  'settings.set': method(z.object({ values: z.record(z.string(), z.unknown()) }).strict(), SettingsView),
} as const;

export const settingsEvents = {
  'settings.changed': SettingsView,
} as const;
