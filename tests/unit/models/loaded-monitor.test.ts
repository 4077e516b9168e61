import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadedSnapshot } from '@shared/domain';
import { AppError } from '@shared/errors';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { systemClock, type Clock } from '../../../electron/main/core/ports';
import {
  LoadedModelsMonitor,
  type MonitorIntervals
} from '../../../electron/main/core/models/loaded-monitor';
import { createFakeOllama, type FakeOllama, type RecordedRequest } from '../../fake-ollama/server';
import { ManualClock } from './manual-clock';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function fake(opts: { unloadGraceMs?: number } = {}): Promise<FakeOllama> {
  const server = await createFakeOllama({ unloadGraceMs: opts.unloadGraceMs ?? 150 });
  cleanups.push(() => server.close());
  return server;
}

/** A loopback port with nothing listening on it: connections are refused at once. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function until(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Setup {
  monitor: LoadedModelsMonitor;
  emitted: LoadedSnapshot[];
  profiles: { id: string; name: string; url: string }[];
}

function setup(
  profiles: { id: string; name: string; url: string }[],
  clock: Clock,
  intervals: Partial<MonitorIntervals> = {}
): Setup {
  const emitted: LoadedSnapshot[] = [];
  const monitor = new LoadedModelsMonitor({
    profiles: () => profiles.map(({ id, name }) => ({ id, name })),
    clientFor: async (id) => {
      const profile = profiles.find((p) => p.id === id);
      if (!profile) throw new AppError('NOT_FOUND', `no profile ${id}`);
      return new OllamaClient({ baseUrl: profile.url, timeouts: { metaMs: 2000 } });
    },
    clock,
    emit: (s) => emitted.push(s),
    intervals
  });
  cleanups.push(() => monitor.stop());
  return { monitor, emitted, profiles };
}

const isUnload = (model: string) => (r: RecordedRequest) =>
  r.method === 'POST' &&
  r.path === '/api/chat' &&
  (r.body as { model?: string; keep_alive?: unknown }).model === model &&
  (r.body as { keep_alive?: unknown }).keep_alive === 0;
const psCount = (server: FakeOllama) => server.requests.filter((r) => r.path === '/api/ps').length;

describe('LoadedModelsMonitor against the fake server', () => {
  it('emits "checking", then a snapshot with the loaded model, and nothing more while unchanged', async () => {
    const server = await fake();
    server.loadModel('qwen3:8b', { keepAliveSec: 300, contextLength: 8192 });
    const { monitor, emitted } = setup([{ id: 'home', name: 'Home', url: server.url }], new ManualClock());
    monitor.start();
    expect(emitted[0]).toMatchObject({ profileId: 'home', state: 'checking', models: [], unloading: [] });
    await until(() => emitted.length >= 2, 3000, 'the first poll');
    const snap = emitted[1]!;
    expect(snap.state).toBe('reachable');
    expect(snap.error).toBeUndefined();
    expect(snap.models).toHaveLength(1);
    expect(snap.models[0]).toMatchObject({
      name: 'qwen3:8b',
      size: 5_230_000_000,
      sizeVram: 5_230_000_000,
      contextLength: 8192,
      details: { family: 'qwen3', parameter_size: '8.2B', quantization_level: 'Q4_K_M' }
    });
    // About five minutes away.
    const left = Date.parse(snap.models[0]!.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(290_000);
    expect(left).toBeLessThanOrEqual(300_000);
    expect(snap.updatedAt).toBeGreaterThan(0);

    const polls = psCount(server);
    await monitor.refresh();
    await monitor.refresh();
    expect(psCount(server)).toBe(polls + 2);
    expect(emitted).toHaveLength(2);
    expect(monitor.snapshots()).toEqual([expect.objectContaining({ profileId: 'home', state: 'reachable' })]);
  });

  it('unload sends keep_alive 0 for that model and shows "unloading" until /api/ps drops it', async () => {
    const server = await fake({ unloadGraceMs: 250 });
    server.loadModel('qwen3:8b');
    server.loadModel('gemma3:4b');
    const { monitor, emitted } = setup([{ id: 'home', name: 'Home', url: server.url }], systemClock, {
      calmMs: 60_000,
      burstMs: 20
    });
    monitor.start();
    await monitor.refresh();
    expect(
      monitor
        .snapshots()[0]
        ?.models.map((m) => m.name)
        .sort()
    ).toEqual(['gemma3:4b', 'qwen3:8b']);

    const done = monitor.unload('home', 'qwen3:8b');
    // Marked at once, before the server even answered.
    expect(monitor.snapshots()[0]?.unloading).toEqual(['qwen3:8b']);
    expect(emitted.at(-1)?.unloading).toEqual(['qwen3:8b']);

    const request = await server.waitForRequest(isUnload('qwen3:8b'), 2000);
    expect(request.body).toEqual({ model: 'qwen3:8b', messages: [], keep_alive: 0 });
    await done;

    // Seen while the server still listed it (the grace period): listed and marked together.
    expect(
      emitted.some((s) => s.unloading.includes('qwen3:8b') && s.models.some((m) => m.name === 'qwen3:8b'))
    ).toBe(true);
    const after = monitor.snapshots()[0]!;
    expect(after.unloading).toEqual([]);
    expect(after.models.map((m) => m.name)).toEqual(['gemma3:4b']);
    expect(server.loaded()).toEqual(['gemma3:4b']);
    // Only the asked model was unloaded.
    expect(server.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);
  });

  it('polls in a quick burst after an unload although the calm interval is long', async () => {
    const server = await fake({ unloadGraceMs: 200 });
    // A stopping model stays listed here (on a real server ps waits): the burst needs something to watch.
    server.options.psBlocksWhileStopping = false;
    server.loadModel('llama3.2:latest');
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], systemClock, {
      calmMs: 60_000,
      burstMs: 25,
      burstCount: 3
    });
    monitor.start();
    await monitor.refresh();
    const before = psCount(server);
    const started = Date.now();
    await monitor.unload('home', 'llama3.2:latest');
    // The grace period alone needs several polls; with the calm pace there would be none.
    expect(psCount(server) - before).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('sends one request for a double click, whatever the spelling of the name', async () => {
    const server = await fake();
    server.loadModel('llama3.2:latest');
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], systemClock, { burstMs: 20 });
    monitor.start();
    await monitor.refresh();
    const first = monitor.unload('home', 'llama3.2:latest');
    const second = monitor.unload('home', 'llama3.2:latest');
    const third = monitor.unload('home', 'Llama3.2');
    expect(second).toBe(first);
    expect(third).toBe(first);
    await first;
    expect(server.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);
    // Once done, a new click is a new request.
    server.loadModel('llama3.2:latest');
    await monitor.unload('home', 'llama3.2:latest');
    expect(server.requests.filter((r) => r.path === '/api/chat')).toHaveLength(2);
  });

  it('rejects with MODEL_NOT_FOUND for a model the server does not have, and clears the mark', async () => {
    const server = await fake();
    const { monitor, emitted } = setup([{ id: 'home', name: 'Home', url: server.url }], systemClock);
    await monitor.refresh();
    const error = await monitor.unload('home', 'no-such-model:1b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODEL_NOT_FOUND');
    expect(monitor.snapshots()[0]?.unloading).toEqual([]);
    expect(emitted.some((s) => s.unloading.includes('no-such-model:1b'))).toBe(true);
    expect(emitted.at(-1)?.unloading).toEqual([]);
  });

  it('rejects when the server is gone, and clears the mark', async () => {
    const server = await fake();
    server.loadModel('llama3.2:latest');
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], new ManualClock());
    await monitor.refresh();
    await server.close();
    const error = await monitor.unload('home', 'llama3.2:latest').catch((e: unknown) => e);
    expect((error as AppError).code).toBe('CONNECTION_REFUSED');
    expect(monitor.snapshots()[0]?.unloading).toEqual([]);
  });

  it('stops claiming "unloading" after unloadWatchMs while a running request holds the model', async () => {
    const server = await fake({ unloadGraceMs: 50 });
    server.setScenario({ tokens: Array.from({ length: 40 }, () => 'tok '), pacingMs: 50 });
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], systemClock, {
      burstMs: 20,
      unloadWatchMs: 300
    });
    const client = new OllamaClient({ baseUrl: server.url });
    const abort = new AbortController();
    cleanups.push(() => abort.abort());
    const chat = (async () => {
      for await (const _ of client.chat(
        { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] },
        { signal: abort.signal }
      ));
    })().catch(() => undefined);
    await server.waitForRequest((r) => r.path === '/api/chat', 2000);
    await monitor.refresh();
    expect(monitor.snapshots()[0]?.models.map((m) => m.name)).toEqual(['llama3.2:latest']);

    const started = Date.now();
    await monitor.unload('home', 'llama3.2:latest');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(1500);
    // Still listed (the reply is still streaming), but no longer marked.
    const snap = monitor.snapshots()[0]!;
    expect(snap.models.map((m) => m.name)).toEqual(['llama3.2:latest']);
    expect(snap.unloading).toEqual([]);
    abort.abort();
    await chat;
  });

  it('rejects an unload on an unknown profile', async () => {
    const { monitor } = setup([], new ManualClock());
    await expect(monitor.unload('nope', 'm')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('unloadAll sends keep_alive 0 for every loaded model and resolves when all are gone', async () => {
    const server = await fake({ unloadGraceMs: 100 });
    server.loadModel('qwen3:8b');
    server.loadModel('gemma3:4b');
    server.loadModel('llama3.2:latest');
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], systemClock, {
      burstMs: 20,
      calmMs: 60_000
    });
    monitor.start();
    await monitor.unloadAll('home');
    const unloaded = server.requests
      .filter((r) => r.path === '/api/chat')
      .map((r) => r.body as { model: string; keep_alive: unknown; messages: unknown[] });
    expect(unloaded.map((b) => b.model).sort()).toEqual(['gemma3:4b', 'llama3.2:latest', 'qwen3:8b']);
    expect(unloaded.every((b) => b.keep_alive === 0 && b.messages.length === 0)).toBe(true);
    expect(server.loaded()).toEqual([]);
    expect(monitor.snapshots()[0]).toMatchObject({ models: [], unloading: [] });
  });

  it('unloadAll on a dead server rejects with its error', async () => {
    const { monitor } = setup([{ id: 'dead', name: 'Dead', url: await deadUrl() }], new ManualClock());
    await expect(monitor.unloadAll('dead')).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });
});

describe('LoadedModelsMonitor pacing', () => {
  it('polls calmly, bursts after a chat, then calms down again', async () => {
    const server = await fake();
    const clock = new ManualClock();
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], clock, {
      calmMs: 10_000,
      burstMs: 1_000,
      burstCount: 3
    });
    monitor.start();
    await until(() => clock.pending().length === 1, 3000, 'the first timer');
    expect(clock.delays).toEqual([10_000]);

    monitor.burst('home');
    // The burst polls now (the calm timer is replaced), then three quick polls, then calm again.
    for (let n = 2; n <= 5; n++) {
      await until(() => clock.delays.length === n && clock.pending().length === 1, 3000, `timer ${n}`);
      clock.fireNext();
    }
    await until(() => clock.delays.length === 6 && clock.pending().length === 1, 3000, 'timer 6');
    // start, burst, three quick ones, then the first calm one fired above.
    expect(clock.delays).toEqual([10_000, 1_000, 1_000, 1_000, 10_000, 10_000]);
    expect(psCount(server)).toBe(6);
  });

  it('backs off more and more from a server that does not answer, and emits it once', async () => {
    const clock = new ManualClock();
    const profiles = [{ id: 'dead', name: 'Dead', url: await deadUrl() }];
    const { monitor, emitted } = setup(profiles, clock, {
      calmMs: 1_000,
      backoffStartMs: 100,
      backoffMaxMs: 500
    });
    monitor.start();
    for (let n = 1; n <= 5; n++) {
      await until(() => clock.delays.length === n && clock.pending().length === 1, 3000, `timer ${n}`);
      if (n < 5) clock.fireNext();
    }
    expect(clock.delays).toEqual([100, 200, 400, 500, 500]);
    expect(emitted.map((s) => s.state)).toEqual(['checking', 'unreachable']);
    expect(emitted[1]?.error?.code).toBe('CONNECTION_REFUSED');
    expect(emitted[1]?.models).toEqual([]);

    // The user fixes the host: the next poll answers and the pace is calm again.
    const server = await fake();
    server.loadModel('llama3.2:latest');
    profiles[0]!.url = server.url;
    monitor.profilesChanged();
    await until(() => emitted.length === 3, 3000, 'the recovery');
    expect(emitted[2]).toMatchObject({
      state: 'reachable',
      models: [expect.objectContaining({ name: 'llama3.2:latest' })]
    });
    expect(emitted[2]?.error).toBeUndefined();
    await until(() => clock.pending().length === 1, 3000, 'the calm timer');
    expect(clock.pending()[0]?.delay).toBe(1_000);
  });

  it('does no work and sets no timer when there are no profiles', async () => {
    const clock = new ManualClock();
    const server = await fake();
    const profiles: { id: string; name: string; url: string }[] = [];
    const { monitor, emitted } = setup(profiles, clock);
    monitor.start();
    expect(await monitor.refresh()).toEqual([]);
    expect(clock.delays).toEqual([]);
    expect(emitted).toEqual([]);
    expect(server.requests).toEqual([]);

    // A profile appears: polled and timed; it goes away: its timer is cancelled.
    profiles.push({ id: 'home', name: 'Home', url: server.url });
    monitor.profilesChanged();
    await until(() => clock.pending().length === 1, 3000, 'a timer');
    profiles.pop();
    monitor.profilesChanged();
    expect(clock.pending()).toEqual([]);
    expect(monitor.snapshots()).toEqual([]);
  });

  it('stop cancels every timer, and no poll schedules another afterwards', async () => {
    const clock = new ManualClock();
    const server = await fake();
    const { monitor } = setup([{ id: 'home', name: 'Home', url: server.url }], clock);
    monitor.start();
    monitor.stop();
    // The first poll was already under way; it finishes without scheduling a next one.
    await until(() => psCount(server) === 1, 3000, 'the first poll');
    await new Promise((r) => setTimeout(r, 50));
    expect(clock.pending()).toEqual([]);
  });
});
