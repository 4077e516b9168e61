import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, type ProfilesState } from '@shared/domain';
import type { SecretStore } from '../../../electron/main/core/ports';
import { openProfilesStore } from '../../../electron/main/core/profiles/profiles-file';
import { ProfileService, type ProfileSaveInput } from '../../../electron/main/core/profiles/profile-service';
import {
  aesFileEncryptor,
  EncryptedFileSecretStore,
  type Encryptor
} from '../../../electron/main/core/secrets/encrypted-file-secret-store';
import { KeytarSecretStore } from '../../../electron/main/core/secrets/keytar-secret-store';
import { confStoreFactory } from '../../../electron/main/core/store/conf-store-factory';
import { probeRealKeychain, TEST_SERVICE } from './keychain-probe';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const keychain = await probeRealKeychain();
if (keychain.skip) console.log(`[stores] profile keychain test skipped: ${keychain.skip}`);

const TOKEN = 'tok-3c1d9a7e-never-on-disk';
const PASSWORD = 'pw-5b2f8c-never-on-disk';
const HEADER_VALUE = 'hv-77aa11-never-on-disk';

interface Setup {
  dir: string;
  service: ProfileService;
  secrets: SecretStore;
  encryptor: Encryptor;
  logs: string[];
  profilesFile: string;
  secretsFile: string;
}

async function setup(
  env: { OLLAMA_HOST?: string } = {},
  dir?: string,
  secrets?: SecretStore
): Promise<Setup> {
  const cwd = dir ?? (await tempDir());
  const encryptor = aesFileEncryptor(join(cwd, 'secret.key'));
  const secretStore = secrets ?? new EncryptedFileSecretStore({ file: join(cwd, 'secrets.enc'), encryptor });
  const logs: string[] = [];
  const store = openProfilesStore({ factory: confStoreFactory, cwd });
  const service = ProfileService.create({ store, secrets: secretStore, env, log: (m) => logs.push(m) });
  return {
    dir: cwd,
    service,
    secrets: secretStore,
    encryptor,
    logs,
    profilesFile: store.path,
    secretsFile: join(cwd, 'secrets.enc')
  };
}

