/**
 * OllamaClient against tiny hand-written loopback servers: dead hosts, proxies and broken replies
 * that the fake Ollama does not model.
 */
import type http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { fetchFailure } from '../../../electron/main/core/ollama/errors';
import { closedPort } from '../../fake-ollama/closed-port';
import { httpServer, readBody, silentServer, type LocalServer } from './local-servers';
import { caught, drain } from './expect-helpers';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: http.RequestListener): Promise<LocalServer> {
  const s = await httpServer(handler);
  servers.push(s);
  return s;
}

function client(url: string, timeouts = { firstByteMs: 2000, idleMs: 2000, metaMs: 2000 }) {
  return new OllamaClient({ baseUrl: url, timeouts });
}

const line = (o: unknown) => JSON.stringify(o) + '\n';
const chunk = (content: string, done = false) =>
  line({ model: 'm', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content }, done });

describe('dead hosts', () => {
  it('a closed port is CONNECTION_REFUSED at once, for metadata and for chat', async () => {
    const port = await closedPort();
    const c = client(`http://127.0.0.1:${port}`);
    const t0 = Date.now();
    const e = await caught(() => c.version());
    expect(e.code).toBe('CONNECTION_REFUSED');
    expect(e.detail?.hint).toBe('is-ollama-running');
    expect(e.detail?.url).toBe(`http://127.0.0.1:${port}/api/version`);
    const e2 = await caught(() => drain(c.chat({ model: 'm', messages: [] })));
    expect(e2.code).toBe('CONNECTION_REFUSED');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('a socket that accepts and never answers is a TIMEOUT within metaMs', async () => {
    const s = await silentServer();
    servers.push(s);
    const c = client(s.url, { firstByteMs: 60_000, idleMs: 60_000, metaMs: 300 });
    for (const call of [
      () => c.version(),
      () => c.tags(),
      () => c.ps(),
      () => c.show('m'),
      () => c.delete('m')
    ]) {
      const t0 = Date.now();
      const e = await caught(call);
      const took = Date.now() - t0;
      expect(e.code).toBe('TIMEOUT');
      expect(took).toBeGreaterThanOrEqual(250);
      expect(took).toBeLessThan(1500);
    }
    // An unload waits for a load of that model on a real server (real-ollama.md D1): firstByteMs bounds it.
    const patient = client(s.url, { firstByteMs: 1000, idleMs: 60_000, metaMs: 300 });
    for (const call of [() => patient.unload('m'), () => patient.ps(undefined, true)]) {
      const t0 = Date.now();
      const e = await caught(call);
      expect(e.code).toBe('TIMEOUT');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    }
  });

  it('a connection reset before any response is SERVER_UNREACHABLE', async () => {
    const server = net.createServer((sock) => sock.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const e = await caught(() => client(`http://127.0.0.1:${port}`).tags());
      expect(e.code).toBe('SERVER_UNREACHABLE');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a server that does not speak HTTP is BAD_RESPONSE', async () => {
    const server = net.createServer((sock) => sock.on('data', () => sock.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const e = await caught(() => client(`http://127.0.0.1:${port}`).version());
      expect(e.code).toBe('BAD_RESPONSE');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a port that fetch blocks (6000) is INVALID_HOST without connecting', async () => {
    const e = await caught(() => client('http://127.0.0.1:6000').version());
    expect(e.code).toBe('INVALID_HOST');
    expect(e.detail?.hint).toBe('blocked-port');
  });

  it('maps DNS failures and unknown causes (undici error shapes)', () => {
    const dns = fetchFailure(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND box'), { code: 'ENOTFOUND' })
      }),
      'http://box:11434/api/tags'
    );
    expect(dns.code).toBe('SERVER_UNREACHABLE');
    expect(dns.detail?.hint).toBe('check-host');
    const agg = fetchFailure(
      new TypeError('fetch failed', {
        cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'all failed')
      }),
      'http://localhost:11434/api/tags'
    );
    expect(agg.code).toBe('CONNECTION_REFUSED');
    const unreachable = fetchFailure(
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'EHOSTUNREACH' }) }),
      'u'
    );
    expect(unreachable.code).toBe('SERVER_UNREACHABLE');
  });
});

