/**
 * The harness is as strict as the app: every WebSocket frame is checked before use, a broken or huge
 * frame closes only its own socket, and the page, the socket and the tray routes answer only under a
 * loopback Host with our port. After every hostile input it must keep serving.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startHarness, type Harness } from '../../harness/server';
import { MAX_FRAME_BYTES } from '../../harness/guards';
import { dispatch } from '../../../electron/main/core/dispatch';

let harness: Harness;
let dataDir: string;
let rendererDir: string;
const logged: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'harness-guards-data-'));
  rendererDir = await mkdtemp(join(tmpdir(), 'harness-guards-page-'));
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head></head><body>app</body></html>'
  );
  harness = await startHarness({
    dataDir,
    rendererDir,
    // A dead port: the loaded-models monitor has nothing to reach.
    env: { OLLAMA_HOST: '127.0.0.1:9' },
    keytarLoader: async () => {
      throw new Error('no keychain in this test');
    },
    log: (line) => logged.push(line)
  });
});
afterAll(async () => {
  await harness.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(rendererDir, { recursive: true, force: true });
});

const deepArray = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function openSocket(origin = `http://127.0.0.1:${harness.port}`): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/__harness/socket?token=${harness.token}`, {
    origin
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends raw text and waits for the reply that carries `id`. */
function reply(ws: WebSocket, id: number, text: string): Promise<{ ok: boolean; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as { id?: number; result?: never };
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message.result!);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

let nextId = 1000;
async function callWorks(ws: WebSocket): Promise<void> {
  const id = nextId++;
  const result = await reply(ws, id, JSON.stringify({ id, name: 'app:info', input: {} }));
  expect(result.ok).toBe(true);
}

/** GET a path with a given Host header; resolves with the status and body. */
function get(
  path: string,
  host: string,
  options: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: harness.port,
        path,
        method: options.method ?? 'GET',
        // An empty host means no Host header at all.
        setHost: false,
        headers: { ...(host === '' ? {} : { Host: host }), ...options.headers }
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      }
    );
    // The server may answer (and close) before a large body is sent.
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A WebSocket handshake by hand, so Host and Origin can be anything: the status it gets. */
function handshake(host: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: harness.port,
      path: `/__harness/socket?token=${harness.token}`,
      headers: {
        Host: host,
        Origin: origin,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64')
      }
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Node's server answers a request without Host with 400 itself; every other refusal is ours, 403. */
function expectRefused(status: number): void {
  expect([400, 403]).toContain(status);
}

const local = () => `127.0.0.1:${harness.port}`;

async function expectServing(): Promise<void> {
  const page = await get('/', local());
  expect(page.status).toBe(200);
  expect(page.body).toContain('harness-token');
  const ws = await openSocket();
  await callWorks(ws);
  ws.close();
}

describe('harness frames', () => {
  it.each([
    ['null', 'null'],
    ['a number', '1'],
    ['a string', '"app:info"'],
    ['an empty object', '{}'],
    ['an array', '[1,2,3]'],
    ['not JSON', '{"id":'],
    ['an id that is a string', '{"id":"1","name":"app:info"}'],
    ['an id that is a fraction', '{"id":1.5,"name":"app:info"}'],
    ['an id past the safe integers', '{"id":1e300,"name":"app:info"}'],
    ['a name that is an object', '{"id":3,"name":{"toString":1}}'],
    ['extra keys', '{"id":4,"name":"app:info","input":{},"x":1}']
  ])('%s is refused and the socket keeps serving', async (_label, text) => {
    const ws = await openSocket();
    ws.send(text);
    await callWorks(ws);
    ws.close();
  });

  it('a call without input (as the bridge sends one whose input is undefined) is served', async () => {
    const ws = await openSocket();
    expect(await reply(ws, 5, '{"id":5,"name":"settings:get"}')).toMatchObject({ ok: true });
    ws.close();
  });

  it('a call name that is a 100,000-deep array answers INVALID_INPUT', async () => {
    const ws = await openSocket();
    const result = await reply(ws, 7, `{"id":7,"name":${deepArray(100_000)},"input":{}}`);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await callWorks(ws);
    ws.close();
    // The core's own edge (also used by Electron's ipc.ts) refuses it without overflowing too.
    const nested = JSON.parse(deepArray(100_000)) as unknown;
    expect(await dispatch(harness.core.handlers, nested, {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    });
  });

  it('a binary frame and invalid UTF-8 are refused', async () => {
    const ws = await openSocket();
    ws.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    ws.send(Buffer.from('{"id":1,"name":"app:info"}'), { binary: true });
    await callWorks(ws);
    ws.close();
  });

  it('a frame over 64 MiB closes only its own socket (1009); the harness goes on', async () => {
    const other = await openSocket();
    const ws = await openSocket();
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => {});
    ws.send(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20));
    expect(await closed).toBe(1009);
    await callWorks(other);
    other.close();
    await expectServing();
    expect(logged.join('\n')).toMatch(/websocket error/);
  });

  it('keeps serving after 400 random frames (seeded)', async () => {
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const value = (depth: number): unknown => {
      const kind = depth > 4 ? pick(['n', 's', 'b']) : pick(['n', 's', 'b', 'null', 'a', 'o']);
      if (kind === 'n') return pick([0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2]);
      if (kind === 's') return pick(['', 'app:info', 'chat:send', 'x'.repeat(300), '\u0000']);
      if (kind === 'b') return random() < 0.5;
      if (kind === 'null') return null;
      if (kind === 'a') return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [
          pick(['id', 'name', 'input', '__proto__', 'x']),
          value(depth + 1)
        ])
      );
    };
    const ws = await openSocket();
    for (let i = 0; i < 400; i++) {
      const frame =
        random() < 0.2
          ? String.fromCharCode(...Array.from({ length: 20 }, () => random() * 256))
          : JSON.stringify(value(0));
      ws.send(frame);
    }
    await callWorks(ws);
    ws.close();
    await expectServing();
  });
});

