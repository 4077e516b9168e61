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
    vramRecoveryMs: 0
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
