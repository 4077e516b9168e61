/**
 * The packaging configuration as electron-builder itself loads it (electron-builder.yml, merged with
 * package.json's metadata), for the packaging tests.
 */
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { resolve } from 'node:path';

export const PROJECT_DIR = resolve(import.meta.dirname, '../../..');

export function loadBuilderConfig(): Promise<Configuration> {
  return getConfig(PROJECT_DIR, null, null);
}

/** electron-builder's own check: its JSON schema plus its deprecation rules. Throws when invalid. */
export function validateBuilderConfig(config: Configuration): Promise<void> {
  return validateConfiguration(config, new DebugLogger(false));
}
