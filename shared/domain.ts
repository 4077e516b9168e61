/**
 * Domain shapes shared by main and renderer. Inputs that cross IPC are zod schemas (validated in
 * main); outputs are plain TypeScript types. Imports nothing platform-specific.
 */
import { z } from 'zod';
import type { AppErrorShape, ErrorCode } from './errors';
import { bounded, FORMAT_BOUNDS } from './json-bounds';

export const idSchema = z.string().min(1).max(100);

// ---------- keep_alive and model options (ollama-api.md §3, §4) ----------

/** A Go duration string ("5m", "1h30m", "300ms", "-1m") as Ollama accepts it. */
export const GO_DURATION = /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$/;

/** Seconds (negative = forever, 0 = unload after the reply) or a Go duration string. */
export const keepAliveSchema = z.union([
  z.number().finite(),
  z.string().max(64, { abort: true }).regex(GO_DURATION, 'a duration such as 5m, 1h30m or -1 for forever')
]);
export type KeepAlive = z.infer<typeof keepAliveSchema>;

export const modelOptionsSchema = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    min_p: z.number().min(0).max(1).optional(),
    num_ctx: z.number().int().min(1).optional(),
    seed: z.number().int().optional(),
    num_predict: z.number().int().min(-2).optional(),
    repeat_penalty: z.number().min(0).optional(),
    /** Ollama takes any number; a handful is what anyone uses. */
    stop: z.array(z.string().max(1000)).max(64).optional()
  })
  .strict();
export type ModelOptions = z.infer<typeof modelOptionsSchema>;

/** `"json"` or a JSON schema object (ollama-api.md §4). */
export const formatSchema = z.union([
  z.literal('json'),
  bounded(z.record(z.string().max(1000), z.unknown()), FORMAT_BOUNDS, 'The JSON schema')
]);
export type Format = z.infer<typeof formatSchema>;

// ---------- profiles ----------

/** The longest server address accepted (main says "too long" above it, in words). */
export const MAX_ADDRESS_LENGTH = 2048;
/** What the wire lets through, so a longer paste still gets main's words, not a schema error. */
export const ADDRESS_WIRE_LIMIT = 100_000;
/** Why an address was refused (INVALID_HOST's detail.hint): the UI picks its title from it. */
export type HostProblem = 'too-long' | 'port' | 'name' | 'scheme' | 'syntax';
export const hostInputSchema = z.string().max(ADDRESS_WIRE_LIMIT);

export const headerNameSchema = z
  .string()
  .max(256)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid HTTP header name');

/**
 * Auth as the UI sends it. Secret fields are write-only: omitted means "keep what is stored",
 * an empty string means "remove".
 */
export const authInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('bearer'),
    token: z.string().max(4096).optional()
  }),
  z.object({
    kind: z.literal('basic'),
    username: z.string().min(1).max(256),
    password: z.string().max(4096).optional()
  }),
  z.object({
    kind: z.literal('headers'),
    headers: z
      .array(
        z.object({
          name: headerNameSchema,
          value: z.string().max(8192).optional()
        })
      )
      .max(20)
  })
]);
export type AuthInput = z.infer<typeof authInputSchema>;

export const timeoutsSchema = z.object({
  /** Before the first byte: includes a cold model load, which can take minutes. */
  firstByteMs: z.number().int().min(1000).max(3_600_000),
  /** Between two chunks of a stream. */
  idleMs: z.number().int().min(1000).max(3_600_000),
  /** Metadata calls: version, tags, ps, show. A dead host is reported within this. */
  metaMs: z.number().int().min(500).max(120_000)
});
export type Timeouts = z.infer<typeof timeoutsSchema>;
export const DEFAULT_TIMEOUTS: Timeouts = {
  firstByteMs: 600_000,
  idleMs: 120_000,
  metaMs: 5_000
};

export const profileDefaultsSchema = z.object({
  model: z.string().max(200).optional(),
  presetId: idSchema.optional(),
  keepAlive: keepAliveSchema.optional(),
  timeouts: timeoutsSchema.partial().optional()
});
export type ProfileDefaults = z.infer<typeof profileDefaultsSchema>;

export const profileInputSchema = z.object({
  /** Absent when creating. */
  id: idSchema.optional(),
  name: z.string().trim().min(1).max(80),
  /** Any OLLAMA_HOST form (ollama-api.md §8); main normalizes it. */
  host: hostInputSchema.min(1),
  auth: authInputSchema,
  defaults: profileDefaultsSchema.default({})
});
export type ProfileInput = z.input<typeof profileInputSchema>;

/**
 * Where a secret lives: the OS keychain; a file encrypted by the OS (safeStorage with a real
 * backend); a file under the user's passphrase; memory, for this session only; or nowhere.
 */
export type SecretLocation = 'keychain' | 'encrypted-file' | 'passphrase-file' | 'session' | 'none';

