import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { normalizeHost } from '../../../electron/main/core/ollama/host';
import { failedReport, testConnection } from '../../../electron/main/core/profiles/connection-test';
import { closedPort } from '../../fake-ollama/closed-port';
import { createFakeOllama, DEFAULT_MODELS } from '../../fake-ollama/server';
import type { FakeOllama } from '../../fake-ollama/types';

const REFUSED_HINT =
  'Connection refused: is Ollama running, and listening on 0.0.0.0 if it is on another machine?';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        })
    )
  );
});

/** A tiny loopback server of our own for answers the fake does not give. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const client = (baseUrl: string, headers: Record<string, string> = {}) =>
  new OllamaClient({ baseUrl, headers, timeouts: { metaMs: 800 } });

describe('testConnection against the fake Ollama', () => {
  let fake: FakeOllama;
  beforeAll(async () => {
    fake = await createFakeOllama({ version: '0.33.1' });
  });
  afterAll(() => fake.close());
  afterEach(() => fake.reset());

  it('reports version, latency and model count', async () => {
    const report = await testConnection({ baseUrl: fake.url, client: client(fake.url) });
    expect(report).toEqual({
      ok: true,
      baseUrl: fake.url,
      version: '0.33.1',
      latencyMs: expect.any(Number),
      modelCount: DEFAULT_MODELS.length
    });
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.latencyMs).toBeLessThan(5000);
  });

  it('says credentials are needed when the server wants them, and passes with them', async () => {
    fake.requireAuth({ bearer: 'secret-token' });
    const refused = await testConnection({ baseUrl: fake.url, client: client(fake.url) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_REQUIRED' } });
    expect(refused.hint).toMatch(/credentials/);
    const ok = await testConnection({
      baseUrl: fake.url,
      client: client(fake.url, { Authorization: 'Bearer secret-token' })
    });
    expect(ok).toMatchObject({ ok: true, modelCount: DEFAULT_MODELS.length });
  });
});

describe('testConnection failures and hints', () => {
  it('explains a refused connection', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const report = await testConnection({ baseUrl, client: client(baseUrl) });
    expect(report).toMatchObject({
      ok: false,
      baseUrl,
      error: { code: 'CONNECTION_REFUSED' },
      hint: REFUSED_HINT
    });
    expect(report.version).toBeUndefined();
  });

  it('explains a server that never answers with the host and port to check', async () => {
    const baseUrl = await serve(() => {
      /* never answers */
    });
    const report = await testConnection({
      baseUrl,
      client: new OllamaClient({ baseUrl, timeouts: { metaMs: 300 } })
    });
    expect(report.error?.code).toBe('TIMEOUT');
    expect(report.hint).toContain(new URL(baseUrl).host);
    expect(report.hint).toContain(`port ${new URL(baseUrl).port}`);
    expect(report.hint).toMatch(/firewall/);
  });

  it('explains a 403 with an empty body by OLLAMA_HOST and OLLAMA_ORIGINS', async () => {
    const baseUrl = await serve((_req, res) => {
      res.statusCode = 403;
      res.end();
    });
    const report = await testConnection({ baseUrl, client: client(baseUrl) });
    expect(report.error?.code).toBe('ORIGIN_OR_HOST_REFUSED');
    expect(report.hint).toMatch(/OLLAMA_HOST=0\.0\.0\.0/);
    expect(report.hint).toMatch(/OLLAMA_ORIGINS/);
  });

  it('says something else answers when the reply is not Ollama', async () => {
    const baseUrl = await serve((_req, res) => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain');
      res.end('404 page not found');
    });
    const report = await testConnection({ baseUrl, client: client(baseUrl) });
    expect(report.error?.code).toBe('HTTP_ERROR');
    expect(report.hint).toMatch(/not like Ollama/);
  });

  it('keeps the version when only the model list fails', async () => {
    const baseUrl = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/version') return res.end('{"version":"0.9.0"}');
      res.statusCode = 401;
      res.end('{"error":"unauthorized"}');
    });
    const report = await testConnection({ baseUrl, client: client(baseUrl) });
    expect(report).toMatchObject({ ok: false, version: '0.9.0', error: { code: 'AUTH_REQUIRED' } });
    expect(report.latencyMs).toEqual(expect.any(Number));
    expect(report.modelCount).toBeUndefined();
  });

  it('measures latency with the clock it is given, and reports an unexpected failure as INTERNAL', async () => {
    let t = 1000;
    const timed = await testConnection({
      baseUrl: 'http://x:1',
      now: () => t,
      client: {
        version: async () => {
          t += 42;
          return '1.0.0';
        },
        tags: async () => ({ models: [1, 2] })
      }
    });
    expect(timed).toEqual({
      ok: true,
      baseUrl: 'http://x:1',
      version: '1.0.0',
      latencyMs: 42,
      modelCount: 2
    });

    const odd = await testConnection({
      baseUrl: 'http://x:1',
      client: {
        version: () => Promise.reject(new TypeError('boom')),
        tags: async () => ({ models: [] })
      }
    });
    expect(odd).toEqual({ ok: false, baseUrl: 'http://x:1', error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('reports a host that does not parse, with a hint on the accepted forms', () => {
    let error: unknown;
    try {
      normalizeHost('ftp://box');
    } catch (e) {
      error = e;
    }
    const report = failedReport('ftp://box', error);
    expect(report).toMatchObject({ ok: false, error: { code: 'INVALID_HOST' } });
    expect(report.hint).toMatch(/host:port/);
  });
});
