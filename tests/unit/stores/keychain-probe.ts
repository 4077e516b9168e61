/**
 * Whether a real secret service answers here (a D-Bus session with gnome-keyring unlocked), and
 * why not when it does not, so keychain tests can skip with a printed reason.
 */
import { probeKeychain } from '../../../electron/main/core/secrets/choose-secret-store';
import {
  KeytarSecretStore,
  loadKeytar,
  type KeytarLike
} from '../../../electron/main/core/secrets/keytar-secret-store';

/** A service name of its own so tests never touch the app's real entries. */
export const TEST_SERVICE = 'Ollama Desk (tests)';

export type KeychainProbe = { keytar: KeytarLike; skip: null } | { keytar: null; skip: string };

export async function probeRealKeychain(): Promise<KeychainProbe> {
  const loaded = await loadKeytar();
  if (loaded.keytar === null) return { keytar: null, skip: loaded.reason };
  try {
    await probeKeychain(new KeytarSecretStore(loaded.keytar, TEST_SERVICE), 3000);
    return { keytar: loaded.keytar, skip: null };
  } catch (error) {
    return {
      keytar: null,
      skip: `no secret service answers (${(error as Error).message}); run inside dbus-run-session with gnome-keyring unlocked`
    };
  }
}