/** Every secret in the encrypted fallback file, decrypted. */
async function storedSecrets(s: Setup): Promise<Record<string, string>> {
  try {
    const blob = JSON.parse(s.encryptor.decrypt(await readFile(s.secretsFile))) as {
      secrets: Record<string, string>;
    };
    return blob.secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

const input = (over: Partial<ProfileSaveInput> = {}): ProfileSaveInput => ({
  name: 'Box',
  host: 'box.local',
  auth: { kind: 'none' },
  defaults: {},
  ...over
});

describe('ProfileService: first run', () => {
  it('adds "This computer" on the default address and makes it active', async () => {
    const { service, profilesFile } = await setup();
    const state = service.list();
    expect(state.profiles).toHaveLength(1);
    expect(state.profiles[0]).toMatchObject({
      name: 'This computer',
      host: 'http://127.0.0.1:11434',
      baseUrl: 'http://127.0.0.1:11434',
      auth: { kind: 'none' }
    });
    expect(state.activeId).toBe(state.profiles[0]?.id);
    expect(JSON.parse(await readFile(profilesFile, 'utf8'))).toMatchObject({ version: 1, seeded: true });
  });

  it('takes the address from OLLAMA_HOST when it is set', async () => {
    const { service } = await setup({ OLLAMA_HOST: '0.0.0.0:8080' });
    expect(service.list().profiles[0]).toMatchObject({
      host: '0.0.0.0:8080',
      baseUrl: 'http://127.0.0.1:8080'
    });
  });

  it('ignores an OLLAMA_HOST it cannot parse, and says so', async () => {
    const { service, logs } = await setup({ OLLAMA_HOST: 'ftp://box' });
    expect(service.list().profiles[0]?.baseUrl).toBe('http://127.0.0.1:11434');
    expect(logs.join('\n')).toMatch(/ignoring OLLAMA_HOST=ftp:\/\/box/);
  });

  it('does not bring the first profile back after the user deleted every profile', async () => {
    const first = await setup();
    const id = first.service.list().profiles[0]!.id;
    await first.service.delete(id);
    const reopened = await setup({ OLLAMA_HOST: 'other:1' }, first.dir);
    expect(reopened.service.list()).toEqual({ profiles: [], activeId: null });
  });

  it('keeps the id of the first profile across restarts', async () => {
    const first = await setup();
    const id = first.service.list().profiles[0]!.id;
    const reopened = await setup({}, first.dir);
    expect(reopened.service.list().profiles.map((p) => p.id)).toEqual([id]);
  });
});

describe('ProfileService: list, save, reorder, active, delete', () => {
  it('creates with a new id and normalized host, updates in place, and reports changes', async () => {
    const { service } = await setup();
    const seen: ProfilesState[] = [];
    const off = service.onChange((s) => seen.push(s));
    const created = await service.save(input({ host: '  "192.168.1.20"  ' }));
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.baseUrl).toBe('http://192.168.1.20:11434');
    expect(created.host).toBe('"192.168.1.20"');
    expect(service.get(created.id)).toEqual(created);

    const updated = await service.save(
      input({
        id: created.id,
        name: 'GPU box',
        host: 'https://gpu.lan/ollama',
        defaults: { model: 'llama3.2' }
      })
    );
    expect(updated.id).toBe(created.id);
    expect(updated).toMatchObject({
      name: 'GPU box',
      baseUrl: 'https://gpu.lan:443/ollama',
      defaults: { model: 'llama3.2' }
    });
    expect(service.list().profiles.map((p) => p.name)).toEqual(['This computer', 'GPU box']);
    expect(seen).toHaveLength(2);
    off();
    await service.save(input());
    expect(seen).toHaveLength(2);
  });

  it('refuses a bad host, an unknown id and bad input without changing anything', async () => {
    const { service } = await setup();
    const before = service.list();
    await expect(service.save(input({ host: 'http://a b' }))).rejects.toMatchObject({ code: 'INVALID_HOST' });
    await expect(service.save(input({ id: 'nope' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.save(input({ name: '   ' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => service.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(service.list()).toEqual(before);
  });

  it('reorders, sets the active one, and picks the first remaining when the active one is deleted', async () => {
    const { service, dir } = await setup();
    const home = service.list().profiles[0]!.id;
    const a = (await service.save(input({ name: 'A' }))).id;
    const b = (await service.save(input({ name: 'B' }))).id;

    expect(service.reorder([b, home, a]).profiles.map((p) => p.id)).toEqual([b, home, a]);
    // Profiles left out keep their order at the end.
    expect(service.reorder([a]).profiles.map((p) => p.id)).toEqual([a, b, home]);
    expect(() => service.reorder([a, a])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => service.reorder(['ghost'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

    expect(service.setActive(b).activeId).toBe(b);
    expect(() => service.setActive('ghost')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

    const afterDelete = await service.delete(b);
    expect(afterDelete.profiles.map((p) => p.id)).toEqual([a, home]);
    expect(afterDelete.activeId).toBe(a);
    const afterOther = await service.delete(home);
    expect(afterOther.activeId).toBe(a);
    await expect(service.delete('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // All of it is on disk.
    const reopened = await setup({}, dir);
    expect(reopened.service.list()).toEqual(service.list());
  });

  it('makes the first saved profile active when none is', async () => {
    const { service } = await setup();
    await service.delete(service.list().profiles[0]!.id);
    const p = await service.save(input());
    expect(service.list().activeId).toBe(p.id);
  });

  it('merges per-profile timeouts over the defaults', async () => {
    const { service } = await setup();
    const p = await service.save(input({ defaults: { timeouts: { metaMs: 1500 } } }));
    expect(service.timeouts(p.id)).toEqual({ ...DEFAULT_TIMEOUTS, metaMs: 1500 });
    expect(service.timeouts(service.list().profiles[0]!.id)).toEqual(DEFAULT_TIMEOUTS);
  });
});

describe('ProfileService: secrets', () => {
  it('never writes a secret to the profiles file', async () => {
    const s = await setup();
    await s.service.save(input({ name: 'T', auth: { kind: 'bearer', token: TOKEN } }));
    await s.service.save(input({ name: 'B', auth: { kind: 'basic', username: 'ann', password: PASSWORD } }));
    await s.service.save(
      input({ name: 'H', auth: { kind: 'headers', headers: [{ name: 'X-Api-Key', value: HEADER_VALUE }] } })
    );
    const profilesBytes = await readFile(s.profilesFile, 'utf8');
    for (const secret of [TOKEN, PASSWORD, HEADER_VALUE]) expect(profilesBytes).not.toContain(secret);
    expect(profilesBytes).toContain('ann');
    const secretBytes = await readFile(s.secretsFile);
    for (const secret of [TOKEN, PASSWORD, HEADER_VALUE])
      expect(secretBytes.includes(Buffer.from(secret))).toBe(false);
    // …and the renderer's view has none either.
    expect(JSON.stringify(s.service.list())).not.toMatch(new RegExp(`${TOKEN}|${PASSWORD}|${HEADER_VALUE}`));
    expect(Object.values(await storedSecrets(s)).sort()).toEqual([HEADER_VALUE, PASSWORD, TOKEN].sort());
  });

  it('treats secrets as write-only: omitted keeps, empty removes, new replaces', async () => {
    const s = await setup();
    const p = await s.service.save(input({ auth: { kind: 'bearer', token: ` ${TOKEN}\n` } }));
    expect(p.auth).toEqual({ kind: 'bearer', hasSecret: true, secretLocation: 'encrypted-file' });
    expect(await s.service.requestHeaders(p.id)).toEqual({ Authorization: `Bearer ${TOKEN}` });

    const kept = await s.service.save(input({ id: p.id, name: 'Renamed', auth: { kind: 'bearer' } }));
    expect(kept.auth).toMatchObject({ hasSecret: true });
    expect(await s.service.requestHeaders(p.id)).toEqual({ Authorization: `Bearer ${TOKEN}` });

    await s.service.save(input({ id: p.id, auth: { kind: 'bearer', token: 'second' } }));
    expect(await s.service.resolvedAuth(p.id)).toEqual({ kind: 'bearer', token: 'second' });

    const removed = await s.service.save(input({ id: p.id, auth: { kind: 'bearer', token: '' } }));
    expect(removed.auth).toEqual({ kind: 'bearer', hasSecret: false, secretLocation: 'none' });
    expect(await s.service.requestHeaders(p.id)).toEqual({});
    expect(await storedSecrets(s)).toEqual({});
  });

  it('removes the old secrets when the auth kind changes or a header is dropped', async () => {
    const s = await setup();
    const p = await s.service.save(input({ auth: { kind: 'bearer', token: TOKEN } }));
    await s.service.save(input({ id: p.id, auth: { kind: 'basic', username: 'ann', password: PASSWORD } }));
    expect(Object.values(await storedSecrets(s))).toEqual([PASSWORD]);

    // Basic without a password keeps nothing from bearer: it has no secret yet.
    const q = await s.service.save(input({ auth: { kind: 'bearer', token: TOKEN } }));
    const switched = await s.service.save(input({ id: q.id, auth: { kind: 'basic', username: 'bob' } }));
    expect(switched.auth).toEqual({
      kind: 'basic',
      username: 'bob',
      hasSecret: false,
      secretLocation: 'none'
    });
    expect(Object.values(await storedSecrets(s))).toEqual([PASSWORD]);

    const h = await s.service.save(
      input({
        auth: {
          kind: 'headers',
          headers: [
            { name: 'X-One', value: 'one' },
            { name: 'X-Two', value: 'two' }
          ]
        }
      })
    );
    expect(h.auth).toEqual({
      kind: 'headers',
      headerNames: ['X-One', 'X-Two'],
      hasSecret: true,
      secretLocation: 'encrypted-file'
    });
    // X-One kept (value omitted), X-Two dropped, X-Three added without a value.
    const h2 = await s.service.save(
      input({ id: h.id, auth: { kind: 'headers', headers: [{ name: 'x-one' }, { name: 'X-Three' }] } })
    );
    expect(h2.auth).toMatchObject({ headerNames: ['x-one', 'X-Three'], hasSecret: false });
    expect(await s.service.requestHeaders(h.id)).toEqual({ 'x-one': 'one' });
    expect(Object.values(await storedSecrets(s)).sort()).toEqual(['one', PASSWORD].sort());

    await expect(
      s.service.save(
        input({
          auth: {
            kind: 'headers',
            headers: [
              { name: 'A', value: '1' },
              { name: 'a', value: '2' }
            ]
          }
        })
      )
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    await s.service.save(input({ id: h.id, auth: { kind: 'none' } }));
    expect(Object.values(await storedSecrets(s))).toEqual([PASSWORD]);
  });

  it('deletes a profile together with its secrets', async () => {
    const s = await setup();
    const a = await s.service.save(input({ auth: { kind: 'bearer', token: TOKEN } }));
    const b = await s.service.save(
      input({
        auth: {
          kind: 'headers',
          headers: [
            { name: 'X-Key', value: HEADER_VALUE },
            { name: 'X-Org', value: 'org' }
          ]
        }
      })
    );
    await s.service.save(input({ auth: { kind: 'basic', username: 'u', password: PASSWORD } }));
    await s.service.delete(a.id);
    await s.service.delete(b.id);
    expect(Object.values(await storedSecrets(s))).toEqual([PASSWORD]);
  });

  it('leaves the profile as it was when the secret store refuses', async () => {
    const dir = await tempDir();
    const off: Encryptor = {
      isAvailable: () => false,
      encrypt: () => Buffer.alloc(0),
      decrypt: () => ''
    };
    const s = await setup(
      {},
      dir,
      new EncryptedFileSecretStore({ file: join(dir, 'secrets.enc'), encryptor: off })
    );
    const before = s.service.list();
    await expect(s.service.save(input({ auth: { kind: 'bearer', token: TOKEN } }))).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE'
    });
    expect(s.service.list()).toEqual(before);
    expect(await readFile(s.profilesFile, 'utf8')).not.toContain(TOKEN);
  });

  it('resolves a draft, taking omitted secrets from the saved profile', async () => {
    const s = await setup();
    const p = await s.service.save(
      input({ host: '127.0.0.1:9', auth: { kind: 'basic', username: 'ann', password: PASSWORD } })
    );
    const basic = (u: string, pw: string) => `Basic ${Buffer.from(`${u}:${pw}`).toString('base64')}`;
    expect(
      await s.service.resolveDraft({ id: p.id, host: 'other', auth: { kind: 'basic', username: 'bob' } })
    ).toEqual({
      baseUrl: 'http://other:11434',
      headers: { Authorization: basic('bob', PASSWORD) }
    });
    expect(
      await s.service.resolveDraft({
        id: p.id,
        host: 'other',
        auth: { kind: 'basic', username: 'bob', password: 'new' }
      })
    ).toMatchObject({ headers: { Authorization: basic('bob', 'new') } });
    expect(await s.service.resolveDraft({ host: 'other', auth: { kind: 'bearer' } })).toMatchObject({
      headers: {}
    });
    expect(await s.service.resolveDraft({ id: p.id, host: 'x', auth: { kind: 'bearer' } })).toMatchObject({
      headers: {}
    });
    await expect(s.service.resolveDraft({ host: 'ftp://x', auth: { kind: 'none' } })).rejects.toMatchObject({
      code: 'INVALID_HOST'
    });
  });

  it.skipIf(keychain.skip !== null)(
    `keeps secrets in the real keychain and deletes them with the profile${keychain.skip ? ` (skipped: ${keychain.skip})` : ''}`,
    async () => {
      const kt = keychain.keytar as unknown as {
        findCredentials(service: string): Promise<{ account: string; password: string }[]>;
      };
      const s = await setup({}, undefined, new KeytarSecretStore(keychain.keytar!, TEST_SERVICE));
      const p = await s.service.save(input({ auth: { kind: 'bearer', token: TOKEN } }));
      try {
        expect(p.auth).toEqual({ kind: 'bearer', hasSecret: true, secretLocation: 'keychain' });
        const mine = (await kt.findCredentials(TEST_SERVICE)).filter((c) => c.account.startsWith(p.id));
        expect(mine.map((c) => c.password)).toEqual([TOKEN]);
        expect(await readFile(s.profilesFile, 'utf8')).not.toContain(TOKEN);
        expect(await s.service.requestHeaders(p.id)).toEqual({ Authorization: `Bearer ${TOKEN}` });
      } finally {
        await s.service.delete(p.id);
      }
      expect((await kt.findCredentials(TEST_SERVICE)).filter((c) => c.account.startsWith(p.id))).toEqual([]);
    }
  );
});

describe('ProfileService: auth headers reach a real HTTP server', () => {
  let server: Server;
  let host: string;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{"version":"0.33.0"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function sendAs(s: Setup, auth: ProfileSaveInput['auth']): Promise<IncomingHttpHeaders> {
    const p = await s.service.save(input({ host, auth }));
    const res = await fetch(`${p.baseUrl}/api/version`, { headers: await s.service.requestHeaders(p.id) });
    expect(await res.json()).toEqual({ version: '0.33.0' });
    return seen.at(-1)!;
  }

  it('sends Bearer, Basic, custom headers, and nothing for none', async () => {
    const s = await setup();
    expect((await sendAs(s, { kind: 'none' })).authorization).toBeUndefined();
    expect((await sendAs(s, { kind: 'bearer', token: TOKEN })).authorization).toBe(`Bearer ${TOKEN}`);
    const basic = await sendAs(s, { kind: 'basic', username: 'ann', password: 'pä:ss' });
    expect(Buffer.from(basic.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe(
      'ann:pä:ss'
    );
    const custom = await sendAs(s, {
      kind: 'headers',
      headers: [
        { name: 'X-Api-Key', value: HEADER_VALUE },
        { name: 'CF-Access-Client-Id', value: 'client' }
      ]
    });
    expect(custom['x-api-key']).toBe(HEADER_VALUE);
    expect(custom['cf-access-client-id']).toBe('client');
    expect(custom.authorization).toBeUndefined();
  });
});
