/**
 * Ollama's JSON as it travels (ollama-api.md §2–§5), with the server's snake_case field names.
 * Reply fields the server may leave out (`omitempty`: zero metrics, empty thinking) are optional.
 * Durations are int64 nanoseconds; timestamps RFC 3339 strings.
 */
import type { Format, KeepAlive, ModelDetails } from '@shared/domain';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  id?: string;
  function: {
    index?: number;
    name: string;
    /** An object, not a string. */
    arguments: Record<string, unknown>;
  };
}

export interface Tool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters: {
      type: 'object';
      properties?: Record<string, unknown>;
      required?: string[];
      $defs?: Record<string, unknown>;
    };
  };
}

export interface WireMessage {
  role: Role;
  content: string;
  thinking?: string;
  /** Plain standard base64 with padding; a data: URL prefix gives 400. */
  images?: string[];
  tool_calls?: ToolCall[];
  tool_name?: string;
  tool_call_id?: string;
}

export type Think = boolean | 'low' | 'medium' | 'high' | 'max';

/** Runner and sampling options; unknown keys are only logged by the server. */
export type WireOptions = Record<string, unknown> & {
  temperature?: number;
  top_k?: number;
  top_p?: number;
  min_p?: number;
  num_ctx?: number;
  num_predict?: number;
  seed?: number;
  repeat_penalty?: number;
  stop?: string[];
};

interface RequestCommon {
  model: string;
  /** Set by the client itself (chat → true, chatOnce → false). */
  stream?: boolean;
  format?: Format;
  /** Send only when the user chose a value: it sticks to the loaded runner (§3). */
  keep_alive?: KeepAlive;
  think?: Think;
  options?: WireOptions;
  truncate?: boolean;
  shift?: boolean;
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface ChatRequest extends RequestCommon {
  messages: WireMessage[];
  tools?: Tool[];
}

export interface GenerateRequest extends RequestCommon {
  prompt?: string;
  suffix?: string;
  system?: string;
  template?: string;
  raw?: boolean;
  /** Deprecated by the server, still accepted. */
  context?: number[];
  images?: string[];
}

export type DoneReason = 'stop' | 'length' | 'load' | 'unload' | (string & {});

/** The metrics of a final chunk; each is absent when zero. */
export interface WireMetrics {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

interface ChunkCommon extends WireMetrics {
  model: string;
  created_at: string;
  done: boolean;
  /** Only on the final chunk; absent when the runner connection closed. */
  done_reason?: DoneReason;
  logprobs?: unknown[];
  remote_model?: string;
  remote_host?: string;
}

export interface ChatChunk extends ChunkCommon {
  message: {
    role: 'assistant' | (string & {});
    content: string;
    thinking?: string;
    /** Whole calls in a done:false chunk, never deltas. */
    tool_calls?: ToolCall[];
  };
}

export interface GenerateChunk extends ChunkCommon {
  response: string;
  thinking?: string;
  /** Final chunk only; absent when raw. */
  context?: number[];
  tool_calls?: ToolCall[];
}

export interface WireModelDetails extends ModelDetails {
  parent_model?: string;
  embedding_length?: number;
}

export interface TagsModel {
  name: string;
  model: string;
  modified_at: string;
  /** Bytes on disk. */
  size: number;
  digest: string;
  details: WireModelDetails;
  /** Only on recent servers. */
  capabilities?: string[];
}

export interface TagsResponse {
  models: TagsModel[];
}

export interface PsModel {
  name: string;
  model: string;
  /** Bytes in RAM plus VRAM. */
  size: number;
  /** Bytes on the GPU: equal to size = fully on GPU, 0 = CPU only. */
  size_vram: number;
  digest: string;
  details: WireModelDetails;
  /** May lie in the past while a request runs; about 2318 means forever. */
  expires_at: string;
  context_length?: number;
}

export interface PsResponse {
  models: PsModel[];
}

export interface ShowResponse {
  modelfile?: string;
  parameters?: string;
  template?: string;
  system?: string;
  license?: string;
  details: WireModelDetails;
  /** Never null; the context length is at "<general.architecture>.context_length". */
  model_info: Record<string, unknown>;
  projector_info?: Record<string, unknown>;
  tensors?: unknown[];
  capabilities?: string[];
  modified_at?: string;
}

export interface PullStatus {
  status: string;
  digest?: string;
  total?: number;
  /** Absent while it is 0. */
  completed?: number;
}

export interface VersionResponse {
  version: string;
}
