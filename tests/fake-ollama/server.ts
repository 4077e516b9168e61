/**
 * A fake Ollama server on 127.0.0.1 for client, core and end-to-end tests. It follows
 * /work/shared/ollama-api.md (framing, content types, status codes, field names, keep_alive and
 * /api/ps semantics) and, where a real server is harder, /work/shared/real-ollama.md (the scheduler
 * in runners.ts). Scenarios script the next replies; every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { handleCompletion } from './completion';
import { formatTime, localOffsetMinutes } from './go-format';
import { keepAliveSecToMs, parseKeepAlive } from './keep-alive';
import {
  DEFAULT_MODELS,
  PULLABLE_MODELS,
  isValidName,
  modelDigest,
  normalizeName,
  sha256Hex,
  shortName,
  showPayload,
  tagsCapabilities,
  tagsDetails
} from './models';
import { handlePull } from './pull';
import { authOk, hostAllowed, optionsError, originAllowed } from './request-checks';
import { Conn, ReplyWriter } from './reply-writer';
import { RunnerTable } from './runners';
import type {
  AuthRequirement,
  CreateFakeOllamaOptions,
  FakeModel,
  FakeOllama,
  FakeOllamaOptions,
  RecordedRequest,
  Scenario
} from './types';

export type {
  AuthRequirement,
  CreateFakeOllamaOptions,
  FakeModel,
  FakeOllama,
  FakeOllamaOptions,
  FakeToolCall,
  RecordedRequest,
  Scenario
} from './types';
export { DEFAULT_MODELS, PULLABLE_MODELS } from './models';
export { FOREVER_MS } from './keep-alive';

const TEXT_PLAIN = 'text/plain';
const TEXT_UTF8 = 'text/plain; charset=utf-8';
const DEFAULT_WAIT_MS = 5000;
const DEFAULT_VERSION = '0.33.0';
/** The shape of Ollama's sign-in link: this host's name and its public key. */
const DEFAULT_SIGNIN_URL =
  'https://ollama.com/connect?name=fake-ollama&key=' +
  encodeURIComponent(
    Buffer.from('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeOllamaKeyForTests').toString('base64')
  );

type Decoded = { ok: true; body: Record<string, unknown> } | { ok: false; error: string };

