/**
 * Public types of the fake Ollama server. Other engineers' tests build against these names: add
 * optional fields if needed, never rename or remove.
 */

export interface FakeModel {
  /** Display name, e.g. 'gemma3:4b' or 'llama3.2:latest'. */
  name: string;
  /** Also used as `general.architecture` in /api/show. */
  family: string;
  parameterSize: string;
  quantization: string;
  /** Bytes on disk (tags) and in memory (ps). */
  sizeBytes: number;
  /** Bytes on the GPU in /api/ps; default = sizeBytes (fully offloaded). */
  vramBytes?: number;
  /** 'completion', 'vision', 'thinking', 'tools', 'embedding', … */
  capabilities: string[];
  contextLength: number;
  /** ISO 8601; default: when the model was added to the fake. */
  modifiedAt?: string;
  /** Cold load of this model in real ms (D1, D4); default the instance's `loadMs`. */
  loadMs?: number;
  /**
   * Name of the model whose weights blob this one uses (a Modelfile `FROM` variant): both share one
   * runner, and /api/ps shows the name that loaded it (D8). Default: its own weights.
   */
  weights?: string;
  /** OLLAMA_NUM_PARALLEL for this model (D3); default the instance's `numParallel`. */
  numParallel?: number;
  /** Context shift on (default true): false makes a prompt longer than num_ctx a 400 (D12), as deepseek2 does. */
  contextShift?: boolean;
  /**
   * Runs on its own jinja template (hf.co GGUF imports): /api/tags lists its capabilities without
   * `thinking` and `tools`, /api/show and chat have them (D9). Default false.
   */
  nativeTemplate?: boolean;
  /** VRAM wait in real ms after this model's runner stopped (D6); default the instance's `vramRecoveryMs`. */
  vramRecoveryMs?: number;
  /** `<arch>.embedding_length` in show and `details.embedding_length` in tags (D15); default 3072. */
  embeddingLength?: number;
}

export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface Scenario {
  /** Full text of the reply; default echoes the last user message: `You said: ${text} …`. */
  reply?: string;
  /** Thinking text streamed before the content (thinking models with think unset/true). */
  thinking?: string;
  /** Explicit chunking of the reply (overrides splitting it into word tokens). */
  tokens?: string[];
  /** Delay between chunks (default 0). */
  pacingMs?: number;
  /**
   * Nothing at all (no status line, no headers) before this. On a request that loads the model it
   * is part of the load, after `loadMs` (ps waits, a hang-up cancels it: D1, D4); on a warm runner
   * it is prompt evaluation, after the request got its slot (D3).
   */
  firstByteDelayMs?: number;
  /**
   * Socket writes of the body are cut exactly at these byte offsets (and nowhere else, so lines
   * between two cuts arrive together), or at every byte, or every N bytes. Offsets may fall inside
   * a multi-byte UTF-8 character.
   */
  splitWritesAt?: number[] | 'every-byte' | number;
  /**
   * 200 stream, n chunks, then a `{"error":message}` line and the end (no done chunk). With n 0
   * (no output yet) a real server sends `status` (default 500) and a JSON body instead (D14).
   */
  errorAfterChunks?: { n: number; message: string; status?: number };
  /** n chunks, then the stream ends cleanly with no done chunk (the token-repeat guard, D13). */
  endCleanlyAfterChunks?: number;
  /**
   * llama-server rejects the request's JSON schema with this message (D11): 400 whose `error` is
   * llama-server's raw JSON. Schemas with an unknown `type` are rejected without it.
   */
  schemaError?: string;
  /** Where tool calls go: 'done' (default, native mode, D10) or 'chunk' (a done:false chunk of their own). */
  toolCallsIn?: 'done' | 'chunk';
  /** Destroy the socket after n chunks (no done chunk). */
  cutAfterChunks?: number;
  /** Hold the stream for `ms` after n chunks (a server that stalls mid-reply; a hang-up ends it). */
  pauseAfterChunks?: { n: number; ms: number };
  /** Error before streaming: this status with a JSON `{"error":…}` body. */
  httpError?: { status: number; error: string };
  doneReason?: 'stop' | 'length';
  /** Drives eval_duration (default: pacingMs in ns, or 10 ms per token). */
  evalDurationNsPerToken?: number;
  /** How many requests this scenario serves (default 1 when queued). */
  repeat?: number;
  /** Whole tool calls, sent where `toolCallsIn` says (chat, only when the request has tools). */
  toolCalls?: FakeToolCall[];
}

export interface RecordedRequest {
  id: number;
  method: string;
  path: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it is not JSON ('' when there was no body). */
  body: unknown;
  /** Epoch ms (real time) when the request arrived. */
  receivedAt: number;
  /** The client closed the connection before the reply was complete. */
  clientHungUp: boolean;
  /** The reply was written completely. */
  finished: boolean;
}

