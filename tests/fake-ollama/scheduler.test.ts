/**
 * The fake's scheduler against /work/shared/real-ollama.md: each test names the D-row it reproduces
 * and checks it the way a client sees it (when headers come, status, body, what /api/ps lists).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeOllama, DEFAULT_MODELS, type FakeOllama } from './server';
import { ndjson, rawRequest, sleep, user, type Raw } from './test-http';

let fake: FakeOllama;

beforeAll(async () => {
  fake = await createFakeOllama({ unloadGraceMs: 100 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setModels(DEFAULT_MODELS);
  Object.assign(fake.options, {
    unloadGraceMs: 100,
    loadMs: 0,
    psBlocksWhileLoading: true,
    numParallel: 1,
    maxLoadedModels: 3,
    vramBytes: Infinity,
    vramRecoveryMs: 0,
    psBlocksWhileStopping: true
  });
});

/** A request, with the real time its headers arrived and its body ended. */
async function timed(
  method: string,
  path: string,
  body?: unknown
): Promise<Raw & { headersAt: number; endedAt: number }> {
  const start = performance.now();
  const r = await rawRequest(fake.url, method, path, body);
  return { ...r, headersAt: start + r.headersAfterMs, endedAt: performance.now() };
}

const chat = (model: string, extra: Record<string, unknown> = {}): ReturnType<typeof timed> =>
  timed('POST', '/api/chat', { model, messages: user('x'), ...extra });

async function psNames(): Promise<string[]> {
  const r = await rawRequest(fake.url, 'GET', '/api/ps');
  return (JSON.parse(r.text) as { models: { name: string }[] }).models.map((m) => m.name);
}

describe('D1: /api/ps and unload during a cold load', () => {
  it('holds GET /api/ps until the load ends, then lists the model', async () => {
    fake.options.loadMs = 600;
    const started = performance.now();
    const cold = chat('gemma3:4b');
    await sleep(100);
    const ps = await timed('GET', '/api/ps');
    const reply = await cold;
    expect(ps.headersAt - started).toBeGreaterThanOrEqual(580);
    expect(ps.status).toBe(200);
    expect((JSON.parse(ps.text) as { models: { name: string }[] }).models.map((m) => m.name)).toEqual([
      'gemma3:4b'
    ]);
    expect(reply.headersAt - started).toBeGreaterThanOrEqual(580);
  });

  it('holds an unload of the loading model until the load ends; the reply still ends whole, then it unloads', async () => {
    fake.options.loadMs = 500;
    fake.queueScenario({ tokens: ['a', 'b', 'c'], pacingMs: 100 });
    const started = performance.now();
    const cold = chat('gemma3:4b');
    await sleep(100);
    const unload = await timed('POST', '/api/chat', { model: 'gemma3:4b', messages: [], keep_alive: 0 });
    expect(unload.headersAt - started).toBeGreaterThanOrEqual(480);
    expect(JSON.parse(unload.text)).toMatchObject({ done: true, done_reason: 'unload' });
    // The reply that loaded it is not cut short: listed until it ends (D6), then gone.
    expect(await psNames()).toEqual(['gemma3:4b']);
    const reply = await cold;
    expect(ndjson(reply.text).at(-1)).toMatchObject({ done: true, done_reason: 'stop' });
    expect(fake.loaded()).toEqual([]);
    await sleep(200);
    expect(await psNames()).toEqual([]);
  });

  it('answers ps and unload at once with psBlocksWhileLoading off (Ollama before 0.32.10)', async () => {
    fake.options.loadMs = 600;
    fake.options.psBlocksWhileLoading = false;
    const started = performance.now();
    const cold = chat('gemma3:4b');
    await sleep(100);
    const ps = await timed('GET', '/api/ps');
    expect(ps.headersAt - started).toBeLessThan(400);
    expect(JSON.parse(ps.text)).toMatchObject({ models: [{ name: 'gemma3:4b' }] });
    await cold;
  });

  it('does not hold ps for a warm request', async () => {
    fake.loadModel('gemma3:4b');
    fake.queueScenario({ firstByteDelayMs: 500 });
    const started = performance.now();
    const warm = chat('gemma3:4b');
    await sleep(100);
    const ps = await timed('GET', '/api/ps');
    expect(ps.headersAt - started).toBeLessThan(400);
    await warm;
  });
});

