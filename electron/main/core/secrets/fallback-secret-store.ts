/**
 * The store used where no keychain answers: the OS-encrypted file where safeStorage has a real
 * backend, else the user's choice (session only or a passphrase file), never basic_text's fake
 * encryption. Also what the UI is told about where secrets are.
 */
import { join } from 'node:path';
import { AppError } from '@shared/errors';
import type { SecretStorageStatus } from '@shared/domain';
import type { SecretStore } from '../ports';
import { EncryptedFileSecretStore, type Encryptor } from './encrypted-file-secret-store';
import { encryptionStrength } from './os-encryption';
import { UserChoiceSecretStore } from './user-choice-secret-store';

export const OS_ENCRYPTED_FILE = 'secrets.enc';
export const PASSPHRASE_FILE = 'secrets.passphrase';

export async function openFallbackSecretStore(dataDir: string, encryptor: Encryptor): Promise<SecretStore> {
  const strength = encryptionStrength(encryptor);
  if (strength === 'os') {
    return new EncryptedFileSecretStore({ file: join(dataDir, OS_ENCRYPTED_FILE), encryptor });
  }
  return UserChoiceSecretStore.open(join(dataDir, PASSPHRASE_FILE), strength);
}

export function secretStorageStatus(store: SecretStore): SecretStorageStatus {
  if (store instanceof UserChoiceSecretStore) return store.status();
  return { location: store.location, choice: 'none-needed', locked: false };
}

/** The store that takes the user's choice; refused where a keychain or OS encryption holds secrets. */
export function userChoice(store: SecretStore): UserChoiceSecretStore {
  if (store instanceof UserChoiceSecretStore) return store;
  throw new AppError('INVALID_INPUT', 'Secrets are already kept safely; there is nothing to choose.');
}
