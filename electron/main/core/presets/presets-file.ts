/** The presets file: every preset, built-ins included (they can be edited and deleted). */
import { z } from 'zod';
import { formatSchema, idSchema, keepAliveSchema, modelOptionsSchema } from '@shared/domain';
import type { KeyValueStore } from '../ports';
import { openJsonStore, type CorruptInfo, type Migration, type StoreFactory } from '../store/open-json-store';
import { builtInPresets } from './built-in-presets';

export const storedPresetSchema = z.object({
  id: idSchema,
  name: z.string(),
  system: z.string(),
  model: z.string().optional(),
  options: modelOptionsSchema.optional(),
  format: formatSchema.optional(),
  keepAlive: keepAliveSchema.optional(),
  builtIn: z.boolean()
});

export const presetsFileSchema = z.object({ presets: z.array(storedPresetSchema) });
export type PresetsFile = z.infer<typeof presetsFileSchema>;

export const PRESETS_FILE_VERSION = 1;
export const PRESETS_MIGRATIONS: Record<number, Migration> = {};
export const presetsDefaults = (): PresetsFile => ({ presets: builtInPresets() });

export function openPresetsStore(opts: {
  factory: StoreFactory;
  cwd: string;
  onCorrupt?: (info: CorruptInfo) => void;
}): KeyValueStore<PresetsFile> {
  return openJsonStore({
    factory: opts.factory,
    cwd: opts.cwd,
    name: 'presets',
    schema: presetsFileSchema,
    defaults: presetsDefaults(),
    version: PRESETS_FILE_VERSION,
    migrations: PRESETS_MIGRATIONS,
    onCorrupt: opts.onCorrupt
  });
}
