/**
 * Secrets saved in the encrypted file while no keychain answered move into the keychain once one
 * does; otherwise a profile's token would seem lost the day the keychain comes back (the app reads
 * one store only). The file's value wins over one already in the keychain: the file is only written
 * while the keychain does not answer, so its value is the newer. A secret leaves the file only once
 * the keychain reads it back; one that fails stays there and is tried again at the next start.
 */
import type { SecretStore } from '../ports';

/** A store that can say what it holds (the encrypted file). */
export interface ListableSecretStore extends SecretStore {
  accounts(): Promise<string[]>;
}

export function isListable(store: SecretStore): store is ListableSecretStore {
  return typeof (store as Partial<ListableSecretStore>).accounts === 'function';
}

export interface MovedSecrets {
  moved: string[];
  /** Accounts left in the file, with why. */
  failed: { account: string; reason: string }[];
}

export async function moveFileSecrets(from: ListableSecretStore, to: SecretStore): Promise<MovedSecrets> {
  const result: MovedSecrets = { moved: [], failed: [] };
  let accounts: string[];
  try {
    accounts = await from.accounts();
  } catch (error) {
    return { moved: [], failed: [{ account: '*', reason: (error as Error).message }] };
  }
  for (const account of accounts) {
    try {
      const secret = await from.get(account);
      if (secret === null) continue;
      await to.set(account, secret);
      if ((await to.get(account)) !== secret) throw new Error('the keychain did not keep it');
      await from.delete(account);
      result.moved.push(account);
    } catch (error) {
      result.failed.push({ account, reason: (error as Error).message });
    }
  }
  return result;
}
