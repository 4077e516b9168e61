/**
 * The real core for a test, with what most tests want around it: conf stores and a file-encrypted
 * secret store in the data dir, no keychain, and nothing emitted, opened or logged. A test passes
 * what it needs to see (env, emit, log, clock, updater …) and the rest keeps these defaults.
 */
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/main/core/app-core';
import { confStoreFactory } from '../../electron/main/core/store/conf-store-factory';
import { aesFileEncryptor } from '../../electron/main/core/secrets/encrypted-file-secret-store';

type CoreOptions = Parameters<typeof createCore>[0];

export function createTestCore(
  dataDir: string,
  options: Partial<CoreOptions> & Pick<CoreOptions, 'env'>
): Promise<Core> {
  return createCore({
    dataDir,
    openStore: confStoreFactory,
    encryptor: aesFileEncryptor(join(dataDir, 'secret.key')),
    keytarLoader: async () => {
      throw new Error('no keychain in this test');
    },
    app: { version: '0.0.0', shell: 'test', platform: process.platform },
    emit: () => {},
    openExternal: async () => {},
    log: () => {},
    ...options
  });
}
