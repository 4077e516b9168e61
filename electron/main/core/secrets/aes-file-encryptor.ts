/**
 * An Encryptor for plain Node (the harness, tests): AES-256-GCM with a random key kept in a
 * file only its owner can read. In the app Electron's safeStorage takes this role.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Encryptor } from './encrypted-file-secret-store';

const MAGIC = Buffer.from('ODK1');
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function readOrCreateKey(keyFile: string): Buffer {
  try {
    const key = readFileSync(keyFile);
    if (key.length !== KEY_BYTES) throw new Error(`${keyFile} does not hold a ${KEY_BYTES}-byte key`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    // 'wx': if another process created it meanwhile, use theirs rather than overwrite it.
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreateKey(keyFile);
    throw error;
  }
}

export function aesFileEncryptor(keyFile: string): Encryptor {
  let key: Buffer | null = null;
  const getKey = (): Buffer => (key ??= readOrCreateKey(keyFile));
  return {
    isAvailable() {
      try {
        getKey();
        return true;
      } catch {
        return false;
      }
    },
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      if (
        data.length < MAGIC.length + IV_BYTES + TAG_BYTES ||
        !data.subarray(0, MAGIC.length).equals(MAGIC)
      ) {
        throw new Error('not data written by this encryptor');
      }
      let at = MAGIC.length;
      const iv = data.subarray(at, (at += IV_BYTES));
      const tag = data.subarray(at, (at += TAG_BYTES));
      const decipher = createDecipheriv('aes-256-gcm', getKey(), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data.subarray(at)), decipher.final()]).toString('utf8');
    }
  };
}
