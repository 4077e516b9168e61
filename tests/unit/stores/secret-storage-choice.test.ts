/**
 * Honest secret storage. With a fake safeStorage that reports each Linux backend (and one that has
 * no encryption), the core keeps secrets in the OS-encrypted file only where the backend is real;
 * under basic_text or none it keeps them for this session until the user stores them under a
 * passphrase (scrypt + AES-GCM). After every move, profiles and the UI's words say where each secret
 * is: keychain, OS encryption, passphrase file, or this session only.
 */
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile, SecretLocation } from '../../../shared/domain';
import { createCore, type Core } from '../../../electron/main/core/app-core';
import { dispatch } from '../../../electron/main/core/dispatch';
import { confStoreFactory } from '../../../electron/main/core/store/conf-store-factory';
import {
  safeStorageEncryptor,
  type SafeStorageLike
} from '../../../electron/main/core/secrets/os-encryption';
import type { KeytarLike } from '../../../electron/main/core/secrets/keytar-secret-store';
import { passphraseEncryptor } from '../../../electron/main/core/secrets/passphrase-encryptor';
import { secretBackendWords, secretPlaceholder } from '../../../renderer/src/components/shell/status-words';
import { createFakeOllama } from '../../fake-ollama/server';
import type { FakeOllama } from '../../fake-ollama/types';

const TOKEN = 'tok-SECRET-9d1f';
const PASSPHRASE = 'correct horse battery';

/** Electron's safeStorage as seen from main: a reversible transform standing in for the OS's cipher. */
function fakeSafeStorage(backend: string | null, available = true): SafeStorageLike & { used: number } {
  const fake = {
    used: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string) {
      fake.used++;
      return Buffer.from(`fake-os:${Buffer.from(plain).toString('base64')}`);
    },
    decryptString(data: Buffer) {
      return Buffer.from(data.toString().slice('fake-os:'.length), 'base64').toString();
    },
    ...(backend === null ? {} : { getSelectedStorageBackend: () => backend })
  };
  return fake;
}

/** keytar's API over a Map: a keychain that answers. */
function memoryKeytar(): KeytarLike {
  const items = new Map<string, string>();
  return {
    getPassword: async (service, account) => items.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => void items.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => items.delete(`${service}/${account}`)
  };
}

let fake: FakeOllama;
let dataDir: string;
const cores: Core[] = [];

beforeEach(async () => {
  fake = await createFakeOllama();
  fake.requireAuth({ bearer: TOKEN });
  dataDir = await mkdtemp(join(tmpdir(), 'secret-choice-'));
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(safeStorage: SafeStorageLike, platform = 'linux', keytar?: KeytarLike): Promise<Core> {
  const core = await createCore({
    dataDir,
    openStore: confStoreFactory,
    encryptor: safeStorageEncryptor(safeStorage, platform),
    keytarLoader: async () => {
      if (keytar) return keytar;
      throw new Error('no keychain in this test');
    },
    env: { OLLAMA_HOST: '127.0.0.1:9' },
    app: { version: '0.0.0', shell: 'test', platform },
    emit: () => {},
    openExternal: async () => {},
    log: () => {}
  });
  cores.push(core);
  return core;
}

async function call(core: Core, name: string, input: unknown = {}) {
  return dispatch(core.handlers, name, input);
}

async function saveLockedServer(core: Core): Promise<Profile> {
  const result = await call(core, 'profiles:save', {
    name: 'Locked box',
    host: fake.url,
    auth: { kind: 'bearer', token: TOKEN }
  });
  expect(result.ok).toBe(true);
  return (result as { value: Profile }).value;
}

async function locationOf(core: Core, id: string): Promise<SecretLocation> {
  const listed = (await call(core, 'profiles:list')) as { value: { profiles: Profile[] } };
  const auth = listed.value.profiles.find((p) => p.id === id)!.auth;
  return auth.kind === 'none' ? 'none' : auth.secretLocation;
}

async function tokenWorks(core: Core, id: string): Promise<boolean> {
  const result = (await call(core, 'profiles:test', { id })) as { value: { ok: boolean } };
  return result.value.ok;
}

/** Every file under the data dir, as text: where a plaintext secret would show. */
async function allFilesText(): Promise<string> {
  const names = await readdir(dataDir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    names.filter((d) => d.isFile()).map((d) => readFile(join(d.parentPath, d.name), 'latin1'))
  );
  return texts.join('\n');
}

describe('secret storage by safeStorage backend', () => {
  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])(
    'Linux %s: OS encryption, and it says so',
    async (backend) => {
      const safeStorage = fakeSafeStorage(backend);
      const core = await start(safeStorage);
      expect(await call(core, 'secrets:status')).toMatchObject({
        value: { location: 'encrypted-file', choice: 'none-needed', locked: false }
      });
      const profile = await saveLockedServer(core);
      expect(await locationOf(core, profile.id)).toBe('encrypted-file');
      expect(secretPlaceholder('encrypted-file')).toBe(
        "saved in an encrypted file (the system's encryption)"
      );
      expect(safeStorage.used).toBeGreaterThan(0);
      expect(await tokenWorks(core, profile.id)).toBe(true);
      expect(await allFilesText()).not.toContain(TOKEN);
    }
  );

  it('macOS and Windows (no backend to report): OS encryption', async () => {
    const core = await start(fakeSafeStorage(null), 'darwin');
    expect(await call(core, 'secrets:status')).toMatchObject({ value: { location: 'encrypted-file' } });
  });

  it.each([
    ['basic_text', fakeSafeStorage('basic_text'), 'weak'],
    ['an unknown backend', fakeSafeStorage('unknown'), 'weak'],
    ['no encryption at all', fakeSafeStorage('gnome_libsecret', false), 'none']
  ] as const)(
    'Linux %s: never called encryption; session only until the user chooses',
    async (_l, safeStorage, why) => {
      const core = await start(safeStorage);
      expect(await call(core, 'secrets:status')).toEqual({
        ok: true,
        value: { location: 'session', choice: 'pending', osEncryption: why, locked: false }
      });
      expect(
        ((await call(core, 'app:info')) as { value: { secretBackend: string } }).value.secretBackend
      ).toBe('session');
      const profile = await saveLockedServer(core);
      expect(await locationOf(core, profile.id)).toBe('session');
      expect(secretPlaceholder('session')).toBe('kept for this session only');
      expect(secretBackendWords('session')).toBe('memory for this session only');
      expect(await tokenWorks(core, profile.id)).toBe(true);
      // Nothing written under basic_text's built-in key, nothing in plain text.
      expect(safeStorage.used).toBe(0);
      expect(await allFilesText()).not.toContain(TOKEN);

      expect(await call(core, 'secrets:keepForSession')).toMatchObject({
        value: { location: 'session', choice: 'session' }
      });
    }
  );
});