describe('D3: one request per model at a time (OLLAMA_NUM_PARALLEL=1)', () => {
  it('holds a second request to the same model with no headers until the first ends', async () => {
    fake.loadModel('llama3.2');
    fake.setScenario({ tokens: ['a', 'b', 'c', 'd'], pacingMs: 80 });
    const first = chat('llama3.2');
    await sleep(30);
    const second = chat('llama3.2');
    const [a, b] = await Promise.all([first, second]);
    expect(b.headersAt).toBeGreaterThanOrEqual(a.endedAt - 5);
    for (const r of [a, b]) expect(ndjson(r.text).length).toBe(5);
  });

  it('serves another model meanwhile, and N side by side with numParallel N', async () => {
    fake.loadModel('llama3.2');
    fake.loadModel('gemma3:4b');
    fake.setScenario({ tokens: ['a', 'b', 'c', 'd'], pacingMs: 80 });
    const [a, other] = await Promise.all([chat('llama3.2'), chat('gemma3:4b')]);
    expect(other.headersAt).toBeLessThan(a.endedAt - 100);
    fake.options.numParallel = 2;
    const [x, y] = await Promise.all([chat('llama3.2'), chat('llama3.2')]);
    expect(y.headersAt).toBeLessThan(x.endedAt - 100);
  });

  it('lets a queued request that hangs up leave the queue without blocking the next', async () => {
    fake.loadModel('llama3.2');
    fake.queueScenario({ tokens: ['a', 'b', 'c'], pacingMs: 150 });
    const first = chat('llama3.2');
    await sleep(30);
    const req = request(fake.url + '/api/chat', { method: 'POST' });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ model: 'llama3.2', messages: user('x') }));
    await fake.waitForRequest((r) => r.path === '/api/chat' && r.id !== fake.requests[0]?.id);
    req.destroy();
    await fake.waitForHangUp(() => true);
    const third = chat('llama3.2');
    const [a, c] = await Promise.all([first, third]);
    expect(c.headersAt).toBeGreaterThanOrEqual(a.endedAt - 5);
    expect(ndjson(c.text).at(-1)).toMatchObject({ done: true });
  });
});

describe('D4: a hang-up during a cold load cancels the load', () => {
  it('leaves the model unloaded, and the next request loads it from zero', async () => {
    fake.options.loadMs = 400;
    const req = request(fake.url + '/api/chat', { method: 'POST' });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ model: 'qwen3:8b', messages: user('x'), think: false }));
    await fake.waitForRequest((r) => r.path === '/api/chat');
    await sleep(100);
    req.destroy();
    await fake.waitForHangUp(() => true);
    expect(fake.loaded()).toEqual([]);
    expect(await psNames()).toEqual([]);
    const again = await chat('qwen3:8b', { stream: false, think: false });
    expect((JSON.parse(again.text) as { load_duration: number }).load_duration).toBeGreaterThanOrEqual(380e6);
  });
});

/** Polls /api/ps until empty; returns when each model left it (ms after start). */
async function watchDepartures(
  names: string[],
  started: number,
  timeoutMs: number
): Promise<Record<string, number>> {
  const seen = new Set(names);
  const left: Record<string, number> = {};
  while (seen.size > 0 && performance.now() - started < timeoutMs) {
    await sleep(25);
    const now = new Set(await psNames());
    for (const name of seen) {
      if (!now.has(name)) {
        left[name] = performance.now() - started;
        seen.delete(name);
      }
    }
  }
  return left;
}

describe('D6: unloads are handled one after another, each with a VRAM wait', () => {
  it('drops the k-th of an "unload all" about k times (stop + VRAM wait) after the first', async () => {
    fake.options.unloadGraceMs = 100;
    fake.options.vramRecoveryMs = 300;
    for (const m of ['gemma3:4b', 'qwen3:8b', 'llama3.2']) fake.loadModel(m);
    const started = performance.now();
    const unloads = await Promise.all(
      ['gemma3:4b', 'qwen3:8b', 'llama3.2'].map((model) =>
        timed('POST', '/api/chat', { model, messages: [], keep_alive: 0 })
      )
    );
    for (const u of unloads) expect(JSON.parse(u.text)).toMatchObject({ done_reason: 'unload' });
    const left = await watchDepartures(['gemma3:4b', 'qwen3:8b', 'llama3.2:latest'], started, 3000);
    const times = Object.values(left).sort((a, b) => a - b);
    expect(times.length).toBe(3);
    expect(times[0]).toBeGreaterThanOrEqual(90);
    // Each next one waits for the VRAM after the one before, then stops itself.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(300);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(300);
  });

  it('keeps an unloaded model listed until its in-flight request ends', async () => {
    fake.loadModel('llama3.2');
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], pacingMs: 100 });
    const running = chat('llama3.2');
    await fake.waitForRequest((r) => r.path === '/api/chat');
    await sleep(50);
    const unload = await timed('POST', '/api/chat', { model: 'llama3.2', messages: [], keep_alive: 0 });
    expect(unload.status).toBe(200);
    await sleep(150);
    expect(await psNames()).toEqual(['llama3.2:latest']);
    const reply = await running;
    expect(ndjson(reply.text).at(-1)).toMatchObject({ done: true });
    await sleep(200);
    expect(await psNames()).toEqual([]);
  });
});