describe('status codes and bodies', () => {
  it('401 is AUTH_REQUIRED with the check-credentials hint', async () => {
    const s = await serve((_req, res) => {
      res
        .writeHead(401, { 'Content-Type': 'application/json; charset=utf-8' })
        .end('{"error":"unauthorized"}');
    });
    const e = await caught(() => client(s.url).tags());
    expect(e.code).toBe('AUTH_REQUIRED');
    expect(e.detail).toMatchObject({ status: 401, serverError: 'unauthorized', hint: 'check-credentials' });
  });

  it('403 with an empty body is ORIGIN_OR_HOST_REFUSED; 403 with text is HTTP_ERROR', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/api/tags') res.writeHead(403).end();
      else res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"error":"cloud disabled"}');
    });
    const e = await caught(() => client(s.url).tags());
    expect(e.code).toBe('ORIGIN_OR_HOST_REFUSED');
    expect(e.detail).toMatchObject({ status: 403, hint: 'origin-host' });
    const e2 = await caught(() => client(s.url).ps());
    expect(e2.code).toBe('HTTP_ERROR');
    expect(e2.detail).toMatchObject({ status: 403, serverError: 'cloud disabled' });
  });

  it('a JSON 404 on a model endpoint is MODEL_NOT_FOUND whatever its wording; a text 404 is not', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/api/chat') {
        res
          .writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' })
          .end('{"error":"model \\"x\\" not found, try pulling it first"}');
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
      }
    });
    const c = client(s.url);
    const e = await caught(() => drain(c.chat({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })));
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.detail).toMatchObject({ status: 404, serverError: 'model "x" not found, try pulling it first' });
    const e2 = await caught(() => c.show('x'));
    expect(e2.code).toBe('HTTP_ERROR');
    expect(e2.detail).toMatchObject({ status: 404, serverError: '404 page not found', hint: 'not-ollama' });
    const e3 = await caught(() => c.tags());
    expect(e3.code).toBe('HTTP_ERROR');
  });

  it("a proxy's HTML error page is HTTP_ERROR with a piece of the page", async () => {
    const s = await serve((_req, res) => {
      res
        .writeHead(502, { 'Content-Type': 'text/html' })
        .end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const e = await caught(() => drain(client(s.url).chat({ model: 'm', messages: [] })));
    expect(e.code).toBe('HTTP_ERROR');
    expect(e.detail?.status).toBe(502);
    expect(e.detail?.serverError).toContain('502 Bad Gateway');
  });

  it('a 200 HTML page is BAD_RESPONSE, for metadata and inside a stream', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Login</title>');
    });
    expect((await caught(() => client(s.url).tags())).code).toBe('BAD_RESPONSE');
    expect((await caught(() => client(s.url).chatOnce({ model: 'm', messages: [] }))).code).toBe(
      'BAD_RESPONSE'
    );
    const e = await caught(() => drain(client(s.url).chat({ model: 'm', messages: [] })));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.detail?.url).toBe(`${s.url}/api/chat`);
  });

  it('a 200 JSON reply without the expected fields is BAD_RESPONSE', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"hello":"world"}');
    });
    const c = client(s.url);
    expect((await caught(() => c.version())).code).toBe('BAD_RESPONSE');
    expect((await caught(() => drain(c.chat({ model: 'm', messages: [] })))).code).toBe('BAD_RESPONSE');
    expect((await caught(() => drain(c.pull('m')))).code).toBe('BAD_RESPONSE');
  });

  it('null models lists become empty lists', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"models":null}');
    });
    expect(await client(s.url).ps()).toEqual({ models: [] });
    expect(await client(s.url).tags()).toEqual({ models: [] });
  });
});

describe('streams that break', () => {
  it('a stream that ends cleanly without done is STREAM_BROKEN after the chunks it had', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunk('a'));
      res.end(chunk('b'));
    });
    const got: unknown[] = [];
    const e = await caught(() => drain(client(s.url).chat({ model: 'm', messages: [] }), got));
    expect(e.code).toBe('STREAM_BROKEN');
    expect(got).toHaveLength(2);
  });

  it('a connection cut mid-line is STREAM_BROKEN, not BAD_RESPONSE', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunk('a'));
      res.write('{"model":"m","mess', () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const got: unknown[] = [];
    const e = await caught(() => drain(client(s.url).chat({ model: 'm', messages: [] }), got));
    expect(e.code).toBe('STREAM_BROKEN');
    expect(got).toHaveLength(1);
  });

  it('pull without a success line is STREAM_BROKEN', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.end(line({ status: 'pulling manifest' }));
    });
    const got: unknown[] = [];
    const e = await caught(() => drain(client(s.url).pull('m'), got));
    expect(e.code).toBe('STREAM_BROKEN');
    expect(got).toEqual([{ status: 'pulling manifest' }]);
  });
});