/** Go's ShouldBindJSON outcome for a request struct. */
function decodeJson(raw: string, goType: string): Decoded {
  if (raw.trim() === '') return { ok: false, error: 'missing request body' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    const msg = (e as Error).message;
    if (/end of JSON input|Unterminated/i.test(msg)) return { ok: false, error: 'unexpected EOF' };
    const pos = Number(/position (\d+)/.exec(msg)?.[1] ?? 0);
    return { ok: false, error: `invalid character '${raw[pos] ?? ''}' looking for beginning of value` };
  }
  if (parsed === null) return { ok: true, body: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
    return { ok: false, error: `json: cannot unmarshal ${kind} into Go value of type ${goType}` };
  }
  return { ok: true, body: parsed as Record<string, unknown> };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

/** A deterministic L2-normalised vector for /api/embed. */
function embedding(text: string, dims: number): number[] {
  const v: number[] = [];
  let block = Buffer.alloc(0);
  for (let i = 0; i < dims; i++) {
    if (i % 16 === 0) block = Buffer.from(sha256Hex(`${text}:${i}`), 'hex');
    v.push(block.readInt16BE((i % 16) * 2) / 32768);
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export async function createFakeOllama(opts: CreateFakeOllamaOptions = {}): Promise<FakeOllama> {
  const options: FakeOllamaOptions = {
    unloadGraceMs: opts.unloadGraceMs ?? 300,
    pullChunkMs: opts.pullChunkMs ?? 20,
    splitGapMs: opts.splitGapMs ?? 0,
    defaultKeepAliveSec: opts.defaultKeepAliveSec ?? 300,
    loadMs: opts.loadMs ?? 0,
    psBlocksWhileLoading: opts.psBlocksWhileLoading ?? true,
    psBlocksWhileStopping: opts.psBlocksWhileStopping ?? true,
    numParallel: opts.numParallel ?? 1,
    maxLoadedModels: opts.maxLoadedModels ?? 3,
    vramBytes: opts.vramBytes ?? Infinity,
    vramRecoveryMs: opts.vramRecoveryMs ?? 0,
    cloudSignedIn: opts.cloudSignedIn ?? false,
    cloudSigninUrl: opts.cloudSigninUrl ?? DEFAULT_SIGNIN_URL,
    tagsReadyAfterMs: opts.tagsReadyAfterMs ?? 0
  };
  if (opts.clock) options.clock = opts.clock;
  const startedAt = performance.now();
  const clock = (): number => (options.clock ?? Date.now)();
  const offset = (ms: number): number => opts.utcOffsetMinutes ?? localOffsetMinutes(ms);
  // Real servers print nanoseconds: unless a test pinned the clock, count them from a monotonic base.
  const epochNs0 = BigInt(Date.now()) * 1_000_000n;
  const hr0 = process.hrtime.bigint();
  const createdAt = (): string => {
    if (options.clock) return formatTime(options.clock(), null);
    const ns = epochNs0 + (process.hrtime.bigint() - hr0);
    return formatTime(Number(ns / 1_000_000n), null, Number(ns % 1_000_000n));
  };

  // ---------- models ----------
  const installed = new Map<string, FakeModel & { addedAt: number }>();
  const addModel = (m: FakeModel): void => {
    installed.set(normalizeName(m.name), { ...m, addedAt: clock() });
  };
  const setModels = (models: FakeModel[]): void => {
    installed.clear();
    models.forEach(addModel);
  };
  setModels(opts.models ?? DEFAULT_MODELS);
  const pullable = new Map((opts.pullable ?? PULLABLE_MODELS).map((m) => [normalizeName(m.name), m]));
  const lookup = (name: string): FakeModel | undefined => installed.get(normalizeName(name));
  const modifiedMs = (m: FakeModel & { addedAt: number }): number =>
    m.modifiedAt !== undefined ? Date.parse(m.modifiedAt) : m.addedAt;
  const numCtx = (m: FakeModel, requested: unknown): number => {
    const want =
      typeof requested === 'number' && requested > 0
        ? Math.floor(requested)
        : (opts.defaultNumCtx ?? Math.min(4096, m.contextLength));
    return Math.min(want, m.contextLength);
  };

  const runners = new RunnerTable({
    clock,
    stopMs: () => options.unloadGraceMs,
    vramRecoveryMs: (m) => m.vramRecoveryMs ?? options.vramRecoveryMs,
    defaultKeepAliveMs: () => keepAliveSecToMs(options.defaultKeepAliveSec),
    maxLoaded: () => Math.max(1, options.maxLoadedModels),
    vramBytes: () => options.vramBytes,
    numParallel: (m) => m.numParallel ?? options.numParallel,
    psBlocksWhileLoading: () => options.psBlocksWhileLoading,
    psBlocksWhileStopping: () => options.psBlocksWhileStopping
  });

  // ---------- scenarios ----------
  let defaultScenario: Scenario = {};
  const queue: { s: Scenario; left: number }[] = [];
  const scenario = (take: boolean): Scenario => {
    const head = queue[0];
    if (!head) return defaultScenario;
    if (take && --head.left <= 0) queue.shift();
    return head.s;
  };

  // ---------- recording ----------
  const requests: RecordedRequest[] = [];
  const watchers = new Set<() => void>();
  const changed = (): void => {
    for (const w of [...watchers]) w();
  };
  let nextId = 0;
  let auth: AuthRequirement | null = null;
  let closing = false;
  const conns = new Set<Conn>();

  // ---------- endpoints ----------
  type Handler = (ctx: { raw: string; conn: Conn; w: ReplyWriter; arrived: number }) => Promise<void> | void;

  const withBody =
    (
      goType: string,
      fn: (body: Record<string, unknown>, ctx: Parameters<Handler>[0]) => Promise<void> | void
    ): Handler =>
    (ctx) => {
      const d = decodeJson(ctx.raw, goType);
      if (!d.ok) return ctx.w.json(400, { error: d.error });
      return fn(d.body, ctx);
    };

  const tags: Handler = async ({ w, conn }) => {
    // The list cache reads every GGUF header after a start before it answers (D20).
    await conn.sleep(startedAt + options.tagsReadyAfterMs - performance.now());
    if (conn.aborted) return;
    const list = [...installed.values()].sort((a, b) => modifiedMs(b) - modifiedMs(a));
    return w.json(200, {
      models: list.map((m) => {
        const name = normalizeName(m.name);
        const mod = modifiedMs(m);
        return {
          name,
          model: name,
          modified_at: formatTime(mod, offset(mod)),
          size: m.sizeBytes,
          digest: modelDigest(m),
          details: tagsDetails(m),
          capabilities: tagsCapabilities(m)
        };
      })
    });
  };

  const show = withBody('api.ShowRequest', (body, { w }) => {
    const name =
      (typeof body['model'] === 'string' && body['model']) ||
      (typeof body['name'] === 'string' ? body['name'] : '');
    if (name === '') return w.json(400, { error: 'model is required' });
    if (!isValidName(name)) return w.json(400, { error: 'invalid model name' });
    const m = installed.get(normalizeName(name));
    // Show names the canonical short name (D17).
    if (!m) return w.json(404, { error: `model '${shortName(name)}' not found` });
    const mod = modifiedMs(m);
    return w.json(200, {
      ...showPayload(m, body['verbose'] === true),
      modified_at: formatTime(mod, offset(mod))
    });
  });

  const del = withBody('api.DeleteRequest', (body, { w }) => {
    const name =
      (typeof body['model'] === 'string' && body['model']) ||
      (typeof body['name'] === 'string' ? body['name'] : '');
    if (name === '') return w.json(400, { error: 'model is required' });
    if (!isValidName(name)) return w.json(400, { error: `name ${JSON.stringify(name)} is invalid` });
    if (!installed.delete(normalizeName(name))) return w.json(404, { error: `model '${name}' not found` });
    w.empty(200);
  });

  const embed = withBody('api.EmbedRequest', async (body, { w, conn, arrived }) => {
    const name = typeof body['model'] === 'string' ? body['model'] : '';
    if (name === '') return w.json(400, { error: 'model is required' });
    const m = lookup(name);
    if (!m) return w.json(404, { error: `model '${name}' not found` });
    const keepAlive = parseKeepAlive(body['keep_alive']);
    if (!keepAlive.ok) return w.json(400, { error: keepAlive.error });
    const reqOptions = body['options'] as Record<string, unknown> | undefined;
    const optErr = optionsError(reqOptions);
    if (optErr) return w.json(500, { error: optErr });
    const input = body['input'];
    const inputs =
      typeof input === 'string'
        ? input === ''
          ? []
          : [input]
        : Array.isArray(input)
          ? input.map(String)
          : [];
    const dims = typeof body['dimensions'] === 'number' && body['dimensions'] > 0 ? body['dimensions'] : 768;
    const started = performance.now();
    const got = await runners.acquire(
      m,
      keepAlive.ms,
      numCtx(m, reqOptions?.['num_ctx']),
      conn,
      m.loadMs ?? options.loadMs
    );
    if (!got) return;
    const slot = await runners.takeSlot(got.runner, conn);
    if (slot) runners.releaseSlot(got.runner);
    runners.release(got.runner);
    if (!slot || conn.aborted) return;
    const out: Record<string, unknown> = { model: name, embeddings: inputs.map((t) => embedding(t, dims)) };
    if (inputs.length > 0) {
      out['total_duration'] = Math.max(1_000_000, Math.round((performance.now() - arrived) * 1e6));
      out['load_duration'] = Math.max(1_000_000, Math.round((performance.now() - started) * 1e6));
      out['prompt_eval_count'] = inputs.reduce((s, t) => s + Math.ceil(t.length / 4) + 2, 0);
    }
    return w.json(200, out);
  });

  const completionDeps = {
    lookup,
    runners,
    scenario,
    options,
    numCtx,
    createdAt
  };

  const routes: Record<string, Record<string, Handler>> = {
    '/': {
      GET: ({ w }) => w.text(200, 'Ollama is running', TEXT_UTF8),
      HEAD: ({ w }) => w.text(200, 'Ollama is running', TEXT_UTF8)
    },
    '/api/version': {
      GET: ({ w }) => w.json(200, { version: opts.version ?? DEFAULT_VERSION }),
      HEAD: ({ w }) => w.json(200, { version: opts.version ?? DEFAULT_VERSION })
    },
    '/api/tags': { GET: tags, HEAD: tags },
    '/api/ps': {
      GET: async ({ w, conn }) => {
        const body = await runners.psBody(offset, conn);
        if (body) await w.json(200, body);
      }
    },
    '/api/show': { POST: show },
    '/api/chat': {
      POST: withBody('api.ChatRequest', (body, { conn, arrived }) =>
        handleCompletion('chat', body, conn, completionDeps, arrived)
      )
    },
    '/api/generate': {
      POST: withBody('api.GenerateRequest', (body, { conn, arrived }) =>
        handleCompletion('generate', body, conn, completionDeps, arrived)
      )
    },
    '/api/pull': {
      POST: withBody('api.PullRequest', (body, { conn }) =>
        handlePull(body, conn, {
          installed: lookup,
          pullable: (n) => pullable.get(normalizeName(n)),
          install: addModel,
          chunkMs: () => options.pullChunkMs
        })
      )
    },
    '/api/embed': { POST: embed },
    '/api/delete': { DELETE: del }
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const arrived = performance.now();
    const receivedAt = Date.now();
    const headers = flatHeaders(req);
    const raw = await readBody(req);
    let parsed: unknown = raw;
    try {
      if (raw !== '') parsed = JSON.parse(raw);
    } catch {
      // Not JSON: keep the text.
    }
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const record: RecordedRequest = {
      id: ++nextId,
      method,
      path,
      headers,
      body: parsed,
      receivedAt,
      clientHungUp: false,
      finished: false
    };
    requests.push(record);

    const origin = headers['origin'];
    const cors: Record<string, string> =
      origin !== undefined ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
    const conn = new Conn(res, cors);
    conns.add(conn);
    res.on('close', () => {
      record.finished = res.writableFinished;
      if (!res.writableFinished && !conn.cutByServer && !closing) record.clientHungUp = true;
      conn.abort();
      conns.delete(conn);
      changed();
    });
    if (req.socket.destroyed) {
      record.clientHungUp = true;
      conn.abort();
    }
    changed();

    const w = new ReplyWriter(conn);
    try {
      if (auth && !authOk(auth, headers)) {
        const challenge: Record<string, string> = auth.basic
          ? { 'WWW-Authenticate': 'Basic realm="ollama"' }
          : {};
        for (const [k, v] of Object.entries(challenge)) res.setHeader(k, v);
        return await w.json(401, { error: 'unauthorized' });
      }
      // CORS runs before the host check, so an allowed preflight is answered whatever the Host (D19).
      if (origin !== undefined && !originAllowed(origin, opts.origins ?? [])) return w.empty(403);
      if (origin !== undefined && method === 'OPTIONS') {
        return w.empty(204, {
          'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, User-Agent, Accept, X-Requested-With',
          'Access-Control-Max-Age': '43200'
        });
      }
      if (!hostAllowed(headers['host'])) return w.empty(403);
      const route = routes[path];
      if (!route) return w.text(404, '404 page not found', TEXT_PLAIN);
      const handler = route[method];
      if (!handler) return w.text(405, '405 method not allowed', TEXT_PLAIN);
      await handler({ raw, conn, w, arrived });
    } catch (e) {
      if (!res.headersSent && !conn.aborted) await w.json(500, { error: (e as Error).message });
      else res.destroy();
    }
  };

  const server = createServer({ noDelay: true }, (req, res) => {
    void onRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const waitFor = (
    find: () => RecordedRequest | undefined,
    timeoutMs: number,
    what: string
  ): Promise<RecordedRequest> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = find();
        if (!hit) return false;
        clearTimeout(timer);
        watchers.delete(onChange);
        resolve(hit);
        return true;
      };
      const onChange = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        watchers.delete(onChange);
        reject(new Error(`fake-ollama: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) watchers.add(onChange);
    });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    options,
    setScenario(s) {
      defaultScenario = { ...s };
    },
    queueScenario(s) {
      queue.push({ s: { ...s }, left: Math.max(1, s.repeat ?? 1) });
    },
    setModels,
    addModel,
    requireAuth(a) {
      auth = a;
    },
    loadModel(name, o = {}) {
      const m = lookup(name);
      if (!m) throw new Error(`fake-ollama: loadModel: '${name}' is not installed`);
      runners.put(
        m,
        keepAliveSecToMs(o.keepAliveSec ?? options.defaultKeepAliveSec),
        o.contextLength ?? numCtx(m, undefined)
      );
    },
    loaded: () => runners.liveNames(),
    waitForRequest: (pred, timeoutMs = DEFAULT_WAIT_MS) =>
      waitFor(() => requests.find(pred), timeoutMs, 'matching request'),
    waitForHangUp: (pred, timeoutMs = DEFAULT_WAIT_MS) =>
      waitFor(() => requests.find((r) => r.clientHungUp && pred(r)), timeoutMs, 'client hang-up'),
    reset() {
      defaultScenario = {};
      queue.length = 0;
      requests.length = 0;
      auth = null;
      runners.clear();
    },
    async close() {
      closing = true;
      for (const c of conns) c.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
