/**
 * No hidden transport limits (real-ollama.md D2): undici's fetch gives up after 300 s without
 * headers and after 300 s of silence in a body, below our own first-byte and idle limits, and a real
 * Ollama sends no header until the model is loaded. Here undici's global defaults are shortened to
 * 1 s, so a server that holds its headers (or pauses its body) for 2.5 s trips them; the client must
 * not care, because its own dispatcher has no such limits and its RequestGuard decides.
 */
import type http from 'node:http';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { caught, drain } from './expect-helpers';
import { httpServer, type LocalServer } from './local-servers';

const SHORT_DEFAULT_MS = 1000;
const HOLD_MS = 2500;

let original: Dispatcher;
const shortened = new Agent({ headersTimeout: SHORT_DEFAULT_MS, bodyTimeout: SHORT_DEFAULT_MS });
beforeAll(() => {
  original = getGlobalDispatcher();
  setGlobalDispatcher(shortened);
});
afterAll(async () => {
  setGlobalDispatcher(original);
  await shortened.close();
});

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: http.RequestListener): Promise<LocalServer> {
  const s = await httpServer(handler);
  servers.push(s);
  return s;
}

const line = (o: unknown) => JSON.stringify(o) + '\n';
const chunk = (content: string, done = false) =>
  line({ model: 'm', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content }, done });

/** Headers only after HOLD_MS, like a real server during a cold load. */
const slowHeaders = (body = chunk('hello') + chunk('', true)): Promise<LocalServer> =>
  serve((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.end(body);
    }, HOLD_MS);
  });

/** Headers and one chunk at once, then HOLD_MS of silence before the rest. */
const pausedBody = (): Promise<LocalServer> =>
  serve((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.write(chunk('hel'));
    setTimeout(() => res.end(chunk('lo') + chunk('', true)), HOLD_MS);
  });

const generous = { firstByteMs: 20_000, idleMs: 20_000, metaMs: 20_000 };

describe('the transport leaves the limits to the request guard', () => {
  it('the shortened defaults do trip on these servers (the runtime fetch, as the client used before)', async () => {
    const headers = await slowHeaders();
    await expect(fetch(`${headers.url}/api/chat`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      cause: { code: 'UND_ERR_HEADERS_TIMEOUT' }
    });
    const body = await pausedBody();
    const res = await fetch(`${body.url}/api/chat`, { method: 'POST', body: '{}' });
    await expect(res.text()).rejects.toMatchObject({ cause: { code: 'UND_ERR_BODY_TIMEOUT' } });
  });

  it('a reply whose headers come later than the transport default arrives whole', async () => {
    const s = await slowHeaders();
    const client = new OllamaClient({ baseUrl: s.url, timeouts: generous });
    const chunks = await drain(client.chat({ model: 'm', messages: [] }));
    expect(chunks.map((c) => c.message.content).join('')).toBe('hello');
    expect(chunks.at(-1)?.done).toBe(true);
  });

  it('a body that pauses longer than the transport default arrives whole', async () => {
    const s = await pausedBody();
    const client = new OllamaClient({ baseUrl: s.url, timeouts: generous });
    const chunks = await drain(client.chat({ model: 'm', messages: [] }));
    expect(chunks.map((c) => c.message.content).join('')).toBe('hello');
  });

  it('a non-streaming call (load, title) waits as long as firstByteMs says, too', async () => {
    const s = await slowHeaders(JSON.stringify({ model: 'm', response: 'A title', done: true }));
    const client = new OllamaClient({ baseUrl: s.url, timeouts: generous });
    const reply = await client.generateOnce({ model: 'm', prompt: 'title?' });
    expect(reply.response).toBe('A title');
  });

  it('our own first-byte limit still decides: shorter than the hold, it is a TIMEOUT, not unreachable', async () => {
    const s = await slowHeaders();
    const client = new OllamaClient({ baseUrl: s.url, timeouts: { ...generous, firstByteMs: 1200 } });
    const e = await caught(() => drain(client.chat({ model: 'm', messages: [] })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.detail?.hint).toBe('raise-timeout');
  });
});
