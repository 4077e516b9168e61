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
import { createCore, type Core } from '../../electron/main/core/app-core';
import { dispatch } from '../../electron/main/core/dispatch';
import { resolveStaticFile } from '../../electron/main/core/static-files';
import { confStoreFactory } from '../../electron/main/core/store/conf-store-factory';
import { aesFileEncryptor } from '../../electron/main/core/secrets/encrypted-file-secret-store';

export interface HarnessOptions {
  port?: number;
  dataDir: string;
  rendererDir?: string;
  token?: string;
  env?: { OLLAMA_HOST?: string };
  log?: (line: string) => void;
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
    encryptor: aesFileEncryptor(join(options.dataDir, 'harness-secret.key')),
    env: options.env ?? {},
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

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/__tray' || path === '/__tray/click') {
      if (!authorized(request)) return void response.writeHead(403).end();
      if (path === '/__tray') {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        return void response.end(JSON.stringify(core.tray.model()));
      }
      const { id } = JSON.parse(await readBody(request)) as { id: string };
      await core.tray.click(id);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end('{}');
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const sameOrigin = request.headers.origin === `http://127.0.0.1:${port}`;
    if (url.pathname !== '/__harness/socket' || !authorized(request) || !sameOrigin) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      return void socket.destroy();
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let frame: { id: number; name: unknown; input: unknown };
        try {
          frame = JSON.parse(String(data)) as typeof frame;
        } catch {
          return;
        }
        void dispatch(core.handlers, frame.name, frame.input, log).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: frame.id, result }));
        });
      });
    });
  });

  await new Promise<void>((resolveListen) => server.listen(options.port ?? 0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  csp = contentSecurityPolicy([`ws://127.0.0.1:${port}`]);

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
