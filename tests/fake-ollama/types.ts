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
  /** Cold load: nothing at all (no status line, no headers) before this. */
  firstByteDelayMs?: number;
  /**
   * Socket writes of the body are cut exactly at these byte offsets (and nowhere else, so lines
   * between two cuts arrive together), or at every byte, or every N bytes. Offsets may fall inside
   * a multi-byte UTF-8 character.
   */
  splitWritesAt?: number[] | 'every-byte' | number;
  /** 200 stream, n chunks, then a `{"error":message}` line and the end (no done chunk). */
  errorAfterChunks?: { n: number; message: string };
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
  /** Whole tool calls sent in one done:false chunk after the content (chat, only when the request has tools). */
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

export interface FakeOllamaOptions {
  /** How long an unloaded (expired) model stays listed in /api/ps (real ms). */
  unloadGraceMs: number;
  /** Interval between pull progress lines. */
  pullChunkMs: number;
  /** Epoch-ms clock for created_at, expires_at and keep_alive expiry; default Date.now. */
  clock?: () => number;
  /** Pause between cut writes of a split body (0 = next event-loop turn). */
  splitGapMs: number;
  /** OLLAMA_KEEP_ALIVE in seconds (negative = forever); default 300. */
  defaultKeepAliveSec: number;
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
  /** Put a model into /api/ps directly (keepAliveSec < 0 = forever). */
  loadModel(name: string, opts?: { keepAliveSec?: number; contextLength?: number }): void;
  /** Names of loaded models that have not expired (an expired one may still show in /api/ps briefly). */
  loaded(): string[];
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  waitForHangUp(pred: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Clears scenarios, recorded requests, auth and loaded models (not the models list). */
  reset(): void;
  close(): Promise<void>;
  options: FakeOllamaOptions;
}

export interface CreateFakeOllamaOptions {
  /** 0 = random (default). */
  port?: number;
  host?: '127.0.0.1';
  models?: FakeModel[];
  version?: string;
  unloadGraceMs?: number;
  pullChunkMs?: number;
  /** Models /api/pull can fetch besides the installed ones; default PULLABLE_MODELS. */
  pullable?: FakeModel[];
  /** Extra allowed CORS origins, like OLLAMA_ORIGINS ('*' = all). */
  origins?: string[];
  /** num_ctx when a request does not set it; default min(4096, the model's context length). */
  defaultNumCtx?: number;
  /** Offset of modified_at/expires_at; default the machine's local offset. */
  utcOffsetMinutes?: number;
  clock?: () => number;
}