/** Where no keychain or real OS encryption exists, what the user chose for secrets. */
export interface SecretStorageStatus {
  location: SecretLocation;
  /** 'none-needed' where a keychain or OS encryption holds secrets; else the user's choice so far. */
  choice: 'none-needed' | 'pending' | 'session' | 'passphrase';
  /** Why a choice is needed: 'weak' (basic_text: a hard-coded key) or 'none' (no encryption). */
  osEncryption?: 'weak' | 'none';
  /** A passphrase file exists but has not been unlocked this session. */
  locked: boolean;
}

export const passphraseSchema = z.object({ passphrase: z.string().min(1).max(1024) });

/** What the renderer may know of a profile's auth: never a secret value. */
export type AuthSummary =
  | { kind: 'none' }
  | { kind: 'bearer'; hasSecret: boolean; secretLocation: SecretLocation }
  | {
      kind: 'basic';
      username: string;
      hasSecret: boolean;
      secretLocation: SecretLocation;
    }
  | {
      kind: 'headers';
      headerNames: string[];
      hasSecret: boolean;
      secretLocation: SecretLocation;
    };

export interface Profile {
  id: string;
  name: string;
  /** The host as the user typed it. */
  host: string;
  /** Normalized base URL without a trailing slash, e.g. http://127.0.0.1:11434. */
  baseUrl: string;
  auth: AuthSummary;
  defaults: ProfileDefaults;
}

export interface ProfilesState {
  profiles: Profile[];
  activeId: string | null;
}

export type ReachState = 'checking' | 'reachable' | 'unreachable';

/**
 * A server that answers but is occupied: /api/ps waits while a model loads (Ollama ≥ 0.32.10,
 * real-ollama.md D1). `loading` names the models our own requests are waiting for, when we know.
 */
export interface ServerBusy {
  loading: string[];
}

export interface ProfileStatus {
  profileId: string;
  state: ReachState;
  /** Reachable, but busy loading: never shown as unreachable. */
  busy?: ServerBusy;
  version?: string;
  latencyMs?: number;
  error?: AppErrorShape;
  checkedAt: number;
}

export interface ConnectionReport {
  ok: boolean;
  baseUrl: string;
  version?: string;
  latencyMs?: number;
  modelCount?: number;
  error?: AppErrorShape;
  /** A human hint for the error ("is Ollama running and listening on 0.0.0.0?"). */
  hint?: string;
}

// ---------- presets ----------

export const BUILT_IN_PRESET_IDS = ['builtin-helpful', 'builtin-two-sentences', 'builtin-json'] as const;

export const presetInputSchema = z.object({
  id: idSchema.optional(),
  name: z.string().trim().min(1).max(80),
  system: z.string().max(100_000),
  model: z.string().max(200).optional(),
  options: modelOptionsSchema.optional(),
  format: formatSchema.optional(),
  keepAlive: keepAliveSchema.optional()
});
export type PresetInput = z.input<typeof presetInputSchema>;

export interface Preset {
  id: string;
  name: string;
  system: string;
  model?: string;
  options?: ModelOptions;
  format?: Format;
  keepAlive?: KeepAlive;
  builtIn: boolean;
}

// ---------- models ----------

export interface ModelDetails {
  format?: string;
  family?: string;
  families?: string[] | null;
  parameter_size?: string;
  quantization_level?: string;
  context_length?: number;
}

export interface InstalledModel {
  name: string;
  size: number;
  modifiedAt: string;
  digest: string;
  details: ModelDetails;
  /** From /api/tags on recent servers, else from /api/show; empty when unknown. */
  capabilities: string[];
}

export interface ModelShow {
  name: string;
  parameters?: string;
  template?: string;
  system?: string;
  license?: string;
  details: ModelDetails;
  capabilities: string[];
  contextLength?: number;
  modifiedAt?: string;
}

export interface LoadedModel {
  name: string;
  /**
   * Other installed names on the same weights (a Modelfile `FROM` variant): the server runs them in
   * this one runner and lists only the name that loaded it (real-ollama.md D8).
   */
  aliases?: string[];
  size: number;
  sizeVram: number;
  expiresAt: string;
  contextLength?: number;
  details: ModelDetails;
}

/** One server's loaded models as the monitor last saw them. */
export interface LoadedSnapshot {
  profileId: string;
  state: ReachState;
  models: LoadedModel[];
  /** Names being unloaded right now ("unloading…"). */
  unloading: string[];
  /**
   * Of `unloading`, the ones the server has not answered yet because it is loading a model: it holds
   * an unload until the load ends, then does it ("unloads when loading ends").
   */
  unloadsAfterLoad?: string[];
  /** The server answers but /api/ps is waiting for a load; `models` are the last ones seen. */
  busy?: ServerBusy;
  error?: AppErrorShape;
  /** ms since epoch of the last successful poll. */
  updatedAt: number;
}

export interface PullProgress {
  pullId: string;
  profileId: string;
  model: string;
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
  /** bytes per second, measured over the last second or so */
  bytesPerSecond?: number;
  state: 'running' | 'success' | 'error' | 'cancelled';
  error?: AppErrorShape;
}

// ---------- conversations and messages ----------

export interface Metrics {
  totalDuration?: number;
  loadDuration?: number;
  promptEvalCount?: number;
  promptEvalDuration?: number;
  evalCount?: number;
  evalDuration?: number;
}

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'broken' | 'error';

