/**
 * Our small Ollama HTTP client (design.md §5, ollama-api.md). Runs in main under plain Node.
 *
 * Timers: `metaMs` bounds a whole metadata call (version, tags, ps, show, delete: the server answers
 * those at once; ps and unload may wait for a load, see there). A generating call gets `firstByteMs` until the response headers
 * (Ollama sends none before the first chunk exists, so this includes a cold load), then `idleMs`
 * for each wait on the body, counted only while we wait for the server, not while the consumer works.
 * Connection refused is immediate; a host that drops SYNs is cut by undici's 10 s connect timeout
 * on generating calls and by `metaMs` on metadata calls. undici's own 300 s header and body limits are
 * off (transport.ts), so these timers are the only ones.
 */
import { DEFAULT_TIMEOUTS, type Timeouts } from '@shared/domain';
import { AppError, isAppError } from '@shared/errors';
import { badResponse, fetchFailure, httpFailure, streamBroken, withUrl } from './errors';
import { readNdjsonBatches } from './ndjson';
import { RequestGuard } from './request-guard';
import { ollamaFetch } from './transport';
import type {
  ChatChunk,
  ChatRequest,
  GenerateChunk,
  GenerateRequest,
  PsResponse,
  PullStatus,
  ShowResponse,
  TagsResponse,
  VersionResponse
} from './wire';
import type { KeepAlive } from '@shared/domain';

export interface ClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  timeouts?: Partial<Timeouts>;
  fetch?: typeof fetch;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Response headers arrived: for chat/generate the model is loaded. */
  onResponse?: () => void;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface Call {
  method: Method;
  path: string;
  body?: unknown;
  /** 404 means "model not installed" on endpoints that name a model. */
  modelEndpoint: boolean;
}

type Json = Record<string, unknown>;