describe('harness Host allow-list', () => {
  it('serves the page under 127.0.0.1, localhost and [::1] with our port', async () => {
    for (const host of [local(), `localhost:${harness.port}`, `[::1]:${harness.port}`]) {
      expect((await get('/', host)).status).toBe(200);
    }
  });

  it.each([
    ['a foreign name', (port: number) => `attacker.example:${port}`],
    ['a rebinding name without a port', () => 'attacker.example'],
    ['loopback with another port', (port: number) => `127.0.0.1:${port + 1}`],
    ['no port', () => '127.0.0.1'],
    ['no Host header', () => '']
  ])('refuses %s for the page, the bridge and the tray routes', async (_label, hostOf) => {
    const host = hostOf(harness.port);
    const token = { 'x-harness-token': harness.token };
    expectRefused((await get('/', host)).status);
    expectRefused((await get('/index.html', host)).status);
    expectRefused((await get('/__harness/bridge.js', host)).status);
    const page = await get('/', host);
    expect(page.body).not.toContain(harness.token);
    expectRefused((await get('/__tray', host, { headers: token })).status);
    expectRefused(
      (await get('/__tray/click', host, { method: 'POST', headers: token, body: '{"id":"refresh"}' })).status
    );
    await expectServing();
  });

  it('refuses a socket under a foreign Host or Origin', async () => {
    const port = harness.port;
    expect(await handshake(local(), `http://${local()}`)).toBe(101);
    expect(await handshake(`localhost:${port}`, `http://localhost:${port}`)).toBe(101);
    expect(await handshake(`attacker.example:${port}`, `http://attacker.example:${port}`)).toBe(403);
    expect(await handshake(local(), `http://attacker.example:${port}`)).toBe(403);
    expect(await handshake(`attacker.example:${port}`, `http://${local()}`)).toBe(403);
    await expectServing();
  });

  it('tray routes refuse bad bodies and keep serving', async () => {
    const token = { 'x-harness-token': harness.token };
    for (const body of ['', 'null', '{"id":', '{"id":5}', '[]', `{"id":${deepArray(50_000)}}`]) {
      const result = await get('/__tray/click', local(), { method: 'POST', headers: token, body });
      expect(result.status, body.slice(0, 20)).toBe(400);
    }
    const big = await get('/__tray/click', local(), {
      method: 'POST',
      headers: token,
      body: Buffer.alloc(200_000, 0x20)
    }).catch(() => ({ status: 400, body: '' }));
    expect(big.status).toBe(400);
    expect((await get('/__tray/click', local(), { method: 'POST', body: '{"id":"x"}' })).status).toBe(403);
    expect((await get('/__tray', local(), { headers: token })).status).toBe(200);
    await expectServing();
  });
});
