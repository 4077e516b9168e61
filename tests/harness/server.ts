/**
 * The browser harness: the real main-process core under plain Node, the built renderer served over
 * HTTP on 127.0.0.1, and `window.ollamaDesk` over a WebSocket that requires a per-run token. Test-only
 * routes expose the tray-menu model (GET /__tray) and click its items (POST /__tray/click).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Emit } from '../../shared/contract';
import { contentSecurityPolicy } from '../../shared/csp';
import { createCore, type Core, type CoreDeps } from '../../electron/main/core/app-core';
import { dispatch } from '../../electron/main/core/dispatch';
import { resolveStaticFile } from '../../electron/main/core/static-files';
import { confStoreFactory } from '../../electron/main/core/store/conf-store-factory';
import { aesFileEncryptor } from '../../electron/main/core/secrets/encrypted-file-secret-store';
import {
  hostAllowed,
  MAX_FRAME_BYTES,
  MAX_TRAY_BODY_BYTES,
  originAllowed,
  parseCallFrame,
  trayClickSchema
} from './guards';

export interface HarnessOptions {
  port?: number;
  dataDir: string;
  rendererDir?: string;
  token?: string;
  env?: { OLLAMA_HOST?: string };
  log?: (line: string) => void;
  /** Tests may pass one that fails, so no real keychain is touched. */
  keytarLoader?: CoreDeps['keytarLoader'];
  /** Stand for Linux without a secret service: no keychain, and safeStorage on basic_text. */
  basicTextSecrets?: boolean;
}

export interface Harness {
  url: string;
  port: number;
  token: string;
  core: Core;
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../..');

async function bridgeScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'tests/harness/bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent'
  });
  return result.outputFiles[0]!.text;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const log = options.log ?? (() => {});
  const rendererDir = options.rendererDir ?? join(ROOT, 'out/renderer');
  const token = options.token ?? randomBytes(24).toString('hex');
  const bridge = await bridgeScript();
  const sockets = new Set<WebSocket>();

  const emit: Emit = (event, payload) => {
    const frame = JSON.stringify({ event, payload });
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
  };

  const core = await createCore({
    dataDir: options.dataDir,
    openStore: confStoreFactory,
    encryptor: {
      ...aesFileEncryptor(join(options.dataDir, 'harness-secret.key')),
      ...(options.basicTextSecrets ? { strength: () => 'weak' as const } : {})
    },
    env: options.env ?? {},
    ...(options.keytarLoader || options.basicTextSecrets
      ? {
          keytarLoader:
            options.keytarLoader ??
            (async () => {
              throw new Error('no secret service (basicTextSecrets)');
            })
        }
      : {}),
    app: {
      version: process.env['npm_package_version'] ?? '0.1.0',
      shell: 'harness',
      platform: process.platform
    },
    emit,
    openExternal: async (url) => log(`openExternal ${url}`),
    log
  });

  let csp = '';
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log(`harness error: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  function authorized(request: IncomingMessage): boolean {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    return url.searchParams.get('token') === token || request.headers['x-harness-token'] === token;
  }

  /** The body as text, or null when it is larger than `limit` bytes. */
  async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > limit) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function trayClick(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request, MAX_TRAY_BODY_BYTES);
    let body: unknown = undefined;
    try {
      body = text === null ? undefined : JSON.parse(text);
    } catch {
      // answered below as a bad request
    }
    const parsed = trayClickSchema.safeParse(body);
    if (!parsed.success) return void response.writeHead(400, { Connection: 'close' }).end();
    await core.tray.click(parsed.data.id);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end('{}');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Every route, the page included: a page served under a foreign host name gets nothing.
    if (!hostAllowed(request.headers.host, port)) return void response.writeHead(403).end();
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/__tray' || path === '/__tray/click') {
      if (!authorized(request)) return void response.writeHead(403).end();
      if (path === '/__tray') {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        return void response.end(JSON.stringify(core.tray.model()));
      }
      if (request.method !== 'POST') return void response.writeHead(405).end();
      return trayClick(request, response);
    }
    if (path === '/__harness/bridge.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      return void response.end(bridge);
    }
    const target = resolveStaticFile(rendererDir, path);
    if (!target) return void response.writeHead(404).end();
    let body: Buffer | string;
    try {
      body = await readFile(target.file);
    } catch {
      return void response.writeHead(404).end('not found');
    }
    if (target.type.startsWith('text/html')) {
      // The bridge is a classic script placed before the app's module script, so it runs first.
      body = body
        .toString('utf8')
        .replace(
          '<head>',
          `<head>\n<meta name="harness-token" content="${token}">\n<script src="/__harness/bridge.js"></script>`
        );
    }
    response.writeHead(200, {
      'Content-Type': target.type,
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-store'
    });
    response.end(body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', (error) => log(`harness socket error: ${error.message}`));
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const allowed = hostAllowed(request.headers.host, port) && originAllowed(request.headers.origin, port);
    if (url.pathname !== '/__harness/socket' || !authorized(request) || !allowed) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      return void socket.destroy();
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A frame over maxPayload or a broken frame closes this socket (1009/1002); the server goes on.
      ws.on('error', (error) => log(`harness websocket error: ${error.message}`));
      ws.on('message', (data, isBinary) => {
        const checked = parseCallFrame(data, isBinary);
        if (!checked.ok) {
          log(`harness refused a frame: ${checked.reason}`);
          if (checked.id !== undefined && ws.readyState === ws.OPEN) {
            const error = { code: 'INVALID_INPUT', message: 'Not a call frame' };
            ws.send(JSON.stringify({ id: checked.id, result: { ok: false, error } }));
          }
          return;
        }
        const { frame } = checked;
        void dispatch(core.handlers, frame.name, frame.input, log).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: frame.id, result }));
        });
      });
    });
  });

  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // CSP takes no IPv6 literal; the page under [::1] reaches its socket through 'self'.
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    core,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await core.dispose();
    }
  };
}
