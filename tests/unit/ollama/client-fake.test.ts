/**
 * OllamaClient against the fake Ollama server (tests/fake-ollama) on 127.0.0.1: wire shapes, streams,
 * errors, timeouts, aborts with the server-side hang-up, auth headers and host string forms.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeOllama } from '../../fake-ollama/server';
import type { FakeOllama } from '../../fake-ollama/types';
import { OllamaClient, type ClientOptions } from '../../../electron/main/core/ollama/client';
import { authHeaders } from '../../../electron/main/core/ollama/auth-headers';
import { normalizeHost } from '../../../electron/main/core/ollama/host';
import type { ChatChunk, ChatRequest, PullStatus } from '../../../electron/main/core/ollama/wire';
import { caught, drain } from './expect-helpers';

let fake: FakeOllama;

beforeAll(async () => {
  fake = await createFakeOllama({ pullChunkMs: 5, unloadGraceMs: 50 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

function client(opts: Partial<ClientOptions> = {}): OllamaClient {
  return new OllamaClient({
    baseUrl: fake.url,
    timeouts: { firstByteMs: 5000, idleMs: 5000, metaMs: 2000 },
    ...opts
  });
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const ask = (content: string): ChatRequest => ({ model: 'gemma3:4b', messages: [{ role: 'user', content }] });
const text = (chunks: ChatChunk[]) => chunks.map((c) => c.message.content).join('');

describe('metadata wire shapes', () => {
  it('version', async () => {
    expect(await client().version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('tags', async () => {
    const { models } = await client().tags();
    expect(models.length).toBeGreaterThan(0);
    const gemma = models.find((m) => m.name === 'gemma3:4b');
    expect(gemma).toBeDefined();
    expect(gemma).toMatchObject({ model: 'gemma3:4b', details: { family: expect.any(String) } });
    expect(gemma!.size).toBeGreaterThan(0);
    expect(gemma!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(gemma!.modified_at)).not.toBeNaN();
  });

  it('ps: empty, then a loaded model with its memory and expiry', async () => {
    expect(await client().ps()).toEqual({ models: [] });
    fake.loadModel('gemma3:4b', { keepAliveSec: 300 });
    const { models } = await client().ps();
    expect(models).toHaveLength(1);
    const m = models[0]!;
    expect(m.name).toBe('gemma3:4b');
    expect(m.size).toBeGreaterThan(0);
    expect(typeof m.size_vram).toBe('number');
    expect(Date.parse(m.expires_at)).toBeGreaterThan(Date.now());
    expect(m.context_length).toBeGreaterThan(0);
  });

  it('show, and MODEL_NOT_FOUND for a model that is not installed', async () => {
    const c = client();
    const s = await c.show('gemma3:4b');
    expect(typeof s.model_info).toBe('object');
    expect(s.capabilities).toContain('completion');
    expect(s.details.family).toBeTruthy();
    const req = fake.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: '/api/show', body: { model: 'gemma3:4b' } });
    const e = await caught(() => c.show('no-such-model'));
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.detail?.status).toBe(404);
    expect(e.detail?.serverError).toContain('no-such-model');
  });

  it('sends no Origin header', async () => {
    await client().tags();
    await drain(client().chat(ask('hi')));
    expect(fake.requests.length).toBe(2);
    for (const r of fake.requests) expect(r.headers.origin).toBeUndefined();
  });
});

describe('chat and generate', () => {
  it('streams every chunk up to done:true, reports headers first, sends stream:true', async () => {
    fake.queueScenario({ tokens: ['Hel', 'lo ', 'wörld ', '😀'], doneReason: 'stop' });
    const events: string[] = [];
    const req = deepFreeze(ask('hello'));
    const chunks: ChatChunk[] = [];
    for await (const c of client().chat(req, { onResponse: () => events.push('headers') })) {
      events.push('chunk');
      chunks.push(c);
    }
    expect(events[0]).toBe('headers');
    expect(events.filter((e) => e === 'headers')).toHaveLength(1);
    expect(text(chunks)).toBe('Hello wörld 😀');
    const last = chunks.at(-1)!;
    expect(last.done).toBe(true);
    expect(last.done_reason).toBe('stop');
    expect(last.eval_count).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => !c.done)).toBe(true);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/api/chat');
    expect(sent.body).toEqual({ ...req, stream: true });
    expect(req).not.toHaveProperty('stream');
    expect(sent.headers['content-type']).toBe('application/json');
  });

  it('chatOnce sends stream:false and returns the whole reply', async () => {
    fake.queueScenario({ reply: 'All at once.' });
    const reply = await client().chatOnce(ask('x'));
    expect(reply.done).toBe(true);
    expect(reply.message.content).toBe('All at once.');
    expect(fake.requests.at(-1)!.body).toMatchObject({ stream: false });
  });

  it('generate and generateOnce use the response field', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c'] });
    const chunks = await drain(client().generate({ model: 'gemma3:4b', prompt: 'p' }));
    expect(chunks.map((c) => c.response).join('')).toBe('abc');
    expect(chunks.at(-1)!.done).toBe(true);
    expect(fake.requests.at(-1)!).toMatchObject({
      path: '/api/generate',
      body: { prompt: 'p', stream: true }
    });
    fake.queueScenario({ reply: 'whole' });
    const once = await client().generateOnce({ model: 'gemma3:4b', prompt: 'p' });
    expect(once.response).toBe('whole');
    expect(fake.requests.at(-1)!.body).toMatchObject({ stream: false });
  });

  it.each([['every-byte' as const], [3], [[1, 2, 5, 40, 41, 42, 43]]])(
    'reassembles lines and split UTF-8 when writes are cut (%j)',
    async (splitWritesAt) => {
      fake.queueScenario({ tokens: ['😀', 'ü', '漢字', '\n', 'end'], splitWritesAt });
      const chunks = await drain(client().chat(ask('x')));
      expect(text(chunks)).toBe('😀ü漢字\nend');
      expect(chunks.at(-1)!.done).toBe(true);
    }
  );

  it('an error line after some chunks is STREAM_ERROR with the server text; the chunks came first', async () => {
    fake.queueScenario({
      tokens: ['a', 'b', 'c', 'd'],
      errorAfterChunks: { n: 2, message: 'runner crashed' }
    });
    const got: ChatChunk[] = [];
    const e = await caught(() => drain(client().chat(ask('x')), got));
    expect(e.code).toBe('STREAM_ERROR');
    expect(e.detail?.serverError).toBe('runner crashed');
    expect(got).toHaveLength(2);
  });

  it('a cut connection is STREAM_BROKEN after the chunks it had', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], cutAfterChunks: 2 });
    const got: ChatChunk[] = [];
    const e = await caught(() => drain(client().chat(ask('x')), got));
    expect(e.code).toBe('STREAM_BROKEN');
    expect(text(got)).toBe('ab');
  });

  it('a chat for a model that is not installed is MODEL_NOT_FOUND', async () => {
    const e = await caught(() =>
      drain(client().chat({ model: 'ghost', messages: [{ role: 'user', content: 'x' }] }))
    );
    expect(e.code).toBe('MODEL_NOT_FOUND');
  });

  it.each([
    [500, 'option "stop" must be of type array', 'HTTP_ERROR'],
    [503, 'server busy, please try again.  maximum pending requests exceeded', 'HTTP_ERROR'],
    [400, '"gemma3:4b" does not support thinking', 'HTTP_ERROR'],
    [404, "model 'gemma3:4b' not found", 'MODEL_NOT_FOUND'],
    [401, 'unauthorized', 'AUTH_REQUIRED']
  ])('HTTP %i before the stream → %s with status and server text', async (status, error, code) => {
    fake.queueScenario({ httpError: { status, error } });
    const e = await caught(() => drain(client().chat(ask('x'))));
    expect(e.code).toBe(code);
    expect(e.detail).toMatchObject({ status, serverError: error });
    fake.queueScenario({ httpError: { status, error } });
    const e2 = await caught(() => client().chatOnce(ask('x')));
    expect(e2.code).toBe(code);
  });
});

describe('timeouts and aborts', () => {
  it('a cold load longer than firstByteMs is TIMEOUT, and the server sees the hang-up', async () => {
    fake.queueScenario({ firstByteDelayMs: 2000 });
    const t0 = Date.now();
    const e = await caught(() => drain(client({ timeouts: { firstByteMs: 300 } }).chat(ask('cold'))));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toContain('first byte');
    expect(Date.now() - t0).toBeLessThan(1500);
    await fake.waitForHangUp((r) => r.path === '/api/chat', 2000);
  });

  it('firstByteMs also bounds chatOnce and load', async () => {
    fake.queueScenario({ firstByteDelayMs: 2000 });
    expect((await caught(() => client({ timeouts: { firstByteMs: 300 } }).chatOnce(ask('x')))).code).toBe(
      'TIMEOUT'
    );
    fake.queueScenario({ firstByteDelayMs: 2000 });
    expect((await caught(() => client({ timeouts: { firstByteMs: 300 } }).load('gemma3:4b'))).code).toBe(
      'TIMEOUT'
    );
  });

  it('aborting during a cold load (before headers) is ABORTED at once; onResponse never fires', async () => {
    fake.queueScenario({ firstByteDelayMs: 3000 });
    const ac = new AbortController();
    let headers = false;
    const run = drain(client().chat(ask('x'), { signal: ac.signal, onResponse: () => (headers = true) }));
    await fake.waitForRequest((r) => r.path === '/api/chat', 2000);
    const t0 = Date.now();
    ac.abort();
    const e = await caught(() => run);
    expect(e.code).toBe('ABORTED');
    expect(Date.now() - t0).toBeLessThan(500);
    expect(headers).toBe(false);
    const hung = await fake.waitForHangUp((r) => r.path === '/api/chat', 2000);
    expect(hung.finished).toBe(false);
  });

  it('aborting mid-stream is ABORTED and the server sees the connection close', async () => {
    fake.queueScenario({ tokens: Array.from({ length: 50 }, (_, i) => `t${i} `), pacingMs: 50 });
    const ac = new AbortController();
    const got: ChatChunk[] = [];
    const e = await caught(async () => {
      for await (const c of client().chat(ask('x'), { signal: ac.signal })) {
        got.push(c);
        if (got.length === 3) ac.abort();
      }
    });
    expect(e.code).toBe('ABORTED');
    expect(got).toHaveLength(3);
    const hung = await fake.waitForHangUp((r) => r.path === '/api/chat', 2000);
    expect(hung.clientHungUp).toBe(true);
    expect(hung.finished).toBe(false);
  });

  it('silence between chunks longer than idleMs is TIMEOUT', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c'], pacingMs: 1500 });
    const got: ChatChunk[] = [];
    const t0 = Date.now();
    const e = await caught(() => drain(client({ timeouts: { idleMs: 300 } }).chat(ask('x')), got));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toContain('between two chunks');
    expect(got.length).toBeGreaterThanOrEqual(1);
    expect(Date.now() - t0).toBeLessThan(1400);
    await fake.waitForHangUp((r) => r.path === '/api/chat', 2000);
  });

  it('a slow but steady stream within idleMs completes', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], pacingMs: 100 });
    const chunks = await drain(client({ timeouts: { idleMs: 400, firstByteMs: 400 } }).chat(ask('x')));
    expect(text(chunks)).toBe('abcd');
  });
});

describe('auth headers', () => {
  it('bearer', async () => {
    fake.requireAuth({ bearer: 'sekrit' });
    const e = await caught(() => client().tags());
    expect(e.code).toBe('AUTH_REQUIRED');
    expect(e.detail?.hint).toBe('check-credentials');
    expect(
      (await caught(() => client({ headers: authHeaders({ kind: 'bearer', token: 'wrong' }) }).tags())).code
    ).toBe('AUTH_REQUIRED');
    const ok = client({ headers: authHeaders({ kind: 'bearer', token: 'sekrit' }) });
    expect((await ok.tags()).models.length).toBeGreaterThan(0);
    expect(text(await drain(ok.chat(ask('x'))))).not.toBe('');
  });

  it('basic', async () => {
    fake.requireAuth({ basic: { username: 'ana', password: 'p@ss:wörd' } });
    expect((await caught(() => client().version())).code).toBe('AUTH_REQUIRED');
    const bad = client({ headers: authHeaders({ kind: 'basic', username: 'ana', password: 'nope' }) });
    expect((await caught(() => bad.version())).code).toBe('AUTH_REQUIRED');
    const ok = client({ headers: authHeaders({ kind: 'basic', username: 'ana', password: 'p@ss:wörd' }) });
    expect(await ok.version()).toBeTruthy();
  });

  it('custom header', async () => {
    fake.requireAuth({ header: { name: 'X-Api-Key', value: 'k-123' } });
    expect((await caught(() => client().ps())).code).toBe('AUTH_REQUIRED');
    const ok = client({
      headers: authHeaders({ kind: 'headers', headers: [{ name: 'X-Api-Key', value: 'k-123' }] })
    });
    expect(await ok.ps()).toEqual({ models: [] });
  });
});

describe('model management', () => {
  it('pull streams progress to success and the model appears in tags', async () => {
    const c = client();
    const statuses: PullStatus[] = await drain(c.pull('tinyllama:latest'));
    expect(statuses[0]!.status).toBe('pulling manifest');
    expect(statuses.at(-1)!.status).toBe('success');
    const progress = statuses.find((s) => s.total !== undefined);
    expect(progress?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: 'tinyllama:latest', stream: true });
    expect((await c.tags()).models.map((m) => m.name)).toContain('tinyllama:latest');
    await c.delete('tinyllama:latest');
  });

  it('pull of an unknown model is STREAM_ERROR (200 then an error line)', async () => {
    const e = await caught(() => drain(client().pull('no-such-model-anywhere')));
    expect(e.code).toBe('STREAM_ERROR');
    expect(e.detail?.serverError).toContain('file does not exist');
  });

  it('aborting a pull closes the connection', async () => {
    const ac = new AbortController();
    const e = await caught(async () => {
      for await (const s of client().pull('phi3:mini', { signal: ac.signal })) {
        if (s.completed !== undefined) ac.abort();
      }
    });
    expect(e.code).toBe('ABORTED');
    await fake.waitForHangUp((r) => r.path === '/api/pull', 2000);
  });

  it('delete sends DELETE with {model}; a missing model is MODEL_NOT_FOUND', async () => {
    const c = client();
    await drain(c.pull('smollm2:135m'));
    await c.delete('smollm2:135m');
    const req = fake.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'DELETE', path: '/api/delete', body: { model: 'smollm2:135m' } });
    expect((await c.tags()).models.map((m) => m.name)).not.toContain('smollm2:135m');
    expect((await caught(() => c.delete('smollm2:135m'))).code).toBe('MODEL_NOT_FOUND');
  });

  it('load sends empty messages (keep_alive only when given); unload sends keep_alive 0', async () => {
    const c = client();
    await c.load('gemma3:4b');
    expect(fake.requests.at(-1)!.body).toEqual({ model: 'gemma3:4b', messages: [] });
    expect(fake.loaded()).toContain('gemma3:4b');
    await c.load('gemma3:4b', '10m');
    expect(fake.requests.at(-1)!.body).toEqual({ model: 'gemma3:4b', messages: [], keep_alive: '10m' });
    await c.unload('gemma3:4b');
    expect(fake.requests.at(-1)!.body).toEqual({ model: 'gemma3:4b', messages: [], keep_alive: 0 });
    expect(fake.loaded()).not.toContain('gemma3:4b');
    expect((await caught(() => c.unload('ghost'))).code).toBe('MODEL_NOT_FOUND');
    expect((await caught(() => c.load('ghost'))).code).toBe('MODEL_NOT_FOUND');
  });
});

describe('host string forms reach the server', () => {
  it.each([
    (p: number) => `127.0.0.1:${p}`,
    (p: number) => ` "127.0.0.1:${p}" `,
    (p: number) => `http://127.0.0.1:${p}/`,
    (p: number) => `:${p}`,
    (p: number) => `0.0.0.0:${p}`,
    (p: number) => `localhost:${p}`
  ])('%s', async (form) => {
    const base = normalizeHost(form(fake.port));
    expect(await new OllamaClient({ baseUrl: base }).version()).toBeTruthy();
  });

  it('[::1] is a different address: the IPv4-only fake refuses it', async () => {
    const base = normalizeHost(`[::1]:${fake.port}`);
    expect(base).toBe(`http://[::1]:${fake.port}`);
    const e = await caught(() => new OllamaClient({ baseUrl: base }).version());
    expect(['CONNECTION_REFUSED', 'SERVER_UNREACHABLE']).toContain(e.code);
  });
});