describe('a passphrase file', () => {
  it('stores the session secrets under the passphrase, locks at restart, unlocks with it only', async () => {
    const safeStorage = fakeSafeStorage('basic_text');
    const core = await start(safeStorage);
    const profile = await saveLockedServer(core);

    expect(await call(core, 'secrets:usePassphrase', { passphrase: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    });
    expect(await call(core, 'secrets:usePassphrase', { passphrase: PASSPHRASE })).toEqual({
      ok: true,
      value: { location: 'passphrase-file', choice: 'passphrase', osEncryption: 'weak', locked: false }
    });
    expect(await locationOf(core, profile.id)).toBe('passphrase-file');
    expect(secretPlaceholder('passphrase-file')).toBe('saved in a file locked by your passphrase');
    expect(await tokenWorks(core, profile.id)).toBe(true);
    const file = await readFile(join(dataDir, 'secrets.passphrase'));
    expect(file.toString('latin1')).not.toContain(TOKEN);
    expect(await allFilesText()).not.toContain(TOKEN);
    // The file opens with the passphrase (scrypt + AES-GCM), not with anything else.
    expect(passphraseEncryptor(PASSPHRASE).decrypt(file)).toContain(TOKEN);
    expect(() => passphraseEncryptor('wrong passphrase!').decrypt(file)).toThrow();
    expect(safeStorage.used).toBe(0);
    await core.dispose();
    cores.splice(cores.indexOf(core), 1);

    const again = await start(safeStorage);
    expect(await call(again, 'secrets:status')).toMatchObject({
      value: { location: 'passphrase-file', choice: 'passphrase', locked: true }
    });
    expect(await locationOf(again, profile.id)).toBe('passphrase-file');
    expect(await tokenWorks(again, profile.id)).toBe(false);
    expect(await call(again, 'secrets:usePassphrase', { passphrase: 'wrong passphrase!' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    });
    expect(await readFile(join(dataDir, 'secrets.passphrase'))).toEqual(file);
    expect(await call(again, 'secrets:usePassphrase', { passphrase: PASSPHRASE })).toMatchObject({
      value: { locked: false }
    });
    expect(await tokenWorks(again, profile.id)).toBe(true);
  });
});

describe('after secrets move into the keychain', () => {
  it('profiles report the keychain (they reported the encrypted file before)', async () => {
    const safeStorage = fakeSafeStorage('gnome_libsecret');
    const first = await start(safeStorage);
    const profile = await saveLockedServer(first);
    expect(await locationOf(first, profile.id)).toBe('encrypted-file');
    await first.dispose();
    cores.splice(cores.indexOf(first), 1);

    const keytar = memoryKeytar();
    const second = await start(safeStorage, 'linux', keytar);
    expect(await call(second, 'secrets:status')).toMatchObject({ value: { location: 'keychain' } });
    expect(await locationOf(second, profile.id)).toBe('keychain');
    expect(secretPlaceholder('keychain')).toBe('saved in the system keychain');
    expect(await tokenWorks(second, profile.id)).toBe(true);
    expect(await call(second, 'secrets:usePassphrase', { passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    });
  });
});
