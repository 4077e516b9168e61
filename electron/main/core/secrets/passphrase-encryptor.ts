/**
 * An Encryptor keyed by a passphrase the user gives: scrypt (a memory-hard KDF, random 16-byte salt
 * per file) derives an AES-256-GCM key. Used where the OS offers no real encryption. The key is
 * derived once per salt and kept in memory only; a wrong passphrase fails GCM's tag check.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { Encryptor } from './encrypted-file-secret-store';

const MAGIC = Buffer.from('ODP1');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** scrypt cost: N = 2^15, r = 8 (32 MiB, tens of ms here); stored so it can be raised later. */
const LOG_N = 15;
const R = 8;
const P = 1;

function deriveKey(passphrase: string, salt: Buffer, logN: number): Buffer {
  const N = 2 ** logN;
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N, r: R, p: P, maxmem: 256 * N * R });
}

export function passphraseEncryptor(passphrase: string): Encryptor {
  // The salt of the file last read (or a new one): writes keep it, so the key is derived once.
  let salt = randomBytes(SALT_BYTES);
  const keys = new Map<string, Buffer>();
  const keyFor = (s: Buffer, logN: number): Buffer => {
    const id = `${logN}:${s.toString('hex')}`;
    let key = keys.get(id);
    if (!key) keys.set(id, (key = deriveKey(passphrase, s, logN)));
    return key;
  };
  return {
    isAvailable: () => true,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyFor(salt, LOG_N), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([MAGIC, Buffer.from([LOG_N]), salt, iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const head = MAGIC.length + 1 + SALT_BYTES + IV_BYTES + TAG_BYTES;
      if (data.length < head || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new Error('not a passphrase-protected secrets file');
      }
      let at = MAGIC.length;
      const logN = data[at++]!;
      if (logN < 10 || logN > 20) throw new Error('unsupported scrypt cost');
      const fileSalt = data.subarray(at, (at += SALT_BYTES));
      const iv = data.subarray(at, (at += IV_BYTES));
      const tag = data.subarray(at, (at += TAG_BYTES));
      const decipher = createDecipheriv('aes-256-gcm', keyFor(fileSalt, logN), iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(data.subarray(at)), decipher.final()]).toString('utf8');
      salt = Buffer.from(fileSalt);
      return plain;
    }
  };
}