describe('timers and aborts on a stalled stream', () => {
  async function stalled(): Promise<LocalServer> {
    return serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunk('first'));
      // ...and then nothing, forever.
    });
  }

  it('idle silence between chunks is TIMEOUT and the server sees the hang-up', async () => {
    const s = await stalled();
    const c = client(s.url, { firstByteMs: 5000, idleMs: 300, metaMs: 5000 });
    const got: unknown[] = [];
    const t0 = Date.now();
    const e = await caught(() => drain(c.chat({ model: 'm', messages: [] }), got));
    expect(e.code).toBe('TIMEOUT');
    expect(e.detail?.hint).toBe('raise-timeout');
    expect(got).toHaveLength(1);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect.poll(() => s.hungUp).toEqual(['POST /api/chat']);
  });

  it('the idle timer does not count time the consumer spends between reads', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(chunk('a'));
      res.write(chunk('b'));
      res.end(chunk('', true));
    });
    const c = client(s.url, { firstByteMs: 5000, idleMs: 150, metaMs: 5000 });
    const got: unknown[] = [];
    for await (const x of c.chat({ model: 'm', messages: [] })) {
      got.push(x);
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(got).toHaveLength(3);
  });

  it('aborting while the consumer holds a chunk closes the connection and ends with ABORTED', async () => {
    const s = await stalled();
    const ac = new AbortController();
    const it = client(s.url).chat({ model: 'm', messages: [] }, { signal: ac.signal });
    const first = await it.next();
    expect(first.done).toBe(false);
    ac.abort();
    await expect.poll(() => s.hungUp).toEqual(['POST /api/chat']);
    const e = await caught(() => it.next());
    expect(e.code).toBe('ABORTED');
  });

  it('breaking out of the loop closes the connection (the server stops generating)', async () => {
    const s = await stalled();
    for await (const x of client(s.url).chat({ model: 'm', messages: [] })) {
      expect(x.message.content).toBe('first');
      break;
    }
    await expect.poll(() => s.hungUp).toEqual(['POST /api/chat']);
  });

  it('a signal aborted before the call sends nothing', async () => {
    let requests = 0;
    const s = await serve((_req, res) => {
      requests++;
      res.end('{}');
    });
    const ac = new AbortController();
    ac.abort();
    const c = client(s.url);
    expect((await caught(() => c.version(ac.signal))).code).toBe('ABORTED');
    expect(
      (await caught(() => drain(c.chat({ model: 'm', messages: [] }, { signal: ac.signal })))).code
    ).toBe('ABORTED');
    expect((await caught(() => c.chatOnce({ model: 'm', messages: [] }, { signal: ac.signal }))).code).toBe(
      'ABORTED'
    );
    expect(requests).toBe(0);
  });

  it('aborting a metadata call on a silent server is ABORTED, not TIMEOUT', async () => {
    const s = await silentServer();
    servers.push(s);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const e = await caught(() => client(s.url).tags(ac.signal));
    expect(e.code).toBe('ABORTED');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('what is sent', () => {
  it('sends no Origin header even when one is configured, and JSON with the right stream flag', async () => {
    const seen: { headers: http.IncomingHttpHeaders; body: string; url: string | undefined }[] = [];
    const s = await serve(async (req, res) => {
      seen.push({ headers: req.headers, body: await readBody(req), url: req.url });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(chunk('', true));
    });
    const c = new OllamaClient({
      baseUrl: `${s.url}/`,
      headers: { Origin: 'http://evil.example', 'X-Key': 'k' }
    });
    expect(c.baseUrl).toBe(s.url);
    await drain(c.chat({ model: 'm', messages: [] }));
    await c.chatOnce({ model: 'm', messages: [] });
    expect(seen).toHaveLength(2);
    for (const r of seen) {
      expect(r.headers.origin).toBeUndefined();
      expect(r.headers['x-key']).toBe('k');
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(JSON.parse(seen[0]!.body)).toEqual({ model: 'm', messages: [], stream: true });
    expect(JSON.parse(seen[1]!.body)).toEqual({ model: 'm', messages: [], stream: false });
  });

  it('uses an injected fetch', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"version":"9.9.9"}');
    });
    const urls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    expect(await new OllamaClient({ baseUrl: s.url, fetch: recording }).version()).toBe('9.9.9');
    expect(urls).toEqual([`${s.url}/api/version`]);
  });

  it('keeps a base path from the host', async () => {
    const paths: string[] = [];
    const s = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"version":"0.1.2"}');
    });
    expect(await client(`${s.url}/ollama`).version()).toBe('0.1.2');
    expect(paths).toEqual(['/ollama/api/version']);
  });
});
