/**
 * Checks the fake against /work/shared/ollama-api.md with raw fetch and node:http (never our own
 * client): framing, content types, statuses and bodies, keep_alive and /api/ps, pull, auth, CORS.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeOllama, DEFAULT_MODELS, type FakeOllama } from './server';
import { JSON_CT, ndjson, rawRequest, user, type Raw } from './test-http';

let fake: FakeOllama;

beforeAll(async () => {
  fake = await createFakeOllama({ unloadGraceMs: 400, pullChunkMs: 5 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.setModels(DEFAULT_MODELS);
  delete fake.options.clock;
  fake.options.unloadGraceMs = 400;
  fake.options.pullChunkMs = 5;
  fake.options.psBlocksWhileStopping = true;
});

function raw(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  onData?: Parameters<typeof rawRequest>[5]
): Promise<Raw> {
  return rawRequest(fake.url, method, path, body, headers, onData);
}

function post(path: string, body: unknown): Promise<Response> {
  return fetch(fake.url + path, { method: 'POST', body: JSON.stringify(body) });
}

const NS_FIELDS = ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'];

async function ps(): Promise<Record<string, unknown>[]> {
  const res = await fetch(fake.url + '/api/ps');
  return ((await res.json()) as { models: Record<string, unknown>[] }).models;
}

describe('basics', () => {
  it('answers GET and HEAD / with plain text, and /api/version', async () => {
    const get = await raw('GET', '/');
    expect(get.status).toBe(200);
    expect(get.text).toBe('Ollama is running');
    const head = await raw('HEAD', '/');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    const headTags = await raw('HEAD', '/api/tags');
    expect([headTags.status, headTags.headers['content-type'], headTags.text]).toEqual([200, JSON_CT, '']);
    const v = await raw('GET', '/api/version');
    expect(v.headers['content-type']).toBe(JSON_CT);
    expect(JSON.parse(v.text)).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('gives plain-text 404 for an unknown path and 405 for a wrong method', async () => {
    const nf = await raw('GET', '/api/nothing');
    expect([nf.status, nf.headers['content-type'], nf.text]).toEqual([
      404,
      'text/plain',
      '404 page not found'
    ]);
    const na = await raw('GET', '/api/chat');
    expect([na.status, na.headers['content-type'], na.text]).toEqual([
      405,
      'text/plain',
      '405 method not allowed'
    ]);
  });

  it('records requests with headers and parsed bodies, and waits for them', async () => {
    const waiting = fake.waitForRequest((r) => r.path === '/api/show');
    await post('/api/show', { model: 'gemma3:4b' });
    const r = await waiting;
    expect(r.method).toBe('POST');
    expect(r.body).toEqual({ model: 'gemma3:4b' });
    expect(r.headers['host']).toBe(`127.0.0.1:${fake.port}`);
    expect(r.finished).toBe(true);
    expect(r.clientHungUp).toBe(false);
    await expect(fake.waitForRequest((x) => x.path === '/never', 50)).rejects.toThrow(/no matching request/);
  });
});

describe('chat streaming and framing', () => {
  it('streams NDJSON: one object plus newline per write, then a final chunk with int ns metrics', async () => {
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('hello there') });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-ndjson');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    // Each chunk was flushed on its own: every 'data' event is exactly one line.
    for (const c of r.chunks) expect(c.toString('utf8')).toMatch(/^\{[^\n]*\}\n$/);
    const lines = ndjson(r.text);
    const last = lines.at(-1) ?? {};
    const body = lines.slice(0, -1);
    expect(body.every((l) => l['done'] === false && l['model'] === 'llama3.2')).toBe(true);
    const text = body.map((l) => (l['message'] as { content: string }).content).join('');
    expect(text).toMatch(/^You said: hello there\b/);
    expect(last).toMatchObject({
      done: true,
      done_reason: 'stop',
      message: { role: 'assistant', content: '' }
    });
    for (const f of NS_FIELDS) {
      if (f in last) expect(Number.isInteger(last[f]) && (last[f] as number) > 0).toBe(true);
    }
    expect(last['eval_count']).toBe(body.length);
    expect(typeof last['prompt_eval_count']).toBe('number');
    expect(String(lines[0]?.['created_at'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
  });

  it('sends stream:false as one JSON object without a trailing newline', async () => {
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('hi'), stream: false });
    expect(r.headers['content-type']).toBe(JSON_CT);
    expect(r.text.endsWith('}')).toBe(true);
    const body = JSON.parse(r.text) as Record<string, unknown>;
    expect(body).toMatchObject({ done: true, done_reason: 'stop', model: 'llama3.2' });
    expect((body['message'] as { content: string }).content).toMatch(/^You said: hi\b/);
  });

  it('escapes <, > and & the way Go does', async () => {
    fake.setScenario({ reply: 'a <b> & c' });
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x'), stream: false });
    expect(r.text).toContain('a \\u003cb\\u003e \\u0026 c');
    expect((JSON.parse(r.text) as { message: { content: string } }).message.content).toBe('a <b> & c');
  });

  it('echoes the request spelling, ignores case and a missing tag, and lists the full name in ps', async () => {
    const r = await raw('POST', '/api/chat', { model: 'LLAMA3.2', messages: user('x'), stream: false });
    expect(JSON.parse(r.text)).toMatchObject({ model: 'LLAMA3.2' });
    expect((await ps()).map((m) => m['name'])).toEqual(['llama3.2:latest']);
  });

  it('sends no status line before the first chunk exists (cold load), and reports load_duration', async () => {
    fake.queueScenario({ firstByteDelayMs: 300 });
    const r = await raw('POST', '/api/chat', { model: 'gemma3:4b', messages: user('x') });
    expect(r.headersAfterMs).toBeGreaterThanOrEqual(280);
    const last = ndjson(r.text).at(-1) ?? {};
    expect(last['load_duration'] as number).toBeGreaterThanOrEqual(280e6);
    // ps lists it afterwards with expires_at now + keep_alive.
    expect((await ps()).map((m) => m['name'])).toEqual(['gemma3:4b']);
  });

  it('cuts socket writes exactly at the given offsets, inside multi-byte characters too', async () => {
    fake.setScenario({ reply: 'héllo 🌍 wörld', splitWritesAt: [3, 10, 200] });
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    const sizes = r.chunks.map((c) => c.length);
    expect(sizes.slice(0, 3)).toEqual([3, 7, 190]);
    expect(sizes.length).toBe(4);
    const text = ndjson(r.text)
      .map((l) => (l['message'] as { content: string }).content)
      .join('');
    expect(text).toBe('héllo 🌍 wörld');
  });

  it('can send every byte alone, or every N bytes, or all lines in one write', async () => {
    fake.queueScenario({ reply: '🌍🌍', splitWritesAt: 'every-byte' });
    const every = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    expect(every.chunks.every((c) => c.length === 1)).toBe(true);
    expect(every.chunks.some((c) => c[0] !== undefined && c[0] >= 0x80 && c[0] < 0xc0)).toBe(true);
    expect(ndjson(every.text).length).toBe(2);

    fake.queueScenario({ splitWritesAt: 50 });
    const byN = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    expect(byN.chunks.slice(0, -1).every((c) => c.length === 50)).toBe(true);

    fake.queueScenario({ splitWritesAt: [] });
    const one = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('a b c') });
    expect(one.chunks.length).toBe(1);
    expect(ndjson(one.text).length).toBeGreaterThan(3);
  });

  it('uses explicit tokens, pacing and queued scenarios before the default', async () => {
    fake.setScenario({ reply: 'default' });
    fake.queueScenario({ tokens: ['A', 'B', 'C'], pacingMs: 40, repeat: 2 });
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
      const content = ndjson(r.text).map((l) => (l['message'] as { content: string }).content);
      expect(content).toEqual(['A', 'B', 'C', '']);
    }
    const r = await post('/api/chat', { model: 'llama3.2', messages: user('x'), stream: false });
    expect(((await r.json()) as { message: { content: string } }).message.content).toBe('default');
  });

  it('ends with an error line after n chunks (status stays 200, no done)', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], errorAfterChunks: { n: 2, message: 'boom' } });
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    expect(r.status).toBe(200);
    const lines = ndjson(r.text);
    expect(lines.length).toBe(3);
    expect(lines[2]).toEqual({ error: 'boom' });
    expect(lines.some((l) => l['done'] === true)).toBe(false);
    // n beyond the reply: every chunk, then the error, still no done.
    fake.queueScenario({ tokens: ['a'], errorAfterChunks: { n: 5, message: 'late' } });
    const late = ndjson((await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') })).text);
    expect(late.map((l) => l['error'] ?? (l['message'] as { content: string }).content)).toEqual([
      'a',
      'late'
    ]);
    fake.queueScenario({ errorAfterChunks: { n: 1, message: 'quiet' } });
    const quiet = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x'), stream: false });
    expect([quiet.status, quiet.text]).toEqual([500, '{"error":"quiet"}']);
  });

  it('cuts the connection after n chunks without a done chunk', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], cutAfterChunks: 2 });
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    const lines = r.text.split('\n').filter(Boolean);
    expect(lines.length).toBe(2);
    expect(lines.some((l) => l.includes('"done":true'))).toBe(false);
    const rec = fake.requests.find((x) => x.path === '/api/chat');
    expect(rec?.finished).toBe(false);
    expect(rec?.clientHungUp).toBe(false);
  });

  it('holds the stream after n chunks for the pause asked, then finishes it', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'], pauseAfterChunks: { n: 2, ms: 300 } });
    const started = performance.now();
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const lines = r.text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { message: { content: string } });
    expect(lines.map((l) => l.message.content).join('')).toBe('abcd');
    expect(r.text).toContain('"done":true');
  });

  it('returns an httpError scenario as a JSON error before streaming', async () => {
    fake.queueScenario({ httpError: { status: 503, error: 'server busy' } });
    const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') });
    expect([r.status, r.headers['content-type'], r.text]).toEqual([503, JSON_CT, '{"error":"server busy"}']);
  });

  it('stops at num_predict with done_reason length', async () => {
    fake.queueScenario({ tokens: ['a', 'b', 'c', 'd'] });
    const r = await post('/api/chat', {
      model: 'llama3.2',
      messages: user('x'),
      stream: false,
      options: { num_predict: 2 }
    });
    expect(await r.json()).toMatchObject({
      done_reason: 'length',
      message: { content: 'ab' },
      eval_count: 2
    });
  });

  it('sends tool calls whole in a done:false chunk when asked (toolCallsIn: chunk)', async () => {
    fake.queueScenario({
      reply: '',
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }],
      toolCallsIn: 'chunk'
    });
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const r = await raw('POST', '/api/chat', { model: 'qwen3:8b', messages: user('x'), tools, think: false });
    const lines = ndjson(r.text);
    const call = lines.find((l) => (l['message'] as Record<string, unknown>)['tool_calls']);
    expect(call?.['done']).toBe(false);
    expect((call?.['message'] as { tool_calls: unknown[] }).tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{8}$/),
        function: { index: 0, name: 'get_weather', arguments: { city: 'Oslo' } }
      }
    ]);
  });
});

describe('thinking, format, images', () => {
  it('streams thinking first for a thinking model when think is unset, none with think:false', async () => {
    fake.setScenario({ thinking: 'hmm let me see', reply: 'answer' });
    const r = await raw('POST', '/api/chat', { model: 'qwen3:8b', messages: user('x') });
    const msgs = ndjson(r.text).map((l) => l['message'] as { content: string; thinking?: string });
    const firstContent = msgs.findIndex((m) => m.content !== '');
    expect(msgs.slice(0, firstContent).every((m) => m.thinking && m.content === '')).toBe(true);
    expect(msgs.map((m) => m.thinking ?? '').join('')).toBe('hmm let me see');
    expect(msgs.map((m) => m.content).join('')).toBe('answer');
    const off = await post('/api/chat', {
      model: 'qwen3:8b',
      messages: user('x'),
      stream: false,
      think: false
    });
    expect(((await off.json()) as { message: object }).message).toEqual({
      role: 'assistant',
      content: 'answer'
    });
    const gen = await post('/api/generate', { model: 'qwen3:8b', prompt: 'x', stream: false, think: 'high' });
    expect(await gen.json()).toMatchObject({ thinking: 'hmm let me see', response: 'answer' });
  });

  it('rejects think on a model that cannot think, and accepts think:false', async () => {
    const r = await raw('POST', '/api/chat', { model: 'gemma3:4b', messages: user('x'), think: true });
    expect([r.status, r.text]).toEqual([400, '{"error":"\\"gemma3:4b\\" does not support thinking"}']);
    const ok = await post('/api/chat', {
      model: 'gemma3:4b',
      messages: user('x'),
      think: false,
      stream: false
    });
    expect(ok.status).toBe(200);
    const bad = await post('/api/chat', { model: 'qwen3:8b', messages: user('x'), think: 'very' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^invalid think value/);
  });

  it('answers format "json" with a JSON object and a schema with a value that fits it', async () => {
    const j = await post('/api/chat', {
      model: 'llama3.2',
      messages: user('x'),
      format: 'json',
      stream: false
    });
    const text = ((await j.json()) as { message: { content: string } }).message.content;
    expect(typeof JSON.parse(text)).toBe('object');
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', minimum: 50 },
        ok: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        kind: { enum: ['a', 'b'] },
        optional: { type: 'string' }
      },
      required: ['name', 'age', 'ok', 'tags', 'kind']
    };
    const s = await post('/api/generate', { model: 'llama3.2', prompt: 'x', format: schema, stream: false });
    const value = JSON.parse(((await s.json()) as { response: string }).response) as Record<string, unknown>;
    expect(value).toEqual({
      name: expect.any(String),
      age: 50,
      ok: true,
      tags: [expect.any(String)],
      kind: 'a'
    });
    const bad = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x'), format: 'xml' });
    expect(bad.status).toBe(500);
    expect(bad.text).toContain('invalid format');
  });

  it('takes bare base64 images and rejects a data: URL at byte 4', async () => {
    const ok = await post('/api/chat', {
      model: 'gemma3:4b',
      messages: [{ role: 'user', content: 'what is this', images: ['iVBORw0KGgo='] }],
      stream: false
    });
    expect(ok.status).toBe(200);
    const bad = await raw('POST', '/api/chat', {
      model: 'gemma3:4b',
      messages: [{ role: 'user', content: 'x', images: ['data:image/png;base64,iVBORw0KGgo='] }]
    });
    expect([bad.status, bad.headers['content-type'], bad.text]).toEqual([
      400,
      JSON_CT,
      '{"error":"illegal base64 data at input byte 4"}'
    ]);
    const gen = await post('/api/generate', { model: 'gemma3:4b', prompt: 'x', images: ['data:,x'] });
    expect(gen.status).toBe(400);
  });
});

describe('errors', () => {
  it('uses the documented statuses and messages', async () => {
    const cases: [string, unknown, number, string][] = [
      ['/api/chat', { messages: user('x') }, 400, 'model is required'],
      ['/api/generate', { prompt: 'x' }, 404, "model '' not found"],
      ['/api/chat', { model: 'Nope:1b', messages: user('x') }, 404, "model 'Nope:1b' not found"],
      ['/api/generate', { model: 'nope', prompt: 'x' }, 404, "model 'nope' not found"],
      [
        '/api/chat',
        { model: 'llama3.2', messages: user('x'), options: { stop: '\n' } },
        500,
        'option "stop" must be of type array'
      ],
      [
        '/api/chat',
        { model: 'nomic-embed-text', messages: user('x') },
        400,
        '"nomic-embed-text" does not support chat'
      ],
      [
        '/api/chat',
        { model: 'gemma3:4b', messages: user('x'), tools: [{ type: 'function', function: { name: 'f' } }] },
        400,
        'registry.ollama.ai/library/gemma3:4b does not support tools'
      ],
      ['/api/show', { model: 'nope' }, 404, "model 'nope:latest' not found"],
      ['/api/show', {}, 400, 'model is required']
    ];
    for (const [path, body, status, error] of cases) {
      const r = await raw('POST', path, body);
      expect([path, r.status, r.headers['content-type'], r.text]).toEqual([
        path,
        status,
        JSON_CT,
        JSON.stringify({ error })
      ]);
    }
  });

  it('rejects an empty body and malformed JSON with 400', async () => {
    const empty = await raw('POST', '/api/chat', '');
    expect([empty.status, empty.text]).toEqual([400, '{"error":"missing request body"}']);
    const bad = await raw('POST', '/api/chat', '{"model":');
    expect(bad.status).toBe(400);
    const wrongType = await raw('POST', '/api/chat', { model: 5, messages: [] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toContain('cannot unmarshal number');
  });
});

describe('keep_alive and /api/ps', () => {
  const T0 = Date.parse('2025-03-01T12:00:00Z');
  let now = T0;
  const at = (m: Record<string, unknown> | undefined): number => Date.parse(String(m?.['expires_at']));
  const chat = (model: string, extra: Record<string, unknown> = {}): Promise<Response> =>
    post('/api/chat', { model, messages: user('x'), stream: false, ...extra });

  beforeEach(() => {
    now = T0;
    fake.options.clock = () => now;
  });

  it('applies the keep_alive table', async () => {
    const table: [unknown, number | null][] = [
      [undefined, 300_000],
      [60, 60_000],
      [1.5, 1500],
      ['5m', 300_000],
      ['1h30m', 5_400_000],
      ['300ms', 300]
    ];
    for (const [keepAlive, ms] of table) {
      fake.reset();
      fake.options.clock = () => now;
      const r = await chat('llama3.2', keepAlive === undefined ? {} : { keep_alive: keepAlive });
      expect(r.status).toBe(200);
      expect([keepAlive, at((await ps())[0])]).toEqual([keepAlive, T0 + (ms ?? 0)]);
    }
    for (const forever of [-1, '-1m']) {
      fake.reset();
      fake.options.clock = () => now;
      await chat('llama3.2', { keep_alive: forever });
      const expires = String((await ps())[0]?.['expires_at']);
      expect(Number(expires.slice(0, 4))).toBeGreaterThanOrEqual(2300);
    }
  });

  it('rejects keep_alive without a unit, bools and objects with 400', async () => {
    const cases: [unknown, string][] = [
      ['300', 'time: missing unit in duration "300"'],
      ['-1', 'time: missing unit in duration "-1"'],
      [true, "Unsupported type: 'bool'"],
      [{}, "Unsupported type: 'map[string]interface {}'"],
      ['soon', 'time: invalid duration "soon"']
    ];
    for (const [keepAlive, error] of cases) {
      const r = await raw('POST', '/api/chat', {
        model: 'llama3.2',
        messages: user('x'),
        keep_alive: keepAlive
      });
      expect([r.status, r.text]).toEqual([400, JSON.stringify({ error })]);
    }
  });

  it('keeps the runner keep_alive when a later request omits it', async () => {
    await chat('llama3.2', { keep_alive: '1h' });
    now += 10_000;
    await chat('llama3.2');
    expect(at((await ps())[0])).toBe(now + 3_600_000);
    now += 10_000;
    await chat('llama3.2', { keep_alive: '2m' });
    expect(at((await ps())[0])).toBe(now + 120_000);
  });

  it('freezes the expiry timer while a request runs, so expires_at can lie in the past', async () => {
    fake.loadModel('llama3.2', { keepAliveSec: 10 });
    fake.queueScenario({ tokens: ['a', 'b', 'c'], pacingMs: 150 });
    const running = post('/api/chat', { model: 'llama3.2', messages: user('x') }).then((r) => r.text());
    await fake.waitForRequest((r) => r.path === '/api/chat');
    now += 60_000; // long past the 10 s
    const during = await ps();
    expect(during.length).toBe(1);
    expect(at(during[0])).toBe(T0 + 10_000);
    await running;
    expect(at((await ps())[0])).toBe(now + 10_000);
  });

  it('sorts by expires_at (latest first) and has every documented field', async () => {
    fake.loadModel('gemma3:4b', { keepAliveSec: 60 });
    fake.loadModel('qwen3:8b', { keepAliveSec: 600 });
    fake.loadModel('llama3.2', { keepAliveSec: 300, contextLength: 8192 });
    const models = await ps();
    expect(models.map((m) => m['name'])).toEqual(['qwen3:8b', 'llama3.2:latest', 'gemma3:4b']);
    const m = models[1] ?? {};
    expect(Object.keys(m).sort()).toEqual(
      ['context_length', 'details', 'digest', 'expires_at', 'model', 'name', 'size', 'size_vram'].sort()
    );
    expect(m['model']).toBe('llama3.2:latest');
    expect(m['digest']).toMatch(/^[0-9a-f]{64}$/);
    expect(m['context_length']).toBe(8192);
    expect(m['size_vram']).toBe(m['size']);
    expect(m['details']).toMatchObject({ format: 'gguf', family: 'llama', parameter_size: '3.2B' });
    expect(String(m['expires_at'])).toMatch(/(Z|[+-]\d\d:\d\d)$/);
    expect(fake.loaded().sort()).toEqual(['gemma3:4b', 'llama3.2:latest', 'qwen3:8b']);
  });

  it('reloads when num_ctx changes, and context_length follows it', async () => {
    await chat('llama3.2', { options: { num_ctx: 8192 } });
    expect((await ps())[0]?.['context_length']).toBe(8192);
    const same = await chat('llama3.2', { options: { num_ctx: 8192 } });
    expect(((await same.json()) as { load_duration: number }).load_duration).toBeLessThan(100e6);
    // The old runner stops first (unloadGraceMs 400 here), then the new one loads.
    const changed = await chat('llama3.2', { options: { num_ctx: 2048 } });
    expect(((await changed.json()) as { load_duration: number }).load_duration).toBeGreaterThan(350e6);
    expect((await ps())[0]?.['context_length']).toBe(2048);
  });
});

describe('load and unload', () => {
  it('loads with empty messages or an empty prompt, answering JSON even when stream is true', async () => {
    const chatLoad = await raw('POST', '/api/chat', { model: 'gemma3:4b', messages: [], stream: true });
    expect(chatLoad.headers['content-type']).toBe(JSON_CT);
    expect(JSON.parse(chatLoad.text)).toEqual({
      model: 'gemma3:4b',
      created_at: expect.any(String),
      message: { role: 'assistant', content: '' },
      done_reason: 'load',
      done: true
    });
    const genLoad = await raw('POST', '/api/generate', { model: 'llama3.2' });
    expect(JSON.parse(genLoad.text)).toMatchObject({ response: '', done: true, done_reason: 'load' });
    expect(fake.loaded().sort()).toEqual(['gemma3:4b', 'llama3.2:latest']);
  });

  it('unloads at once; ps waits while the runner stops (D6), or lists it meanwhile with that off', async () => {
    fake.loadModel('gemma3:4b');
    const r = await raw('POST', '/api/chat', { model: 'gemma3:4b', messages: [], keep_alive: 0 });
    expect(r.headers['content-type']).toBe(JSON_CT);
    expect(JSON.parse(r.text)).toMatchObject({ done: true, done_reason: 'unload' });
    expect(fake.loaded()).toEqual([]);
    const blocked = await raw('GET', '/api/ps');
    expect(blocked.headersAfterMs).toBeGreaterThanOrEqual(350);
    expect(JSON.parse(blocked.text)).toEqual({ models: [] });

    fake.options.psBlocksWhileStopping = false;
    fake.loadModel('gemma3:4b');
    await raw('POST', '/api/chat', { model: 'gemma3:4b', messages: [], keep_alive: 0 });
    const lingering = await ps();
    expect(lingering.map((m) => m['name'])).toEqual(['gemma3:4b']);
    expect(Date.parse(String(lingering[0]?.['expires_at']))).toBeLessThanOrEqual(Date.now());
    await new Promise((res) => setTimeout(res, 450));
    expect(await ps()).toEqual([]);
  });

  it('answers unload 200 when not loaded, 404 when not installed; generate unloads too', async () => {
    const notLoaded = await post('/api/chat', { model: 'qwen3:8b', messages: [], keep_alive: 0 });
    expect(notLoaded.status).toBe(200);
    expect(await notLoaded.json()).toMatchObject({ done_reason: 'unload' });
    const missing = await raw('POST', '/api/chat', { model: 'ghost', messages: [], keep_alive: 0 });
    expect([missing.status, missing.text]).toEqual([404, `{"error":"model 'ghost' not found"}`]);
    fake.loadModel('llama3.2');
    const gen = await post('/api/generate', { model: 'llama3.2', prompt: '', keep_alive: 0 });
    expect(await gen.json()).toMatchObject({ response: '', done_reason: 'unload' });
    expect(fake.loaded()).toEqual([]);
  });

  it('unloads after the reply when a chat sends keep_alive 0', async () => {
    await post('/api/chat', { model: 'llama3.2', messages: user('x'), keep_alive: 0, stream: false });
    expect(fake.loaded()).toEqual([]);
    expect(fake.requests.at(-1)?.finished).toBe(true);
    expect(await ps()).toEqual([]);
  });
});

describe('generate', () => {
  it('streams response chunks and ends with an int context array', async () => {
    const r = await raw('POST', '/api/generate', { model: 'llama3.2', prompt: 'tell me' });
    const lines = ndjson(r.text);
    const last = lines.at(-1) ?? {};
    expect(
      lines
        .slice(0, -1)
        .map((l) => l['response'])
        .join('')
    ).toMatch(/^You said: tell me\b/);
    expect(last).toMatchObject({ done: true, done_reason: 'stop', response: '' });
    const ctx = last['context'] as number[];
    expect(ctx.length).toBeGreaterThan(0);
    expect(ctx.every((n) => Number.isInteger(n))).toBe(true);
    const rawMode = await post('/api/generate', { model: 'llama3.2', prompt: 'x', raw: true, stream: false });
    expect(await rawMode.json()).not.toHaveProperty('context');
  });
});

describe('tags, show, delete', () => {
  it('lists models newest first with full names, details and capabilities', async () => {
    fake.addModel({ ...DEFAULT_MODELS[2]!, name: 'fresh', modifiedAt: '2030-01-01T00:00:00Z' });
    const body = (await (await fetch(fake.url + '/api/tags')).json()) as {
      models: Record<string, unknown>[];
    };
    expect(body.models[0]?.['name']).toBe('fresh:latest');
    const times = body.models.map((m) => Date.parse(String(m['modified_at'])));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const gemma = body.models.find((m) => m['name'] === 'gemma3:4b');
    expect(gemma).toMatchObject({
      model: 'gemma3:4b',
      capabilities: ['completion', 'vision'],
      details: { family: 'gemma3' }
    });
    expect(gemma?.['digest']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows model_info with <arch>.context_length, capabilities, parameters, template, license', async () => {
    const r = await post('/api/show', { model: 'qwen3:8b' });
    const body = (await r.json()) as Record<string, unknown>;
    const info = body['model_info'] as Record<string, unknown>;
    expect(info['general.architecture']).toBe('qwen3');
    expect(info['qwen3.context_length']).toBe(40960);
    expect(body['capabilities']).toEqual(['completion', 'tools', 'thinking']);
    for (const k of ['parameters', 'template', 'license', 'modelfile']) expect(typeof body[k]).toBe('string');
    const legacy = await post('/api/show', { name: 'QWEN3:8B' });
    expect(legacy.status).toBe(200);
  });

  it('deletes with 200 and an empty body, then 404', async () => {
    const del = await raw('DELETE', '/api/delete', { model: 'llama3.2' });
    expect([del.status, del.text, del.headers['content-length']]).toEqual([200, '', '0']);
    const tags = (await (await fetch(fake.url + '/api/tags')).json()) as { models: { name: string }[] };
    expect(tags.models.map((m) => m.name)).not.toContain('llama3.2:latest');
    const again = await raw('DELETE', '/api/delete', { name: 'llama3.2' });
    expect([again.status, again.text]).toEqual([404, `{"error":"model 'llama3.2' not found"}`]);
  });
});

describe('pull', () => {
  it('streams manifest, layer progress, verify, write, success, and installs only at the end', async () => {
    let listedMidway: boolean | undefined;
    const r = await raw('POST', '/api/pull', { model: 'tinyllama' }, {}, (chunk) => {
      if (listedMidway === undefined && chunk.toString().includes('"completed"')) {
        void fetch(fake.url + '/api/tags')
          .then((t) => t.text())
          .then((t) => (listedMidway = t.includes('tinyllama')));
      }
    });
    expect(r.headers['content-type']).toBe('application/x-ndjson');
    const lines = ndjson(r.text);
    const statuses = lines.map((l) => String(l['status']));
    expect(statuses[0]).toBe('pulling manifest');
    expect(statuses.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    const layers = lines.filter((l) => /^pulling [0-9a-f]{12}$/.test(String(l['status'])));
    const digests = [...new Set(layers.map((l) => l['digest']))];
    expect(digests.length).toBe(2);
    for (const d of digests) {
      const mine = layers.filter((l) => l['digest'] === d);
      expect(String(d)).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(String(mine[0]?.['status']).slice(8)).toBe(String(d).slice(7, 19));
      expect(mine[0]).not.toHaveProperty('completed');
      expect(mine.length).toBeGreaterThanOrEqual(10);
      const done = mine.map((l) => (l['completed'] as number | undefined) ?? 0);
      expect([...done].sort((a, b) => a - b)).toEqual(done);
      expect(done.at(-1)).toBe(mine[0]?.['total']);
    }
    expect(listedMidway).toBe(false);
    const show = await post('/api/show', { model: 'tinyllama' });
    expect(show.status).toBe(200);
  });

  it('answers an unknown model with 200 and then an error line', async () => {
    const r = await raw('POST', '/api/pull', { name: 'no-such-model' });
    expect(r.status).toBe(200);
    expect(ndjson(r.text)).toEqual([
      { status: 'pulling manifest' },
      { error: 'pull model manifest: file does not exist' }
    ]);
    const quiet = await raw('POST', '/api/pull', { model: 'no-such-model', stream: false });
    expect([quiet.status, quiet.text]).toEqual([500, '{"error":"pull model manifest: file does not exist"}']);
    const ok = await raw('POST', '/api/pull', { model: 'phi3:mini', stream: false });
    expect([ok.status, ok.headers['content-type'], ok.text]).toEqual([200, JSON_CT, '{"status":"success"}']);
    const bad = await raw('POST', '/api/pull', { model: 'bad name!' });
    expect([bad.status, bad.text]).toEqual([400, '{"error":"invalid model name"}']);
  });

  it('records a client hang-up and does not install the model', async () => {
    fake.options.pullChunkMs = 20;
    await raw('POST', '/api/pull', { model: 'phi3:mini' }, {}, (chunk, req) => {
      if (chunk.toString().includes('"completed"')) req.destroy();
    }).catch(() => undefined);
    const rec = await fake.waitForHangUp((r) => r.path === '/api/pull', 2000);
    expect(rec.finished).toBe(false);
    await new Promise((res) => setTimeout(res, 100));
    expect((await post('/api/show', { model: 'phi3:mini' })).status).toBe(404);
  });
});

describe('hang-ups', () => {
  it('records a client that leaves mid-stream', async () => {
    fake.queueScenario({ tokens: Array.from({ length: 50 }, () => 'x'), pacingMs: 20 });
    await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') }, {}, (_c, req) =>
      req.destroy()
    ).catch(() => undefined);
    const rec = await fake.waitForHangUp((r) => r.path === '/api/chat', 2000);
    expect(rec).toMatchObject({ clientHungUp: true, finished: false });
  });

  it('records a client that leaves during a cold load, before any header', async () => {
    fake.queueScenario({ firstByteDelayMs: 5000 });
    const req = request(fake.url + '/api/chat', { method: 'POST' });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ model: 'llama3.2', messages: user('x') }));
    await fake.waitForRequest((r) => r.path === '/api/chat');
    req.destroy();
    const rec = await fake.waitForHangUp((r) => r.path === '/api/chat', 1000);
    expect(rec.finished).toBe(false);
  });
});

describe('CORS, host check and auth', () => {
  it('allows no Origin and local/app origins, and refuses others with an empty 403', async () => {
    for (const origin of [
      'http://localhost:5173',
      'https://127.0.0.1',
      'http://0.0.0.0:3000',
      'app://desk',
      'file://'
    ]) {
      const r = await raw('GET', '/api/tags', undefined, { origin });
      expect([origin, r.status, r.headers['access-control-allow-origin']]).toEqual([origin, 200, origin]);
    }
    for (const origin of ['http://evil.example', 'null', 'chrome-extension://abc']) {
      const r = await raw('POST', '/api/chat', { model: 'llama3.2', messages: user('x') }, { origin });
      expect([origin, r.status, r.text, r.headers['content-length']]).toEqual([origin, 403, '', '0']);
    }
    const foreignHost = await raw('GET', '/api/tags', undefined, { host: 'attacker.example' });
    expect([foreignHost.status, foreignHost.text]).toEqual([403, '']);
    const localHost = await raw('GET', '/api/tags', undefined, { host: 'localhost:11434' });
    expect(localHost.status).toBe(200);
  });

  it('demands the configured credentials with 401 {"error":"unauthorized"}', async () => {
    fake.requireAuth({ bearer: 's3cret' });
    const none = await raw('GET', '/api/tags');
    expect([none.status, none.headers['content-type'], none.text]).toEqual([
      401,
      JSON_CT,
      '{"error":"unauthorized"}'
    ]);
    expect((await raw('GET', '/api/tags', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await raw('GET', '/api/tags', undefined, { authorization: 'Bearer s3cret' })).status).toBe(200);

    fake.requireAuth({ basic: { username: 'ann', password: 'pä ss' } });
    const basic = 'Basic ' + Buffer.from('ann:pä ss').toString('base64');
    expect((await raw('GET', '/api/ps', undefined, { authorization: basic })).status).toBe(200);
    expect((await raw('GET', '/api/ps', undefined, { authorization: 'Basic eDp5' })).status).toBe(401);

    fake.requireAuth({ header: { name: 'X-Api-Key', value: 'k1' } });
    expect((await raw('GET', '/', undefined, { 'x-api-key': 'k1' })).status).toBe(200);
    expect((await raw('GET', '/', undefined, { 'x-api-key': 'k2' })).status).toBe(401);

    fake.requireAuth(null);
    expect((await raw('GET', '/')).status).toBe(200);
  });
});

describe('options', () => {
  it('prints expires_at and modified_at with the configured offset, created_at in UTC', async () => {
    const other = await createFakeOllama({
      utcOffsetMinutes: 120,
      clock: () => Date.parse('2025-01-01T10:00:00Z')
    });
    try {
      await fetch(other.url + '/api/chat', {
        method: 'POST',
        body: JSON.stringify({ model: 'llama3.2', messages: [], keep_alive: '1m' })
      });
      const body = (await (await fetch(other.url + '/api/ps')).json()) as {
        models: { expires_at: string }[];
      };
      expect(body.models[0]?.expires_at).toBe('2025-01-01T12:01:00+02:00');
      const tags = (await (await fetch(other.url + '/api/tags')).json()) as {
        models: { modified_at: string }[];
      };
      expect(tags.models[0]?.modified_at).toBe('2025-06-12T11:30:00+02:00');
      const chat = await fetch(other.url + '/api/chat', {
        method: 'POST',
        body: JSON.stringify({ model: 'llama3.2', messages: user('x'), stream: false })
      });
      expect(((await chat.json()) as { created_at: string }).created_at).toBe('2025-01-01T10:00:00Z');
    } finally {
      await other.close();
    }
  });
});