export class OllamaClient {
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeouts: Timeouts;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    // Main-process requests carry no Origin, so Ollama's CORS check never applies; never let one in.
    this.headers = Object.fromEntries(
      Object.entries(opts.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'origin')
    );
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(opts.timeouts) };
    this.fetchImpl = opts.fetch ?? ollamaFetch;
  }

  async version(signal?: AbortSignal): Promise<string> {
    const reply = await this.meta<VersionResponse>(
      { method: 'GET', path: '/api/version', modelEndpoint: false },
      signal
    );
    if (typeof reply.version !== 'string')
      throw badResponse(this.url('/api/version'), 'No version in the reply.');
    return reply.version;
  }

  async tags(signal?: AbortSignal): Promise<TagsResponse> {
    const reply = await this.meta<Json>({ method: 'GET', path: '/api/tags', modelEndpoint: false }, signal);
    return { ...reply, models: this.modelList(reply, '/api/tags') } as TagsResponse;
  }

  /**
   * Loaded models. `patient`: bounded by firstByteMs instead of metaMs, because Ollama ≥ 0.32.10 holds
   * /api/ps until a loading model is ready (real-ollama.md D1); the caller then checks with /api/version
   * whether the server is alive, since that one never waits.
   */
  async ps(signal?: AbortSignal, patient = false): Promise<PsResponse> {
    const reply = await this.meta<Json>(
      { method: 'GET', path: '/api/ps', modelEndpoint: false },
      signal,
      patient ? this.timeouts.firstByteMs : undefined
    );
    return { ...reply, models: this.modelList(reply, '/api/ps') } as PsResponse;
  }

  show(model: string, signal?: AbortSignal): Promise<ShowResponse> {
    return this.meta<ShowResponse>(
      { method: 'POST', path: '/api/show', body: { model }, modelEndpoint: true },
      signal
    );
  }

  async delete(model: string, signal?: AbortSignal): Promise<void> {
    // 200 with an empty body.
    await this.metaText(
      { method: 'DELETE', path: '/api/delete', body: { model }, modelEndpoint: true },
      signal
    );
  }

  /** Loads a model (cold loads take long: bounded by firstByteMs). keepAlive is sent only when given. */
  async load(model: string, keepAlive?: KeepAlive, signal?: AbortSignal): Promise<void> {
    const body =
      keepAlive === undefined ? { model, messages: [] } : { model, messages: [], keep_alive: keepAlive };
    await this.once({ method: 'POST', path: '/api/chat', body, modelEndpoint: true }, { signal });
  }

  /**
   * The server replies at once (and frees the memory a moment later), except while that model is still
   * loading: then it answers when the load ends (real-ollama.md D1), so firstByteMs bounds it.
   */
  async unload(model: string, signal?: AbortSignal): Promise<void> {
    await this.meta<Json>(
      {
        method: 'POST',
        path: '/api/chat',
        body: { model, messages: [], keep_alive: 0 },
        modelEndpoint: true
      },
      signal,
      this.timeouts.firstByteMs
    );
  }

  /** Streams with stream:true; yields every chunk including the final done:true one. */
  async *chat(req: ChatRequest, opts: StreamOptions = {}): AsyncGenerator<ChatChunk> {
    for await (const batch of this.chatBatches(req, opts)) yield* batch;
  }

  /** The same, the chunks of each network read together (for a consumer that keeps up with any speed). */
  async *chatBatches(req: ChatRequest, opts: StreamOptions = {}): AsyncGenerator<ChatChunk[]> {
    const call: Call = {
      method: 'POST',
      path: '/api/chat',
      body: { ...req, stream: true },
      modelEndpoint: true
    };
    yield* this.untilDone(call, opts, (obj) => {
      if (typeof obj.done !== 'boolean' || obj.message === null || typeof obj.message !== 'object') {
        throw badResponse(this.url(call.path), 'A chat chunk without done/message.');
      }
      return obj as unknown as ChatChunk;
    });
  }

  async chatOnce(req: ChatRequest, opts: StreamOptions = {}): Promise<ChatChunk> {
    const obj = await this.once(
      { method: 'POST', path: '/api/chat', body: { ...req, stream: false }, modelEndpoint: true },
      opts
    );
    if (obj.message === null || typeof obj.message !== 'object') {
      throw badResponse(this.url('/api/chat'), 'A chat reply without a message.');
    }
    return obj as unknown as ChatChunk;
  }

  async *generate(req: GenerateRequest, opts: StreamOptions = {}): AsyncGenerator<GenerateChunk> {
    const call: Call = {
      method: 'POST',
      path: '/api/generate',
      body: { ...req, stream: true },
      modelEndpoint: true
    };
    const batches = this.untilDone(call, opts, (obj) => {
      if (typeof obj.done !== 'boolean')
        throw badResponse(this.url(call.path), 'A generate chunk without done.');
      return obj as unknown as GenerateChunk;
    });
    for await (const batch of batches) yield* batch;
  }

  async generateOnce(req: GenerateRequest, opts: StreamOptions = {}): Promise<GenerateChunk> {
    const obj = await this.once(
      { method: 'POST', path: '/api/generate', body: { ...req, stream: false }, modelEndpoint: true },
      opts
    );
    return obj as unknown as GenerateChunk;
  }

  /** Progress lines until `{"status":"success"}`; an unknown model is a 200 with an error line → STREAM_ERROR. */
  async *pull(model: string, opts: StreamOptions = {}): AsyncGenerator<PullStatus> {
    const call: Call = {
      method: 'POST',
      path: '/api/pull',
      body: { model, stream: true },
      modelEndpoint: true
    };
    let success = false;
    for await (const batch of this.stream(call, opts)) {
      for (const obj of batch) {
        if (typeof obj.status !== 'string')
          throw badResponse(this.url(call.path), 'A pull line without status.');
        if (obj.status === 'success') success = true;
        yield obj as unknown as PullStatus;
      }
    }
    if (!success) throw streamBroken(this.url(call.path), 'no success status');
  }

  // ---------- plumbing ----------

  private url(path: string): string {
    return this.baseUrl + path;
  }

  private modelList(reply: Json, path: string): unknown[] {
    // Go may encode an empty list as null.
    if (reply.models === null || reply.models === undefined) return [];
    if (!Array.isArray(reply.models)) throw badResponse(this.url(path), 'No models list in the reply.');
    return reply.models;
  }

  /** Checked chunks, a batch per network read, up to and including done:true. */
  private async *untilDone<T>(call: Call, opts: StreamOptions, check: (obj: Json) => T): AsyncGenerator<T[]> {
    let done = false;
    for await (const batch of this.stream(call, opts)) {
      const out: T[] = [];
      let failure: unknown;
      for (const obj of batch) {
        // Lines after done would be a server bug; ignore them rather than yield past the end.
        if (done) break;
        try {
          out.push(check(obj));
        } catch (error) {
          failure = error;
          break;
        }
        if (obj.done === true) done = true;
      }
      // What came before a bad chunk is still delivered, as it would be one line at a time.
      if (out.length > 0) yield out;
      if (failure !== undefined) throw failure;
    }
    if (!done) throw streamBroken(this.url(call.path), 'no done:true chunk');
  }

  private init(call: Call, signal: AbortSignal, accept: string): RequestInit {
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'ollama-desk', ...this.headers };
    if (call.body === undefined) return { method: call.method, headers, signal };
    headers['Content-Type'] = 'application/json';
    return { method: call.method, headers, signal, body: JSON.stringify(call.body) };
  }

  /** fetch with errors mapped; throws the guard's ABORTED/TIMEOUT if that is why it failed. */
  private async send(call: Call, guard: RequestGuard, accept: string): Promise<Response> {
    const url = this.url(call.path);
    if (guard.stopped) throw guard.stopped;
    let res: Response;
    try {
      res = await this.fetchImpl(url, this.init(call, guard.signal, accept));
    } catch (e) {
      throw guard.stopped ?? fetchFailure(e, url);
    }
    return res;
  }

  /** Reads the whole body as text; failures mid-body map like fetch failures. */
  private async bodyText(res: Response, guard: RequestGuard, url: string): Promise<string> {
    try {
      return await res.text();
    } catch (e) {
      throw guard.stopped ?? fetchFailure(e, url);
    }
  }

  private async failOnStatus(res: Response, call: Call, guard: RequestGuard): Promise<void> {
    if (res.ok) return;
    const url = this.url(call.path);
    const body = call.body as { format?: unknown } | undefined;
    const sentSchema = body?.format !== null && typeof body?.format === 'object';
    throw httpFailure(res.status, await this.bodyText(res, guard, url), url, call.modelEndpoint, sentSchema);
  }

  private parseObject(text: string, url: string): Json {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw badResponse(url, `The reply is not JSON: ${text.slice(0, 120)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw badResponse(url, 'The reply is not a JSON object.');
    }
    return value as Json;
  }

  private async metaText(call: Call, signal?: AbortSignal, limitMs = this.timeouts.metaMs): Promise<string> {
    const url = this.url(call.path);
    const guard = new RequestGuard(url, signal);
    guard.arm('meta', limitMs);
    try {
      const res = await this.send(call, guard, 'application/json');
      await this.failOnStatus(res, call, guard);
      return await this.bodyText(res, guard, url);
    } finally {
      guard.dispose();
    }
  }

  private async meta<T>(call: Call, signal?: AbortSignal, limitMs?: number): Promise<T> {
    const text = await this.metaText(call, signal, limitMs);
    return this.parseObject(text, this.url(call.path)) as T;
  }

  /** One JSON object (stream:false, load): firstByteMs until headers, idleMs for the body. */
  private async once(call: Call, opts: StreamOptions): Promise<Json> {
    const url = this.url(call.path);
    const guard = new RequestGuard(url, opts.signal);
    guard.arm('first-byte', this.timeouts.firstByteMs);
    try {
      const res = await this.send(call, guard, 'application/json');
      guard.arm('idle', this.timeouts.idleMs);
      await this.failOnStatus(res, call, guard);
      opts.onResponse?.();
      const obj = this.parseObject(await this.bodyText(res, guard, url), url);
      if (typeof obj.error === 'string' && obj.error !== '') {
        throw new AppError('STREAM_ERROR', `The server reported an error: ${obj.error}`, {
          url,
          serverError: obj.error
        });
      }
      return obj;
    } finally {
      guard.dispose();
    }
  }

  /** NDJSON objects of a streaming call, per network read; errors mapped, the connection closed on any early exit. */
  private async *stream(call: Call, opts: StreamOptions): AsyncGenerator<Json[]> {
    const url = this.url(call.path);
    const guard = new RequestGuard(url, opts.signal);
    guard.arm('first-byte', this.timeouts.firstByteMs);
    try {
      const res = await this.send(call, guard, 'application/x-ndjson');
      guard.disarm();
      if (!res.ok) {
        guard.arm('idle', this.timeouts.idleMs);
        await this.failOnStatus(res, call, guard);
      }
      opts.onResponse?.();
      if (res.body === null) throw streamBroken(url, 'no body');
      try {
        yield* readNdjsonBatches(timedChunks(res.body, guard, this.timeouts.idleMs));
      } catch (e) {
        if (guard.stopped) throw guard.stopped;
        if (isAppError(e)) throw withUrl(e, url);
        // The connection died mid-body (reset, "terminated").
        throw streamBroken(url, causeText(e));
      }
    } finally {
      guard.dispose();
    }
  }
}

/** Body chunks with the idle timer running only while we wait on the server. Cancels the body on early exit. */
async function* timedChunks(
  body: ReadableStream<Uint8Array>,
  guard: RequestGuard,
  idleMs: number
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      guard.arm('idle', idleMs);
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } finally {
        guard.disarm();
      }
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    // Cancelling the body makes undici close the socket, so the server stops generating.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

function causeText(e: unknown): string {
  const cause = (e as { cause?: { message?: unknown } } | null)?.cause?.message;
  const own = e instanceof Error ? e.message : String(e);
  return typeof cause === 'string' ? `${own}: ${cause}` : own;
}

function definedOnly(t: Partial<Timeouts> | undefined): Partial<Timeouts> {
  return Object.fromEntries(Object.entries(t ?? {}).filter(([, v]) => v !== undefined)) as Partial<Timeouts>;
}