export interface AuthRequirement {
  bearer?: string;
  basic?: { username: string; password: string };
  header?: { name: string; value: string };
}

/** Settings of one fake; all can change at run time (`fake.options.x = …`) and be given to createFakeOllama. */
export interface FakeOllamaOptions {
  /**
   * How long an expired model's runner takes to stop (real ms); default 300. Meanwhile /api/ps waits
   * (psBlocksWhileStopping) or lists it; models later in the expiry loop stay listed (D6).
   */
  unloadGraceMs: number;
  /** Interval between pull progress lines. */
  pullChunkMs: number;
  /** Epoch-ms clock for created_at, expires_at and keep_alive expiry; default Date.now. */
  clock?: () => number;
  /** Pause between cut writes of a split body (0 = next event-loop turn). */
  splitGapMs: number;
  /** OLLAMA_KEEP_ALIVE in seconds (negative = forever); default 300. */
  defaultKeepAliveSec: number;
  /**
   * Cold load in real ms (weights read), for every model without its own `loadMs`; default 0. A
   * scenario's firstByteDelayMs adds to it on a cold request (on a warm one it is prompt evaluation).
   */
  loadMs: number;
  /** Ollama ≥ 0.32.10: /api/ps and an unload of a loading model wait until the load ends (D1); default true. */
  psBlocksWhileLoading: boolean;
  /** /api/ps waits while the expiry loop stops a runner, as it holds loadedMu (D6); default true. */
  psBlocksWhileStopping: boolean;
  /** OLLAMA_NUM_PARALLEL: requests one runner serves at once, later ones wait with no headers (D3); default 1. */
  numParallel: number;
  /** OLLAMA_MAX_LOADED_MODELS: loading one more evicts an idle model (D7); default 3 (3 per GPU, one GPU). */
  maxLoadedModels: number;
  /** GPU memory in bytes; a model that does not fit next to the loaded ones evicts one (D7); default Infinity. */
  vramBytes: number;
  /**
   * After each stopped runner the expiry loop waits this long for VRAM before it handles the next
   * expiry (D6): up to 5000 on a discrete GPU, 0 (default) on CPU/Metal or when VRAM recovers at once.
   */
  vramRecoveryMs: number;
  /** Signed in to ollama.com: `:cloud`/`-cloud` models answer; else 401 with `signin_url` (D5); default false. */
  cloudSignedIn: boolean;
  /** The `signin_url` of a cloud 401 (D5); default an https://ollama.com/connect?name=…&key=… URL. */
  cloudSigninUrl: string;
  /** /api/tags waits until the server has been up this long (real ms), as its cache reads GGUF headers (D20); default 0. */
  tagsReadyAfterMs: number;
}

export interface FakeOllama {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Default scenario for all following chat/generate requests. */
  setScenario(s: Scenario): void;
  /** One-shot (or s.repeat) scenario, used before the default. */
  queueScenario(s: Scenario): void;
  setModels(models: FakeModel[]): void;
  addModel(m: FakeModel): void;
  /** Missing or wrong credentials → 401 {"error":"unauthorized"}; null turns it off. */
  requireAuth(auth: AuthRequirement | null): void;
  /** Put a model into /api/ps directly, idle and loaded (keepAliveSec < 0 = forever); no eviction. */
  loadModel(name: string, opts?: { keepAliveSec?: number; contextLength?: number }): void;
  /**
   * Names of loaded (or loading) models that have not expired, as ps names them: an alias that shares
   * a runner shows as the model that loaded it (D8). An expired one may still show in /api/ps while it stops.
   */
  loaded(): string[];
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  waitForHangUp(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Clears scenarios, recorded requests, auth and loaded models (not the models list). */
  reset(): void;
  close(): Promise<void>;
  options: FakeOllamaOptions;
}

export interface CreateFakeOllamaOptions extends Partial<Omit<FakeOllamaOptions, 'clock'>> {
  /** 0 = random (default). */
  port?: number;
  host?: '127.0.0.1';
  models?: FakeModel[];
  /** /api/version; default '0.33.0' (the release the fake follows). */
  version?: string;
  /** Models /api/pull can fetch besides the installed ones; default PULLABLE_MODELS. */
  pullable?: FakeModel[];
  /** Extra allowed CORS origins, like OLLAMA_ORIGINS: '*' = all, '*' inside an origin matches anything (D19). */
  origins?: string[];
  /** num_ctx when a request does not set it; default min(4096, the model's context length). */
  defaultNumCtx?: number;
  /** Offset of modified_at/expires_at (0 prints `Z`, D21); default the machine's local offset. */
  utcOffsetMinutes?: number;
  clock?: () => number;
}
