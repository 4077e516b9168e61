import { afterEach, describe, expect, it } from 'vitest';
import { LoadedModelsMonitor } from '../../../electron/main/core/models/loaded-monitor';
import { systemClock } from '../../../electron/main/core/ports';
import type { LoadedSnapshot, PullProgress } from '@shared/domain';
import { AppError } from '@shared/errors';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import type { ClientLike } from '../../../electron/main/core/models/client-like';
import { ModelService } from '../../../electron/main/core/models/model-service';
import { createFakeOllama, type FakeOllama } from '../../fake-ollama/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function fake(pullChunkMs = 2): Promise<FakeOllama> {
  const server = await createFakeOllama({ pullChunkMs });
  cleanups.push(() => server.close());
  return server;
}

function client(server: FakeOllama): OllamaClient {
  return new OllamaClient({ baseUrl: server.url, timeouts: { metaMs: 2000 } });
}

/** The same server as one from before /api/tags carried capabilities (ollama-api.md §5). */
function olderServer(real: OllamaClient): ClientLike {
  return {
    ps: () => real.ps(),
    version: () => real.version(),
    show: (m) => real.show(m),
    unload: (m) => real.unload(m),
    pull: (m, o) => real.pull(m, o),
    delete: (m) => real.delete(m),
    tags: async () => {
      const reply = await real.tags();
      return { models: reply.models.map(({ capabilities: _dropped, ...rest }) => rest) };
    }
  };
}

async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const finished = (events: PullProgress[]) => events.some((e) => e.state !== 'running');
const showCount = (server: FakeOllama) => server.requests.filter((r) => r.path === '/api/show').length;

describe('ModelService.list', () => {
  it('lists installed models with details and the capabilities /api/tags carries', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    const models = await service.list('home');
    expect(models.map((m) => m.name)).toEqual([
      'gemma3:4b',
      'qwen3:8b',
      'llama3.2:latest',
      'nomic-embed-text:latest'
    ]);
    expect(models[1]).toMatchObject({
      name: 'qwen3:8b',
      size: 5_230_000_000,
      modifiedAt: expect.stringMatching(/^2025-06-10T/),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      details: { format: 'gguf', family: 'qwen3', parameter_size: '8.2B', quantization_level: 'Q4_K_M' },
      capabilities: ['completion', 'tools', 'thinking']
    });
    // Each model is checked with /api/show once (capabilities the tags lack, D9; its weights, D8).
    expect(showCount(server)).toBe(4);
    await service.list('home');
    expect(showCount(server)).toBe(4);
  });

  it('adds what /api/show knows and the tags leave out (a model on its own template, real-ollama.md D9)', async () => {
    const server = await fake();
    const real = client(server);
    const nativeTemplate: ClientLike = {
      ...olderServer(real),
      tags: async () => {
        const reply = await real.tags();
        // A real server's tags cache reads no chat template: thinking and tools go missing.
        return {
          models: reply.models.map((m) => ({
            ...m,
            capabilities: m.capabilities?.filter((c) => c !== 'thinking' && c !== 'tools')
          }))
        };
      }
    };
    const service = new ModelService({ clientFor: async () => nativeTemplate });
    const models = await service.list('home');
    expect(models.find((m) => m.name === 'qwen3:8b')?.capabilities.sort()).toEqual([
      'completion',
      'thinking',
      'tools'
    ]);
    expect(service.knownCapabilities('home', 'qwen3:8b')).toContain('thinking');
    expect(service.knownCapabilities('home', 'nomic-embed-text')).toEqual(['embedding']);
  });

  it('asks /api/show of an older server once per model, then answers from the cache by digest', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => olderServer(client(server)) });
    const models = await service.list('home');
    expect(Object.fromEntries(models.map((m) => [m.name, m.capabilities]))).toEqual({
      'gemma3:4b': ['completion', 'vision'],
      'qwen3:8b': ['completion', 'tools', 'thinking'],
      'llama3.2:latest': ['completion', 'tools'],
      'nomic-embed-text:latest': ['embedding']
    });
    expect(showCount(server)).toBe(4);
    await service.list('home');
    expect(showCount(server)).toBe(4);
  });

  it('still lists a model whose /api/show fails, with no capabilities', async () => {
    const server = await fake();
    const real = client(server);
    const older = olderServer(real);
    const service = new ModelService({
      clientFor: async () => ({
        ...older,
        // The model vanished between tags and show: a real 404 from the server.
        show: (m: string) => real.show(m === 'qwen3:8b' ? 'deleted-meanwhile:1b' : m)
      })
    });
    const models = await service.list('home');
    expect(models.find((m) => m.name === 'qwen3:8b')?.capabilities).toEqual([]);
    expect(models.find((m) => m.name === 'gemma3:4b')?.capabilities).toEqual(['completion', 'vision']);
  });

  it('passes the server error on when the server does not answer', async () => {
    const server = await fake();
    const url = server.url;
    await server.close();
    const service = new ModelService({ clientFor: async () => new OllamaClient({ baseUrl: url }) });
    await expect(service.list('home')).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });
});

