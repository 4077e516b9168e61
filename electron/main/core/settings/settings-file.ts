/** The app settings file (not a server's settings). */
import { z } from 'zod';
import { lastModelsSchema, serverSwitchChoiceSchema, type Settings } from '@shared/domain';
import type { KeyValueStore } from '../ports';
import { openJsonStore, type CorruptInfo, type Migration, type StoreFactory } from '../store/open-json-store';

export const settingsFileSchema = z.object({
  closeToTray: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  checkForUpdates: z.boolean(),
  serverSwitch: serverSwitchChoiceSchema,
  lastModels: lastModelsSchema
});
export type SettingsFile = z.infer<typeof settingsFileSchema>;

export const SETTINGS_FILE_VERSION = 1;
export const SETTINGS_MIGRATIONS: Record<number, Migration> = {};

/** On macOS closing a window conventionally keeps the app in the dock, not the tray. */
export function defaultSettings(platform: string = process.platform): Settings {
  return {
    closeToTray: platform !== 'darwin',
    theme: 'system',
    checkForUpdates: false,
    serverSwitch: 'ask',
    lastModels: {}
  };
}

export function openSettingsStore(opts: {
  factory: StoreFactory;
  cwd: string;
  platform?: string;
  onCorrupt?: (info: CorruptInfo) => void;
}): KeyValueStore<SettingsFile> {
  return openJsonStore({
    factory: opts.factory,
    cwd: opts.cwd,
    name: 'settings',
    schema: settingsFileSchema,
    defaults: defaultSettings(opts.platform),
    version: SETTINGS_FILE_VERSION,
    migrations: SETTINGS_MIGRATIONS,
    onCorrupt: opts.onCorrupt
  });
}
