/**
 * Secrets in the OS keychain through keytar. keytar is a native module built per ABI (Node for
 * tests, Electron for the app), so it is loaded lazily and a load failure means "no keychain",
 * never a crash.
 */
import { AppError } from '@shared/errors';
import type { SecretStore } from '../ports';

export const KEYCHAIN_SERVICE = 'Ollama Desk';

/** The part of keytar we use. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type KeytarLoader = () => Promise<KeytarLike>;

/** Imports keytar; its CommonJS exports arrive on `default` under ESM. */
export const defaultKeytarLoader: KeytarLoader = async () => {
  const mod = (await import('keytar')) as unknown as { default?: KeytarLike } & Partial<KeytarLike>;
  const keytar = mod.default ?? (mod as KeytarLike);
  if (typeof keytar.getPassword !== 'function') throw new Error('keytar has no getPassword');
  return keytar;
};

/** keytar, or the reason it cannot be loaded. */
export async function loadKeytar(
  loader: KeytarLoader = defaultKeytarLoader
): Promise<{ keytar: KeytarLike } | { keytar: null; reason: string }> {
  try {
    return { keytar: await loader() };
  } catch (error) {
    return { keytar: null, reason: `keytar could not be loaded: ${(error as Error).message}` };
  }
}

function unavailable(action: string, error: unknown): AppError {
  return new AppError(
    'KEYCHAIN_UNAVAILABLE',
    `The keychain could not ${action}: ${(error as Error).message}`
  );
}

export class KeytarSecretStore implements SecretStore {
  readonly location = 'keychain' as const;

  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = KEYCHAIN_SERVICE
  ) {}

  async get(account: string): Promise<string | null> {
    try {
      return await this.keytar.getPassword(this.service, account);
    } catch (error) {
      throw unavailable('read a secret', error);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    try {
      await this.keytar.setPassword(this.service, account, secret);
    } catch (error) {
      throw unavailable('store a secret', error);
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.keytar.deletePassword(this.service, account);
    } catch (error) {
      throw unavailable('delete a secret', error);
    }
  }
}
