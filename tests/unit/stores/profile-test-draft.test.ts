/**
 * "Test connection" in the server editor sends the draft on screen ({host, auth, id}). The contract's
 * union used to match its {id} branch first, which dropped the edited host, so a saved server whose
 * address was edited to a dead port still tested fine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calls } from '../../../shared/contract';
import type { Core } from '../../../electron/main/core/app-core';
import { createTestCore } from '../test-core';
import { dispatch } from '../../../electron/main/core/dispatch';
import { closedPort } from '../../fake-ollama/closed-port';
import { createFakeOllama } from '../../fake-ollama/server';
import type { FakeOllama } from '../../fake-ollama/types';

describe('profiles:test input', () => {
  it('keeps the host and auth of a draft that names a saved profile', () => {
    const input = { host: '127.0.0.1:1', auth: { kind: 'none' }, id: 'p1' };
    const parsed = calls['profiles:test'].input.safeParse(input);
    expect(parsed.success && parsed.data).toEqual(input);
  });

  it('takes a bare id as the saved profile, and refuses a mix of neither', () => {
    expect(calls['profiles:test'].input.safeParse({ id: 'p1' }).data).toEqual({ id: 'p1' });
    expect(calls['profiles:test'].input.safeParse({ id: 'p1', host: 'x' }).success).toBe(false);
    expect(calls['profiles:test'].input.safeParse({ id: 'p1', extra: 1 }).success).toBe(false);
  });
});

describe('profiles:test against the core', () => {
  let fake: FakeOllama;
  let dataDir: string;
  let core: Core;
  beforeEach(async () => {
    fake = await createFakeOllama();
    dataDir = await mkdtemp(join(tmpdir(), 'profile-test-'));
    core = await createTestCore(dataDir, {
      env: { OLLAMA_HOST: fake.url }
    });
  });
  afterEach(async () => {
    await core.dispose();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('tests the edited address of a saved server, not the saved one', async () => {
    const saved = (await core.handlers['profiles:list'](undefined)).profiles[0]!;
    const savedTest = await dispatch(core.handlers, 'profiles:test', { id: saved.id });
    expect(savedTest).toMatchObject({ ok: true, value: { ok: true } });

    const dead = `127.0.0.1:${await closedPort()}`;
    const edited = await dispatch(core.handlers, 'profiles:test', {
      host: dead,
      auth: { kind: 'none' },
      id: saved.id
    });
    expect(edited).toMatchObject({
      ok: true,
      value: { ok: false, baseUrl: `http://${dead}`, error: { code: 'CONNECTION_REFUSED' } }
    });
  });
});
