import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseSecretStore } from '../../../electron/main/core/secrets/choose-secret-store';
import {
  aesFileEncryptor,
  EncryptedFileSecretStore,
  type Encryptor
} from '../../../electron/main/core/secrets/encrypted-file-secret-store';
import { KeytarSecretStore } from '../../../electron/main/core/secrets/keytar-secret-store';
import { probeRealKeychain, TEST_SERVICE } from './keychain-probe';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const keychain = await probeRealKeychain();
if (keychain.skip) console.log(`[stores] keychain tests skipped: ${keychain.skip}`);
const keychainTitle = (title: string) => (keychain.skip ? `${title} (skipped: ${keychain.skip})` : title);

const SECRET = 'sk-live-9f8e7d6c5b4a-the-plaintext-token';

describe('aesFileEncryptor', () => {
  it('round-trips, creates its key file 0600, and refuses tampered data', async () => {
    const dir = await tempDir();
    const keyFile = join(dir, 'keys', 'secret.key');
    const enc = aesFileEncryptor(keyFile);
    expect(enc.isAvailable()).toBe(true);
    const data = enc.encrypt(SECRET);
    expect(data.includes(Buffer.from(SECRET))).toBe(false);
    expect(enc.decrypt(data)).toBe(SECRET);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(keyFile)).length).toBe(32);

    // A second encryptor over the same key file reads what the first wrote.
    expect(aesFileEncryptor(keyFile).decrypt(data)).toBe(SECRET);

    const tampered = Buffer.from(data);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => enc.decrypt(tampered)).toThrow();
    expect(() => aesFileEncryptor(join(dir, 'other.key')).decrypt(data)).toThrow();
  });

  it('is unavailable when its key file cannot be made', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-dir'), 'x');
    expect(aesFileEncryptor(join(dir, 'not-a-dir', 'k.key')).isAvailable()).toBe(false);
  });
});

