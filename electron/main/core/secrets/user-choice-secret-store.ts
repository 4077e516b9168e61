/**
 * Where neither a keychain nor real OS encryption is there (Linux without a secret service, where
 * safeStorage would use basic_text), secrets are not written under a fake encryption. They stay in
 * memory for this session until the user chooses: keep them for this session only, or store them in
 * a file under a passphrase the user gives (scrypt + AES-GCM). A passphrase file found at start is
 * locked until the user unlocks it; until then its secrets are not sent.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '@shared/errors';
import type { SecretStorageStatus } from '@shared/domain';
import { EncryptedFileSecretStore } from './encrypted-file-secret-store';
import { passphraseEncryptor } from './passphrase-encryptor';
import type { ListableSecretStore } from './move-file-secrets';

export const MIN_PASSPHRASE_LENGTH = 8;

export class UserChoiceSecretStore implements ListableSecretStore {
  private readonly session = new Map<string, string>();
  private file: EncryptedFileSecretStore | null = null;
  private choice: SecretStorageStatus['choice'] = 'pending';
  private fileExists = false;

  private constructor(
    private readonly path: string,
    readonly reason: 'weak' | 'none'
  ) {}

  static async open(path: string, reason: 'weak' | 'none'): Promise<UserChoiceSecretStore> {
    const store = new UserChoiceSecretStore(path, reason);
    store.fileExists = await readFile(path).then(
      () => true,
      () => false
    );
    if (store.fileExists) store.choice = 'passphrase';
    return store;
  }

  get location(): 'session' | 'passphrase-file' {
    return this.choice === 'passphrase' ? 'passphrase-file' : 'session';
  }

  status(): SecretStorageStatus {
    return {
      location: this.location,
      choice: this.choice,
      osEncryption: this.reason,
      locked: this.choice === 'passphrase' && this.file === null
    };
  }

  /** Secrets stay in memory only; a passphrase file, if any, is left alone (and unused). */
  keepForSession(): SecretStorageStatus {
    if (this.file) throw new AppError('INVALID_INPUT', 'Secrets are already stored under a passphrase.');
    this.choice = 'session';
    return this.status();
  }

  /**
   * Creates the passphrase file, or unlocks the one there (a wrong passphrase is refused and the file
   * left as it was). Secrets typed this session move into it.
   */
  async usePassphrase(passphrase: string): Promise<SecretStorageStatus> {
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new AppError('INVALID_INPUT', `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
    }
    const encryptor = passphraseEncryptor(passphrase);
    const existing = await readFile(this.path).catch(() => null);
    if (existing !== null) {
      try {
        encryptor.decrypt(existing);
      } catch {
        throw new AppError('INVALID_INPUT', 'That passphrase does not open the saved secrets.');
      }
    }
    const file = new EncryptedFileSecretStore({ file: this.path, encryptor });
    for (const [account, secret] of this.session) await file.set(account, secret);
    this.session.clear();
    this.file = file;
    this.fileExists = true;
    this.choice = 'passphrase';
    return this.status();
  }

  async get(account: string): Promise<string | null> {
    if (this.file) return this.file.get(account);
    return this.session.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    if (this.file) return this.file.set(account, secret);
    if (this.choice === 'passphrase') {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'Unlock the saved secrets with your passphrase first.');
    }
    this.session.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    if (this.file) return this.file.delete(account);
    return this.session.delete(account);
  }

  /** What moves into a keychain that answers later: the session's secrets, or the unlocked file's. */
  async accounts(): Promise<string[]> {
    if (this.file) return this.file.accounts();
    return [...this.session.keys()];
  }
}
