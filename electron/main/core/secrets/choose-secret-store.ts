/**
 * Picks where secrets live: the OS keychain when it answers a real read, else the encrypted-file
 * fallback. A keychain can load yet not answer (no D-Bus session, a locked or absent secret
 * service), and libsecret may wait on D-Bus, so the probe is a real get with a time limit.
 * When the keychain is chosen, secrets the fallback file kept meanwhile move into it.
 */
import type { SecretStore } from '../ports';
import { KEYCHAIN_SERVICE, KeytarSecretStore, loadKeytar, type KeytarLoader } from './keytar-secret-store';
import { isListable, moveFileSecrets, type MovedSecrets } from './move-file-secrets';

/** An account no profile uses: reading it proves the keychain answers without touching secrets. */
const PROBE_ACCOUNT = '__ollama-desk-probe__';

export interface ChooseSecretStoreOptions {
  keytarLoader?: KeytarLoader;
  fallback: SecretStore;
  service?: string;
  probeTimeoutMs?: number;
  /** Told why the keychain was not used, so the UI can say so. */
  onFallback?: (reason: string) => void;
  /** Told which of the fallback's secrets moved into the keychain (only when there were any). */
  onMoved?: (result: MovedSecrets) => void;
}

/** Resolves when the keychain answers; rejects with the reason otherwise. */
export async function probeKeychain(store: SecretStore, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref?.();
  });
  try {
    await Promise.race([store.get(PROBE_ACCOUNT), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function chooseSecretStore(opts: ChooseSecretStoreOptions): Promise<SecretStore> {
  const loaded = await loadKeytar(opts.keytarLoader);
  if (loaded.keytar === null) {
    opts.onFallback?.(loaded.reason);
    return opts.fallback;
  }
  const keychain = new KeytarSecretStore(loaded.keytar, opts.service ?? KEYCHAIN_SERVICE);
  try {
    await probeKeychain(keychain, opts.probeTimeoutMs ?? 3000);
  } catch (error) {
    opts.onFallback?.(`The keychain did not answer: ${(error as Error).message}`);
    return opts.fallback;
  }
  if (isListable(opts.fallback)) {
    const moved = await moveFileSecrets(opts.fallback, keychain);
    if (moved.moved.length > 0 || moved.failed.length > 0) opts.onMoved?.(moved);
  }
  return keychain;
}
