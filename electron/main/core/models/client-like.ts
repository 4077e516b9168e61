/**
 * The slice of the Ollama client (core/ollama/client.ts) that the monitor and the model service use.
 * Only the fields we read are named, all in Ollama's own wire spelling (ollama-api.md §3, §5), so the
 * real client fits structurally and tests can hand in the real thing pointed at the fake server.
 */
import type { ModelDetails } from '@shared/domain';

export interface PsEntry {
  name: string;
  model?: string;
  size: number;
  size_vram: number;
  digest?: string;
  details?: ModelDetails;
  expires_at: string;
  context_length?: number;
}

export interface TagsEntry {
  name: string;
  model?: string;
  modified_at: string;
  size: number;
  digest: string;
  details?: ModelDetails;
  /** Only on recent servers. */
  capabilities?: string[];
}

export interface ShowReply {
  /** Its FROM line names the weights blob, which aliases (Modelfile variants) share. */
  modelfile?: string;
  parameters?: string;
  template?: string;
  system?: string;
  license?: string;
  details?: ModelDetails;
  model_info?: Record<string, unknown>;
  capabilities?: string[];
  modified_at?: string;
}

export interface PullChunk {
  status?: string;
  digest?: string;
  total?: number;
  completed?: number;
  /** An error line inside the 200 stream, if the client passes it on instead of throwing. */
  error?: string;
}

export interface ClientLike {
  /** `patient`: may wait as long as a model load (firstByteMs), not just metaMs. */
  ps(signal?: AbortSignal, patient?: boolean): Promise<{ models: PsEntry[] }>;
  /** Never waits for a load: tells a busy server from a dead one. */
  version(signal?: AbortSignal): Promise<string>;
  tags(): Promise<{ models: TagsEntry[] }>;
  show(model: string): Promise<ShowReply>;
  /** keep_alive 0 with no messages: answered at once (after a running load), the model freed a moment later. */
  unload(model: string): Promise<unknown>;
  pull(model: string, options: { signal: AbortSignal }): AsyncIterable<PullChunk>;
  delete(model: string): Promise<unknown>;
}
