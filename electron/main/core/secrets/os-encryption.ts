/**
 * How strong the operating system's encryption behind Electron's safeStorage is. On Linux without a
 * secret service safeStorage falls back to its `basic_text` backend, whose key is a hard-coded
 * password: data "encrypted" that way is readable by anyone who has the file, so the app must not
 * call it encryption. `getSelectedStorageBackend()` (Linux only) says which backend is in use.
 */
import type { Encryptor } from './encrypted-file-secret-store';

/** The parts of Electron's safeStorage the app uses (a fake one in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
  /** Linux only: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'. */
  getSelectedStorageBackend?(): string;
}

/** 'os': real OS encryption; 'weak': basic_text or an unknown backend; 'none': no encryption at all. */
export type EncryptionStrength = 'os' | 'weak' | 'none';

/** Backends whose key lives in the OS's secret store rather than in Chromium's code. */
const REAL_LINUX_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function safeStorageEncryptor(safeStorage: SafeStorageLike, platform: string): Encryptor {
  return {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
    strength(): EncryptionStrength {
      if (!safeStorage.isEncryptionAvailable()) return 'none';
      if (platform !== 'linux') return 'os';
      const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
      return REAL_LINUX_BACKENDS.has(backend) ? 'os' : 'weak';
    }
  };
}

/** An encryptor's strength; one that does not say (our own AES key file under Node) counts as 'os'. */
export function encryptionStrength(encryptor: Encryptor): EncryptionStrength {
  try {
    if (!encryptor.isAvailable()) return 'none';
    return encryptor.strength?.() ?? 'os';
  } catch {
    return 'none';
  }
}
