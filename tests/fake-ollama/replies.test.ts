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

const tagsList = async (): Promise<Record<string, unknown>[]> =>
  (JSON.parse((await raw('GET', '/api/tags')).text) as { models: Record<string, unknown>[] }).models;

describe('D9: capabilities in /api/tags vs /api/show', () => {
  it('leaves thinking and tools out of tags for a native-template model; show and chat have them', async () => {
    fake.addModel({ ...DEFAULT_MODELS[1]!, name: 'hf.co/org/qwen3-gguf:Q4_K_M', nativeTemplate: true });
    const listed = (await tagsList()).find((m) => m['name'] === 'hf.co/org/qwen3-gguf:q4_k_m');
    expect(listed?.['capabilities']).toEqual(['completion']);
    const show = await raw('POST', '/api/show', { model: 'hf.co/org/qwen3-gguf:Q4_K_M' });
    expect((JSON.parse(show.text) as { capabilities: string[] }).capabilities).toEqual([
      'completion',
      'tools',
      'thinking'
    ]);
    // The server still thinks by default.
    fake.queueScenario({ thinking: 'hmm', reply: 'ok' });
    const r = await chat({ model: 'hf.co/org/qwen3-gguf:Q4_K_M', stream: false });
    expect(JSON.parse(r.text)).toMatchObject({ message: { thinking: 'hmm', content: 'ok' } });
    expect((await tagsList()).find((m) => m['name'] === 'qwen3:8b')?.['capabilities']).toEqual([
      'completion',
      'tools',
      'thinking'
    ]);
  });
});

describe('D10: tool calls in native mode', () => {
  it('sends the calls in the done:true chunk, not in a chunk of their own', async () => {
    fake.queueScenario({
      reply: 'Checking.',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }]
    });
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const r = await chat({ model: 'qwen3:8b', tools, think: false });
    const lines = ndjson(r.text);
    const withCalls = lines.filter((l) => (l['message'] as Record<string, unknown>)['tool_calls']);
    expect(withCalls.length).toBe(1);
    expect(withCalls[0]).toMatchObject({
      done: true,
      message: { tool_calls: [{ function: { index: 0, name: 'get_weather', arguments: { city: 'Oslo' } } }] }
    });
    expect(
      lines
        .slice(0, -1)
        .map((l) => (l['message'] as { content: string }).content)
        .join('')
    ).toBe('Checking.');
  });
});

describe('D15: context and embedding lengths in /api/tags', () => {
  it('fills details.context_length and details.embedding_length from the model', async () => {
    const gemma = (await tagsList()).find((m) => m['name'] === 'gemma3:4b');
    expect(gemma?.['details']).toMatchObject({
      context_length: 131072,
      embedding_length: 3072,
      family: 'gemma3'
    });
  });
});

describe('D16: metrics', () => {
  it('has load_duration on warm replies too, and counts cached prompt tokens without their time', async () => {
    const first = JSON.parse((await chat({ model: 'llama3.2', stream: false })).text) as Record<
      string,
      number
    > & {
      message: { content: string };
    };
    const history = [
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: first.message.content },
      { role: 'user', content: 'and more' }
    ];
    const warm = JSON.parse(
      (await chat({ model: 'llama3.2', messages: history, stream: false })).text
    ) as Record<string, number>;
    expect(warm['load_duration']).toBeGreaterThan(0);
    expect(warm['prompt_eval_count']!).toBeGreaterThan(first['prompt_eval_count']!);
    // Only the new tokens were evaluated: less time per counted token than a prompt with no cache.
    const perToken = (r: Record<string, number>): number =>
      r['prompt_eval_duration']! / r['prompt_eval_count']!;
    expect(perToken(warm)).toBeLessThan(perToken(first) * 0.8);
  });
});