describe('ModelService.show', () => {
  it('reads the context length at <architecture>.context_length and keeps the texts', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    const shown = await service.show('home', 'qwen3:8b');
    expect(shown).toMatchObject({
      name: 'qwen3:8b',
      contextLength: 40960,
      capabilities: ['completion', 'tools', 'thinking'],
      details: { family: 'qwen3', parameter_size: '8.2B' },
      license: expect.stringContaining('Fake license'),
      template: expect.stringContaining('.Messages'),
      parameters: expect.stringContaining('temperature'),
      modifiedAt: expect.stringMatching(/^2025-06-10T/)
    });
    expect((await service.show('home', 'gemma3:4b')).contextLength).toBe(131072);
  });

  it('rejects an unknown model with MODEL_NOT_FOUND', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    await expect(service.show('home', 'nope:1b')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});

describe('ModelService.pull', () => {
  it('reports per-layer progress with a speed, the status lines, then success', async () => {
    const server = await fake(5);
    const service = new ModelService({ clientFor: async () => client(server), newId: () => 'pull-1' });
    const events: PullProgress[] = [];
    const { pullId } = service.pull('home', 'tinyllama', (e) => events.push(e));
    expect(pullId).toBe('pull-1');
    expect(service.activePulls()).toEqual(['pull-1']);
    await until(() => finished(events), 5000, 'the pull to end');

    expect(
      events.every((e) => e.pullId === 'pull-1' && e.profileId === 'home' && e.model === 'tinyllama')
    ).toBe(true);
    const statuses = [...new Set(events.map((e) => e.status))];
    expect(statuses[0]).toBe('pulling manifest');
    expect(statuses).toContain('verifying sha256 digest');
    expect(statuses).toContain('writing manifest');
    expect(events.at(-1)).toMatchObject({ state: 'success', status: 'success' });
    expect(events.filter((e) => e.state !== 'running')).toHaveLength(1);

    const layers = [...new Set(events.filter((e) => e.digest).map((e) => e.digest))];
    expect(layers).toHaveLength(2);
    for (const digest of layers) {
      const steps = events.filter((e) => e.digest === digest);
      expect(steps[0]?.completed).toBe(0);
      expect(steps.at(-1)?.completed).toBe(steps.at(-1)?.total);
      const done = steps.map((s) => s.completed ?? 0);
      expect(done).toEqual([...done].sort((a, b) => a - b));
    }
    expect(events.some((e) => (e.bytesPerSecond ?? 0) > 0)).toBe(true);
    expect(service.activePulls()).toEqual([]);
    expect((await service.list('home')).map((m) => m.name)).toContain('tinyllama:latest');
  });

  it('runs several pulls at once, each with its own id and events', async () => {
    const server = await fake(3);
    let n = 0;
    const service = new ModelService({ clientFor: async () => client(server), newId: () => `p${++n}` });
    const events: PullProgress[] = [];
    service.pull('home', 'tinyllama', (e) => events.push(e));
    service.pull('home', 'smollm2:135m', (e) => events.push(e));
    await until(() => events.filter((e) => e.state === 'success').length === 2, 5000, 'both pulls');
    expect(events.find((e) => e.pullId === 'p1' && e.state === 'success')?.model).toBe('tinyllama');
    expect(events.find((e) => e.pullId === 'p2' && e.state === 'success')?.model).toBe('smollm2:135m');
  });

  it('ends in an error state with MODEL_NOT_FOUND for a model the registry does not know', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    const events: PullProgress[] = [];
    service.pull('home', 'no-such-model:7b', (e) => events.push(e));
    await until(() => finished(events), 3000, 'the error');
    const last = events.at(-1)!;
    expect(last.state).toBe('error');
    expect(last.error).toMatchObject({
      code: 'MODEL_NOT_FOUND',
      detail: { serverError: 'pull model manifest: file does not exist' }
    });
    // The 200 came first: the stream said something before it failed.
    expect(events[0]?.status).toBe('pulling manifest');
  });

  it('ends in an error state for an invalid name (400)', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    const events: PullProgress[] = [];
    service.pull('home', '???', (e) => events.push(e));
    await until(() => finished(events), 3000, 'the error');
    expect(events.at(-1)).toMatchObject({
      state: 'error',
      error: { code: 'HTTP_ERROR', detail: { status: 400, serverError: 'invalid model name' } }
    });
  });

  it('cancel aborts the HTTP request (the server sees the hang-up) and ends as cancelled', async () => {
    const server = await fake(40);
    const service = new ModelService({ clientFor: async () => client(server) });
    const events: PullProgress[] = [];
    const { pullId } = service.pull('home', 'phi3:mini', (e) => events.push(e));
    await until(() => events.some((e) => e.digest !== undefined), 3000, 'the first layer');
    await service.cancelPull(pullId);
    const hungUp = await server.waitForHangUp((r) => r.path === '/api/pull', 2000);
    expect(hungUp.clientHungUp).toBe(true);
    expect(events.at(-1)?.state).toBe('cancelled');
    expect(events.filter((e) => e.state !== 'running')).toHaveLength(1);
    expect(service.activePulls()).toEqual([]);
    // Nothing arrives after the cancel, and the model was not installed.
    const count = events.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toHaveLength(count);
    expect((await service.list('home')).map((m) => m.name)).not.toContain('phi3:mini');
  });

  it('cancel of an unknown or finished pull does nothing', async () => {
    const service = new ModelService({
      clientFor: async () => {
        throw new AppError('NOT_FOUND', 'no profile');
      }
    });
    await expect(service.cancelPull('nope')).resolves.toBeUndefined();
  });

  it('reports a profile that cannot give a client as an error event', async () => {
    const service = new ModelService({
      clientFor: async () => {
        throw new AppError('NOT_FOUND', 'no profile');
      }
    });
    const events: PullProgress[] = [];
    service.pull('gone', 'tinyllama', (e) => events.push(e));
    await until(() => finished(events), 1000, 'the error');
    expect(events).toEqual([
      expect.objectContaining({ state: 'error', error: { code: 'NOT_FOUND', message: 'no profile' } })
    ]);
  });
});

