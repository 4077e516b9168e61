/** App settings: read them all, change some. */
import { settingsPatchSchema, type Settings } from '@shared/domain';
import { AppError } from '@shared/errors';
import type { KeyValueStore } from '../ports';
import type { CorruptInfo, StoreFactory } from '../store/open-json-store';
import { openSettingsStore, type SettingsFile } from './settings-file';

export type SettingsPatch = Partial<Settings>;

export class SettingsService {
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(private readonly deps: { store: KeyValueStore<SettingsFile> }) {}

  /** Opens settings.json in `cwd` (defaults follow `platform`) and the service over it. */
  static create(opts: {
    factory: StoreFactory;
    cwd: string;
    platform?: string;
    onCorrupt?: (info: CorruptInfo) => void;
  }): SettingsService {
    return new SettingsService({ store: openSettingsStore(opts) });
  }

  get(): Settings {
    const { store } = this.deps;
    return {
      closeToTray: store.get('closeToTray'),
      theme: store.get('theme'),
      checkForUpdates: store.get('checkForUpdates'),
      serverSwitch: store.get('serverSwitch'),
      lastModels: store.get('lastModels')
    };
  }

  /** Applies the keys present in `patch` and returns every setting. */
  set(patch: SettingsPatch): Settings {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'INVALID_INPUT',
        `Invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`
      );
    }
    const keys = (Object.keys(parsed.data) as (keyof Settings)[]).filter((k) => parsed.data[k] !== undefined);
    for (const key of keys) this.deps.store.set(key, parsed.data[key] as never);
    const settings = this.get();
    if (keys.length > 0) for (const cb of this.listeners) cb(settings);
    return settings;
  }

  onChange(cb: (settings: Settings) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}