describe('D17: error wording', () => {
  it('words think, show, invalid-name and capability errors as Ollama does', async () => {
    const cases: [string, unknown, number, string][] = [
      [
        '/api/chat',
        { model: 'qwen3:8b', messages: user('x'), think: 'x' },
        400,
        'invalid think value: "x" (must be "high", "medium", "low", "max", true, or false)'
      ],
      [
        '/api/chat',
        { model: 'qwen3:8b', messages: user('x'), think: 1 },
        400,
        'think must be a boolean or string ("high", "medium", "low", "max", true, or false)'
      ],
      ['/api/show', { model: 'ghost' }, 404, "model 'ghost:latest' not found"],
      ['/api/show', { model: 'bad name!' }, 400, 'invalid model name'],
      ['/api/chat', { model: 'bad name!', messages: user('x') }, 400, 'invalid model name'],
      [
        '/api/chat',
        { model: 'nomic-embed-text', messages: user('x'), think: true },
        400,
        '"nomic-embed-text" does not support thinking'
      ]
    ];
    for (const [path, body, status, error] of cases) {
      const r = await raw('POST', path, body);
      expect([path, r.status, r.text]).toEqual([path, status, JSON.stringify({ error })]);
    }
    const del = await raw('DELETE', '/api/delete', { model: 'bad name!' });
    expect([del.status, del.text]).toEqual([400, JSON.stringify({ error: 'name "bad name!" is invalid' })]);
  });
});

describe('D18: /api/show body', () => {
  it('always carries tensors, and the modelfile header names the blob', async () => {
    const body = JSON.parse((await raw('POST', '/api/show', { model: 'llama3.2' })).text) as {
      tensors: { name: string; type: string; shape: number[] }[];
      modelfile: string;
    };
    expect(body.tensors.length).toBeGreaterThan(200);
    expect(body.tensors[0]).toEqual({
      name: 'token_embd.weight',
      type: expect.any(String),
      shape: expect.any(Array)
    });
    expect(body.modelfile).toMatch(/^# Modelfile generated by "ollama show"\n# To build a new Modelfile/);
    expect(body.modelfile).toMatch(/\nFROM \/\S+\/blobs\/sha256-[0-9a-f]{64}\n/);
  });
});

describe('D19: host check and CORS details', () => {
  it('refuses link-local and 0/8 hosts, answers an allowed preflight before the host check, takes origin wildcards', async () => {
    for (const host of ['169.254.10.1:11434', '[fe80::1]:11434', '0.1.2.3:11434']) {
      const r = await rawRequest(fake.url, 'GET', '/api/tags', undefined, { host });
      expect([host, r.status, r.text]).toEqual([host, 403, '']);
    }
    for (const host of ['0.0.0.0:11434', '10.1.2.3', '[::1]:11434']) {
      expect([host, (await rawRequest(fake.url, 'GET', '/api/version', undefined, { host })).status]).toEqual(
        [host, 200]
      );
    }
    const preflight = await rawRequest(fake.url, 'OPTIONS', '/api/chat', undefined, {
      host: 'attacker.example',
      origin: 'http://localhost:5173'
    });
    expect(preflight.status).toBe(204);
    const wild = await createFakeOllama({ origins: ['https://*.example.com'] });
    try {
      const ok = await rawRequest(wild.url, 'GET', '/api/version', undefined, {
        origin: 'https://app.example.com'
      });
      const no = await rawRequest(wild.url, 'GET', '/api/version', undefined, {
        origin: 'https://example.org'
      });
      expect([ok.status, no.status]).toEqual([200, 403]);
    } finally {
      await wild.close();
    }
  });
});

describe('D21: formats', () => {
  it('prints Z at offset 0, sorts ps by whole seconds, reports a release version', async () => {
    const utc = await createFakeOllama({
      utcOffsetMinutes: 0,
      clock: () => Date.parse('2025-01-01T10:00:00.250Z')
    });
    try {
      utc.loadModel('gemma3:4b', { keepAliveSec: 60 });
      utc.loadModel('llama3.2', { keepAliveSec: 60.5 });
      const ps = JSON.parse((await rawRequest(utc.url, 'GET', '/api/ps')).text) as {
        models: { name: string; expires_at: string }[];
      };
      expect(ps.models.map((m) => m.expires_at)).toEqual([
        '2025-01-01T10:01:00.25Z',
        '2025-01-01T10:01:00.75Z'
      ]);
      // Same whole second: the order they were loaded, not the later expiry first.
      expect(ps.models.map((m) => m.name)).toEqual(['gemma3:4b', 'llama3.2:latest']);
      const tags = JSON.parse((await rawRequest(utc.url, 'GET', '/api/tags')).text) as {
        models: { modified_at: string }[];
      };
      expect(tags.models[0]?.modified_at).toBe('2025-06-12T09:30:00Z');
      const v = JSON.parse((await rawRequest(utc.url, 'GET', '/api/version')).text) as { version: string };
      expect(v.version).toBe('0.33.0');
    } finally {
      await utc.close();
    }
  });
});