describe('ModelService.delete', () => {
  it('deletes a model with DELETE /api/delete {model}', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    await service.delete('home', 'llama3.2:latest');
    const request = server.requests.find((r) => r.path === '/api/delete');
    expect(request).toMatchObject({ method: 'DELETE', body: { model: 'llama3.2:latest' } });
    expect((await service.list('home')).map((m) => m.name)).not.toContain('llama3.2:latest');
  });

  it('rejects an unknown model with MODEL_NOT_FOUND', async () => {
    const server = await fake();
    const service = new ModelService({ clientFor: async () => client(server) });
    await expect(service.delete('home', 'nope:1b')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});

describe('aliases on one weights blob (real-ollama.md D8)', () => {
  it('names the models that share a runner, and the monitor marks and unloads them together', async () => {
    const server = await fake();
    server.addModel({
      name: 'my-assistant:latest',
      family: 'llama',
      parameterSize: '3.2B',
      quantization: 'Q4_K_M',
      sizeBytes: 2_019_393_189,
      capabilities: ['completion', 'tools'],
      contextLength: 131072,
      weights: 'llama3.2:latest'
    });
    const service = new ModelService({ clientFor: async () => client(server) });
    await service.list('home');
    expect(service.aliasesOf('home', 'my-assistant')).toEqual(['llama3.2:latest']);
    expect(service.aliasesOf('home', 'llama3.2')).toEqual(['my-assistant:latest']);
    expect(service.aliasesOf('home', 'gemma3:4b')).toEqual([]);

    server.loadModel('llama3.2:latest');
    const snapshots: LoadedSnapshot[] = [];
    const monitor = new LoadedModelsMonitor({
      profiles: () => [{ id: 'home', name: 'Home' }],
      clientFor: async () => client(server),
      clock: systemClock,
      emit: (x) => snapshots.push(x),
      aliasesOf: (p, m) => service.aliasesOf(p, m),
      intervals: { burstMs: 50, calmMs: 60_000 }
    });
    cleanups.push(() => monitor.stop());
    const [first] = await monitor.refresh();
    expect(first?.models[0]).toMatchObject({ name: 'llama3.2:latest', aliases: ['my-assistant:latest'] });
    // Unloading the alias unloads the shared runner; it is done once that runner is gone.
    await monitor.unload('home', 'my-assistant:latest');
    expect(server.loaded()).toEqual([]);
    expect(monitor.snapshots()[0]?.models).toEqual([]);
  });
});