describe('EncryptedFileSecretStore', () => {
  it('round-trips secrets and never writes the plaintext', async () => {
    const dir = await tempDir();
    const file = join(dir, 'secrets.enc');
    const store = new EncryptedFileSecretStore({ file, encryptor: aesFileEncryptor(join(dir, 'k.key')) });
    expect(store.location).toBe('encrypted-file');
    expect(await store.get('p1:bearer-token')).toBeNull();

    await Promise.all([store.set('p1:bearer-token', SECRET), store.set('p2:basic-password', 'hunter2')]);
    expect(await store.get('p1:bearer-token')).toBe(SECRET);
    expect(await store.get('p2:basic-password')).toBe('hunter2');

    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from('hunter2'))).toBe(false);
    expect(bytes.includes(Buffer.from('p1:bearer-token'))).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // Atomic writes leave no temp files behind.
    expect((await readdir(dir)).sort()).toEqual(['k.key', 'secrets.enc']);

    // A new instance (a restart) reads the same secrets.
    const again = new EncryptedFileSecretStore({ file, encryptor: aesFileEncryptor(join(dir, 'k.key')) });
    expect(await again.get('p2:basic-password')).toBe('hunter2');

    expect(await again.delete('p2:basic-password')).toBe(true);
    expect(await again.delete('p2:basic-password')).toBe(false);
    expect(await again.get('p2:basic-password')).toBeNull();
    expect(await again.get('p1:bearer-token')).toBe(SECRET);
  });

  it('moves an unreadable file aside and starts empty', async () => {
    const dir = await tempDir();
    const file = join(dir, 'secrets.enc');
    await new EncryptedFileSecretStore({ file, encryptor: aesFileEncryptor(join(dir, 'a.key')) }).set(
      'x',
      SECRET
    );
    const told: { movedTo: string | null }[] = [];
    // The key was lost: a different key cannot read the file.
    const store = new EncryptedFileSecretStore({
      file,
      encryptor: aesFileEncryptor(join(dir, 'b.key')),
      onUnreadable: (info) => told.push(info)
    });
    expect(await store.get('x')).toBeNull();
    expect(told).toHaveLength(1);
    expect(told[0]?.movedTo).toMatch(/secrets\.enc\.corrupt-/);
    await store.set('y', 'fresh');
    expect(await store.get('y')).toBe('fresh');
  });

  it('refuses with KEYCHAIN_UNAVAILABLE when encryption is not available', async () => {
    const dir = await tempDir();
    const off: Encryptor = {
      isAvailable: () => false,
      encrypt: () => {
        throw new Error('unreachable');
      },
      decrypt: () => {
        throw new Error('unreachable');
      }
    };
    const store = new EncryptedFileSecretStore({ file: join(dir, 's.enc'), encryptor: off });
    await expect(store.set('a', 'b')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('chooseSecretStore', () => {
  it('uses the fallback when keytar cannot be loaded, and says why', async () => {
    const dir = await tempDir();
    const fallback = new EncryptedFileSecretStore({
      file: join(dir, 's.enc'),
      encryptor: aesFileEncryptor(join(dir, 'k'))
    });
    const reasons: string[] = [];
    const chosen = await chooseSecretStore({
      keytarLoader: () => Promise.reject(new Error('was compiled against a different Node.js version')),
      fallback,
      onFallback: (r) => reasons.push(r)
    });
    expect(chosen).toBe(fallback);
    expect(chosen.location).toBe('encrypted-file');
    expect(reasons[0]).toMatch(/different Node\.js version/);
  });

  it('uses the fallback when the keychain loads but never answers', async () => {
    const dir = await tempDir();
    const fallback = new EncryptedFileSecretStore({
      file: join(dir, 's.enc'),
      encryptor: aesFileEncryptor(join(dir, 'k'))
    });
    const reasons: string[] = [];
    const silent = {
      getPassword: () => new Promise<string | null>(() => {}),
      setPassword: () => Promise.resolve(),
      deletePassword: () => Promise.resolve(false)
    };
    const started = Date.now();
    const chosen = await chooseSecretStore({
      keytarLoader: async () => silent,
      fallback,
      probeTimeoutMs: 100,
      onFallback: (r) => reasons.push(r)
    });
    expect(chosen.location).toBe('encrypted-file');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(reasons[0]).toMatch(/no answer within 100 ms/);
  });

  it('uses the fallback when the real keytar cannot reach a secret service, else the keychain', async () => {
    const dir = await tempDir();
    const fallback = new EncryptedFileSecretStore({
      file: join(dir, 's.enc'),
      encryptor: aesFileEncryptor(join(dir, 'k'))
    });
    const chosen = await chooseSecretStore({ fallback, service: TEST_SERVICE });
    expect(chosen.location).toBe(keychain.skip ? 'encrypted-file' : 'keychain');
  });

  it.skipIf(keychain.skip !== null)(
    keychainTitle('round-trips a secret through the real keychain'),
    async () => {
      const store = new KeytarSecretStore(keychain.keytar!, TEST_SERVICE);
      const account = `${randomUUID()}:bearer-token`;
      try {
        expect(await store.get(account)).toBeNull();
        await store.set(account, SECRET);
        expect(await store.get(account)).toBe(SECRET);
        expect(await keychain.keytar!.getPassword(TEST_SERVICE, account)).toBe(SECRET);
      } finally {
        expect(await store.delete(account)).toBe(true);
      }
      expect(await store.get(account)).toBeNull();
    }
  );
});

describe('secrets kept in the file while no keychain answered', () => {
  /** A keychain in memory, optionally refusing to store some accounts. */
  const memoryKeytar = (refuse: string[] = []) => {
    const entries = new Map<string, string>();
    return {
      entries,
      getPassword: (service: string, account: string) =>
        Promise.resolve(entries.get(`${service}/${account}`) ?? null),
      setPassword: (service: string, account: string, password: string) =>
        refuse.includes(account)
          ? Promise.reject(new Error('the keyring is read-only'))
          : Promise.resolve(void entries.set(`${service}/${account}`, password)),
      deletePassword: (service: string, account: string) =>
        Promise.resolve(entries.delete(`${service}/${account}`))
    };
  };
  const fileStore = async () => {
    const dir = await tempDir();
    return new EncryptedFileSecretStore({
      file: join(dir, 's.enc'),
      encryptor: aesFileEncryptor(join(dir, 'k'))
    });
  };

  it('move into the keychain once it answers, the file’s newer value winning', async () => {
    const file = await fileStore();
    await file.set('p1:bearer-token', 'token-typed-while-offline');
    await file.set('p2:basic-password', 'hunter2');
    const keytar = memoryKeytar();
    keytar.entries.set('svc/p1:bearer-token', 'token-from-before');
    const reports: unknown[] = [];
    const chosen = await chooseSecretStore({
      keytarLoader: async () => keytar,
      fallback: file,
      service: 'svc',
      onMoved: (r) => reports.push(r)
    });
    expect(chosen.location).toBe('keychain');
    expect(await chosen.get('p1:bearer-token')).toBe('token-typed-while-offline');
    expect(await chosen.get('p2:basic-password')).toBe('hunter2');
    expect(await file.accounts()).toEqual([]);
    expect(reports).toEqual([{ moved: ['p1:bearer-token', 'p2:basic-password'], failed: [] }]);
  });

  it('stay in the file when the keychain will not take them, and are reported', async () => {
    const file = await fileStore();
    await file.set('p1:bearer-token', 'a');
    await file.set('p2:bearer-token', 'b');
    const reports: { moved: string[]; failed: { account: string; reason: string }[] }[] = [];
    const chosen = await chooseSecretStore({
      keytarLoader: async () => memoryKeytar(['p1:bearer-token']),
      fallback: file,
      onMoved: (r) => reports.push(r)
    });
    expect(await chosen.get('p2:bearer-token')).toBe('b');
    expect(await file.accounts()).toEqual(['p1:bearer-token']);
    expect(await file.get('p1:bearer-token')).toBe('a');
    expect(reports[0]!.moved).toEqual(['p2:bearer-token']);
    expect(reports[0]!.failed).toEqual([
      { account: 'p1:bearer-token', reason: expect.stringMatching(/read-only/) }
    ]);
  });

  it('are not looked for, and no file is made, when there is none', async () => {
    const file = await fileStore();
    const reports: unknown[] = [];
    await chooseSecretStore({
      keytarLoader: async () => memoryKeytar(),
      fallback: file,
      onMoved: (r) => reports.push(r)
    });
    expect(reports).toEqual([]);
    await expect(stat(file.path)).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(keychain.skip !== null)(keychainTitle('move into the real keychain'), async () => {
    const file = await fileStore();
    const account = `${randomUUID()}:bearer-token`;
    await file.set(account, SECRET);
    const chosen = await chooseSecretStore({ fallback: file, service: TEST_SERVICE });
    try {
      expect(chosen.location).toBe('keychain');
      expect(await keychain.keytar!.getPassword(TEST_SERVICE, account)).toBe(SECRET);
      expect(await file.accounts()).toEqual([]);
    } finally {
      await keychain.keytar!.deletePassword(TEST_SERVICE, account);
    }
  });
});