describe('D7: eviction past maxLoadedModels or the VRAM', () => {
  it('evicts the idle model with the shortest keep_alive when a fourth one loads', async () => {
    fake.loadModel('gemma3:4b', { keepAliveSec: 600 });
    fake.loadModel('qwen3:8b', { keepAliveSec: 60 });
    fake.loadModel('llama3.2', { keepAliveSec: 300 });
    fake.addModel({ ...DEFAULT_MODELS[2]!, name: 'phi3:mini' });
    const r = await chat('phi3:mini', { stream: false });
    expect(r.status).toBe(200);
    // It waited for the eviction (the runner's stop) before loading.
    expect((JSON.parse(r.text) as { load_duration: number }).load_duration).toBeGreaterThanOrEqual(90e6);
    expect((await psNames()).sort()).toEqual(['gemma3:4b', 'llama3.2:latest', 'phi3:mini']);
  });

  it('waits for a busy model to finish when none is idle, and evicts by VRAM too', async () => {
    fake.options.maxLoadedModels = 1;
    fake.loadModel('gemma3:4b');
    fake.queueScenario({ tokens: ['a', 'b', 'c'], pacingMs: 100 });
    const busy = chat('gemma3:4b');
    await fake.waitForRequest((r) => r.path === '/api/chat');
    const next = chat('llama3.2');
    const [a, b] = await Promise.all([busy, next]);
    expect(ndjson(a.text).at(-1)).toMatchObject({ done: true });
    expect(b.headersAt).toBeGreaterThanOrEqual(a.endedAt);
    expect(await psNames()).toEqual(['llama3.2:latest']);

    fake.options.maxLoadedModels = 3;
    fake.options.vramBytes = 6e9; // llama3.2 (2 GB) and gemma3 (3.3 GB) fit, qwen3 (5.2 GB) does not
    await chat('gemma3:4b', { stream: false });
    expect((await psNames()).sort()).toEqual(['gemma3:4b', 'llama3.2:latest']);
    await chat('qwen3:8b', { stream: false, think: false });
    expect(await psNames()).toEqual(['qwen3:8b']);
  });
});

describe('D8: models that share one weights blob share one runner', () => {
  it('serves an alias on the loaded runner, lists the loader name, and unloads both together', async () => {
    fake.addModel({ ...DEFAULT_MODELS[2]!, name: 'my-assistant', weights: 'llama3.2' });
    await chat('llama3.2', { stream: false });
    const alias = await chat('my-assistant', { stream: false });
    expect((JSON.parse(alias.text) as { model: string; load_duration: number }).model).toBe('my-assistant');
    expect((JSON.parse(alias.text) as { load_duration: number }).load_duration).toBeLessThan(50e6);
    expect(await psNames()).toEqual(['llama3.2:latest']);
    expect(fake.loaded()).toEqual(['llama3.2:latest']);
    await timed('POST', '/api/chat', { model: 'my-assistant', messages: [], keep_alive: 0 });
    expect(fake.loaded()).toEqual([]);
    await sleep(200);
    expect(await psNames()).toEqual([]);
    // Loaded through the alias, ps shows the alias.
    await chat('my-assistant', { stream: false });
    expect(await psNames()).toEqual(['my-assistant:latest']);
  });

  it('queues requests to two aliases on their one runner (D3 across names)', async () => {
    fake.addModel({ ...DEFAULT_MODELS[2]!, name: 'my-assistant', weights: 'llama3.2' });
    fake.loadModel('llama3.2');
    fake.setScenario({ tokens: ['a', 'b', 'c'], pacingMs: 80 });
    const first = chat('llama3.2');
    await sleep(30);
    const [a, b] = await Promise.all([first, chat('my-assistant')]);
    expect(b.headersAt).toBeGreaterThanOrEqual(a.endedAt - 5);
  });
});
