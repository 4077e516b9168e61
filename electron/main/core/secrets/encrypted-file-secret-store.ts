/**
 * Secrets in one encrypted file, for machines where no keychain answers. The whole map is
 * encrypted as one blob (account names included), written atomically with owner-only
 * permissions, and never touches the disk as plaintext.
 */
import { randomBytes } from 'node:crypto';
import { access, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '@shared/errors';
import type { SecretStore } from '../ports';

export { aesFileEncryptor } from './aes-file-encryptor';

/** Electron's safeStorage in the app; aesFileEncryptor under plain Node. */
export interface Encryptor {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
  /** How strong the encryption is (see os-encryption.ts); absent means real OS-grade encryption. */
  strength?(): 'os' | 'weak' | 'none';
}

export interface EncryptedFileSecretStoreOptions {
  file: string;
  encryptor: Encryptor;
  /** Called when the file cannot be decrypted and is moved aside (its secrets are lost). */
  onUnreadable?: (info: { path: string; movedTo: string | null; reason: string }) => void;
  now?: () => number;
}

interface SecretsBlob {
  version: 1;
  secrets: Record<string, string>;
}

export class EncryptedFileSecretStore implements SecretStore {
  readonly location = 'encrypted-file' as const;
  readonly path: string;
  /** Operations run one after another so two writes never lose each other's change. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: EncryptedFileSecretStoreOptions) {
    this.path = opts.file;
  }

  isAvailable(): boolean {
    try {
      return this.opts.encryptor.isAvailable();
    } catch {
      return false;
    }
  }

  get(account: string): Promise<string | null> {
    return this.serial(async () => (await this.read())[account] ?? null);
  }

  /** The accounts the file holds; none (and no decryption) when there is no file. */
  accounts(): Promise<string[]> {
    return this.serial(async () => {
      try {
        await access(this.path);
      } catch {
        return [];
      }
      return Object.keys(await this.read());
    });
  }

  set(account: string, secret: string): Promise<void> {
    return this.serial(async () => {
      const secrets = await this.read();
      secrets[account] = secret;
      await this.write(secrets);
    });
  }

  delete(account: string): Promise<boolean> {
    return this.serial(async () => {
      const secrets = await this.read();
      if (!(account in secrets)) return false;
      delete secrets[account];
      await this.write(secrets);
      return true;
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private ensureAvailable(): void {
    if (!this.isAvailable()) {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'Neither the keychain nor encrypted storage is available.');
    }
  }

  private async read(): Promise<Record<string, string>> {
    this.ensureAvailable();
    let data: Buffer;
    try {
      data = await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return Object.create(null) as Record<string, string>;
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        `The secrets file cannot be read: ${(error as Error).message}`
      );
    }
    try {
      const blob = JSON.parse(this.opts.encryptor.decrypt(data)) as SecretsBlob;
      if (blob.version !== 1 || typeof blob.secrets !== 'object' || blob.secrets === null) {
        throw new Error('unexpected content');
      }
      return Object.assign(Object.create(null) as Record<string, string>, blob.secrets);
    } catch (error) {
      // A lost key or a damaged file: the secrets are gone either way. Keep the bytes for
      // forensics and start empty so the user can enter them again.
      const movedTo = await this.moveAside();
      this.opts.onUnreadable?.({ path: this.path, movedTo, reason: (error as Error).message });
      return Object.create(null) as Record<string, string>;
    }
  }

  private async write(secrets: Record<string, string>): Promise<void> {
    const blob: SecretsBlob = { version: 1, secrets };
    const data = this.opts.encryptor.encrypt(JSON.stringify(blob));
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.path);
  }

  private async moveAside(): Promise<string | null> {
    const stamp = new Date((this.opts.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
    const target = `${this.path}.corrupt-${stamp}-${randomBytes(3).toString('hex')}`;
    try {
      await rename(this.path, target);
      return target;
    } catch {
      return null;
    }
  }
}
