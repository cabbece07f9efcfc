import type { SettingsView } from '../../src-shared/contract/index';
import { errorText, type Slice } from '../store/app-store';

export interface SettingsSlice {
  settings: SettingsView | null;
  settingsError: string | null;
  settingsSaved: boolean;
  initSettings(): Promise<void>;
  saveSettings(values: Record<string, unknown>): Promise<void>;
}

export const createSettingsSlice: Slice<SettingsSlice> = (set, get) => ({
  settings: null,
  settingsError: null,
  settingsSaved: false,
  async initSettings() {
    get().client.on('settings.changed', (settings) => set({ settings }));
    set({ settings: await get().client.invoke('settings.get', {}) });
  },
  async saveSettings(values) {
    set({ settingsError: null, settingsSaved: false });
    try {
      set({ settings: await get().client.invoke('settings.set', { values }), settingsSaved: true });
    } catch (e) {
      set({ settingsError: errorText(e) });
    }
  },
});