export interface JsonCheck {
  valid: boolean;
  /** Parse error with its position, when the text is not JSON. */
  parseError?: { message: string; position?: number };
  /** Schema violations, each with its JSON pointer path. */
  violations?: { path: string; message: string }[];
}

export interface Message {
  id: string;
  /** The message this one follows; absent for a first message. Versions of a message share a parent. */
  parentId?: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
  thinking?: string;
  /** Bare base64 (never a data: URL). */
  images?: string[];
  createdAt: number;
  // assistant-only fields
  status?: MessageStatus;
  profileId?: string;
  profileName?: string;
  model?: string;
  /** The exact request sent, secrets excluded. */
  request?: { url: string; body: unknown };
  doneReason?: string;
  metrics?: Metrics;
  thinkingMs?: number;
  error?: AppErrorShape;
  json?: JsonCheck;
}

export interface ConversationSettings {
  profileId: string;
  model: string;
  presetId?: string;
  /** Overrides the preset's system prompt for this conversation only. */
  system?: string;
  options?: ModelOptions;
  jsonMode: boolean;
  format?: Format;
  think?: boolean;
  keepAlive?: KeepAlive;
}

export interface Conversation extends ConversationSettings {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** The path shown: the first message, then each one's chosen follower. It is the history sent next. */
  messages: Message[];
  /**
   * For each message on the path that has other versions (regenerated, or edited and resent): the ids
   * of all of them, oldest first, itself included. Absent or empty when there are none.
   */
  alternatives?: Record<string, string[]>;
}

export interface ConversationSummary {
  id: string;
  title: string;
  profileId: string;
  model: string;
  updatedAt: number;
  messageCount: number;
  /** Where a search matched, for the list ("…word…"). */
  snippet?: string;
}

export const conversationPatchSchema = z
  .object({
    profileId: idSchema,
    model: z.string().max(200),
    presetId: idSchema.nullable(),
    system: z.string().max(100_000).nullable(),
    options: modelOptionsSchema.nullable(),
    jsonMode: z.boolean(),
    format: formatSchema.nullable(),
    think: z.boolean().nullable(),
    keepAlive: keepAliveSchema.nullable()
  })
  .partial();
export type ConversationPatch = z.infer<typeof conversationPatchSchema>;

/**
 * Where a reply being streamed is. 'queued': the model is answering another of our requests and the
 * server serves one at a time (OLLAMA_NUM_PARALLEL=1, real-ollama.md D3). 'saving': the server
 * finished, the reply is being written to disk (its text is final; `done` follows once it is saved).
 */
export type ChatPhase = 'waiting' | 'queued' | 'loading' | 'thinking' | 'generating' | 'saving';

export type ChatEvent =
  | {
      kind: 'phase';
      conversationId: string;
      messageId: string;
      phase: ChatPhase;
    }
  | {
      kind: 'delta';
      conversationId: string;
      messageId: string;
      content: string;
      thinking: string;
      /** Live estimate while streaming. */
      tokensPerSecond?: number;
    }
  | {
      kind: 'done';
      conversationId: string;
      messageId: string;
      message: Message;
    }
  | {
      kind: 'error';
      conversationId: string;
      messageId: string;
      message: Message;
      error: AppErrorShape;
    };

export interface FileExport {
  filename: string;
  mime: string;
  text: string;
}

/** What choosing another server does to a chat that has messages: ask, or the remembered answer. */
export type ServerSwitchChoice = 'ask' | 'continue' | 'new';
export const serverSwitchChoiceSchema = z.enum(['ask', 'continue', 'new']);
/** The model last used on each server (by profile id), for a chat that moves there. */
export const lastModelsSchema = z.record(idSchema, z.string().max(200));

export interface Settings {
  closeToTray: boolean;
  theme: 'system' | 'light' | 'dark';
  /** Look for new releases (off until the user turns it on; downloads only after a yes). */
  checkForUpdates: boolean;
  serverSwitch: ServerSwitchChoice;
  lastModels: Record<string, string>;
}

export const settingsPatchSchema = z
  .object({
    closeToTray: z.boolean(),
    theme: z.enum(['system', 'light', 'dark']),
    checkForUpdates: z.boolean(),
    serverSwitch: serverSwitchChoiceSchema,
    lastModels: lastModelsSchema
  })
  .partial();

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** Electron's version, or "harness" when the core runs under plain Node for tests. */
  shell: string;
  /** An installed build (Electron's app.isPackaged); false when run from the source folder. */
  packaged: boolean;
  /** The folder that holds settings, servers, presets and conversations (shown in Settings). */
  dataDir: string;
  secretBackend: SecretLocation;
}

export type NoticeKind =
  'settings-reset' | 'conversation-unreadable' | 'unload-failed' | 'keychain-unavailable' | 'info';

export interface Notice {
  kind: NoticeKind;
  message: string;
  code?: ErrorCode;
}

/** Commands pushed from the tray or the app menu to the window. */
export type UiCommand = 'new-chat' | 'open-settings' | 'open-servers' | 'focus-composer';
