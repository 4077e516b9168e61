/**
 * Replies the way a real Ollama sends them where our old fake was kinder (/work/shared/real-ollama.md):
 * each test names its D-row and checks status, headers, body and framing as a client sees them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROMPT_TOO_LONG } from './completion';
import { createFakeOllama, DEFAULT_MODELS, type FakeOllama } from './server';
import { JSON_CT, ndjson, rawRequest, user, type Raw } from './test-http';

let fake: FakeOllama;

beforeAll(async () => {
  fake = await createFakeOllama({ unloadGraceMs: 50 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setModels(DEFAULT_MODELS);
  fake.options.cloudSignedIn = false;
});

const raw = (method: string, path: string, body?: unknown): Promise<Raw> =>
  rawRequest(fake.url, method, path, body);
const chat = (body: Record<string, unknown>): Promise<Raw> =>
  raw('POST', '/api/chat', { messages: user('hello'), ...body });

describe('D5: cloud models when not signed in', () => {
  it('answers :cloud and -cloud names with 401 and a signin_url, local ones never', async () => {
    fake.addModel({ ...DEFAULT_MODELS[2]!, name: 'gpt-oss:120b-cloud' });
    for (const model of ['gpt-oss:120b-cloud', 'kimi-k2:cloud']) {
      for (const path of ['/api/chat', '/api/generate']) {
        const r = await raw('POST', path, { model, messages: user('x'), prompt: 'x' });
        expect([model, path, r.status, r.headers['content-type']]).toEqual([model, path, 401, JSON_CT]);
        const body = JSON.parse(r.text) as { error: string; signin_url: string };
        expect(body.error).toBe('unauthorized');
        expect(body.signin_url).toMatch(/^https:\/\/ollama\.com\/connect\?name=[^&]+&key=.+/);
      }
    }
    expect((await chat({ model: 'llama3.2', stream: false })).status).toBe(200);
    fake.options.cloudSignedIn = true;
    expect((await chat({ model: 'gpt-oss:120b-cloud', stream: false })).status).toBe(200);
  });
});

describe('D11: a JSON schema llama-server rejects', () => {
  it('sends 400 whose error is llama-server raw JSON, before any output', async () => {
    const schema = { type: 'object', properties: { when: { type: 'date' } } };
    const r = await chat({ model: 'llama3.2', format: schema });
    expect([r.status, r.headers['content-type']]).toEqual([400, 'application/json']);
    const inner = JSON.parse((JSON.parse(r.text) as { error: string }).error) as {
      error: { code: number; message: string; type: string };
    };
    expect(inner.error).toMatchObject({ code: 400, type: 'invalid_request_error' });
    expect(inner.error.message).toContain('"type":"date"');
    fake.queueScenario({ schemaError: 'Unsupported pattern syntax' });
    const knob = await chat({
      model: 'llama3.2',
      stream: false,
      format: { type: 'string', pattern: '(?=x)' }
    });
    expect(knob.status).toBe(400);
    expect((JSON.parse(knob.text) as { error: string }).error).toBe(
      '{"error":{"code":400,"message":"Unsupported pattern syntax","type":"invalid_request_error"}}'
    );
  });
});

describe('D12: prompt longer than the context with context shift off', () => {
  it('sends 400 with the runner message for a model without context shift, or shift:false', async () => {
    const long = 'word '.repeat(3000); // about 3750 tokens
    fake.addModel({
      ...DEFAULT_MODELS[2]!,
      name: 'deepseek-v2:16b',
      family: 'deepseek2',
      contextShift: false
    });
    const r = await raw('POST', '/api/chat', {
      model: 'deepseek-v2:16b',
      messages: user(long),
      options: { num_ctx: 2048 }
    });
    expect([r.status, r.text]).toEqual([400, JSON.stringify({ error: PROMPT_TOO_LONG })]);
    const shifted = await chat({
      model: 'llama3.2',
      messages: user(long),
      options: { num_ctx: 2048 },
      stream: false
    });
    expect(shifted.status).toBe(200);
    const off = await chat({
      model: 'llama3.2',
      messages: user(long),
      options: { num_ctx: 2048 },
      shift: false,
      stream: false
    });
    expect([off.status, off.headers['content-type']]).toEqual([400, JSON_CT]);
    const fits = await chat({ model: 'deepseek-v2:16b', options: { num_ctx: 2048 }, stream: false });
    expect(fits.status).toBe(200);
  });
});

describe('D13: a stream that ends cleanly without done', () => {
  it('ends the chunked body properly after n chunks, with no done and no error', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], endCleanlyAfterChunks: 2 });
    const r = await chat({ model: 'llama3.2' });
    expect(r.status).toBe(200);
    expect(r.complete).toBe(true);
    const lines = ndjson(r.text);
    expect(lines.map((l) => (l['message'] as { content: string }).content)).toEqual(['a', 'b']);
    expect(lines.some((l) => 'done' in l && l['done'] !== false)).toBe(false);
    expect(lines.some((l) => 'error' in l)).toBe(false);
    const rec = fake.requests.find((x) => x.path === '/api/chat');
    expect(rec).toMatchObject({ finished: true, clientHungUp: false });
  });
});

describe('D14: no 200 then an error line before any output', () => {
  it('turns errorAfterChunks n:0 into its status with a JSON body', async () => {
    fake.queueScenario({ errorAfterChunks: { n: 0, message: 'model runner has unexpectedly stopped' } });
    const r = await chat({ model: 'llama3.2' });
    expect([r.status, r.headers['content-type'], r.text]).toEqual([
      500,
      'application/json',
      '{"error":"model runner has unexpectedly stopped"}'
    ]);
    fake.queueScenario({ errorAfterChunks: { n: 0, message: 'busy', status: 503 } });
    const quiet = await chat({ model: 'llama3.2', stream: false });
    expect([quiet.status, quiet.headers['content-type'], quiet.text]).toEqual([
      503,
      JSON_CT,
      '{"error":"busy"}'
    ]);
  });
});

describe('D20: /api/tags right after a start', () => {
  it('holds the model list until the cache is ready (tagsReadyAfterMs), not the other calls', async () => {
    const created = performance.now();
    const slow = await createFakeOllama({ tagsReadyAfterMs: 400 });
    try {
      const ps = await rawRequest(slow.url, 'GET', '/api/ps');
      expect(performance.now() - created).toBeLessThan(350);
      expect(ps.status).toBe(200);
      const tags = await rawRequest(slow.url, 'GET', '/api/tags');
      expect(performance.now() - created).toBeGreaterThanOrEqual(390);
      expect((JSON.parse(tags.text) as { models: unknown[] }).models.length).toBe(DEFAULT_MODELS.length);
      const again = await rawRequest(slow.url, 'GET', '/api/tags');
      expect(again.headersAfterMs).toBeLessThan(200);
    } finally {
      await slow.close();
    }
  });
});
