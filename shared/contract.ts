/**
 * The one IPC contract between main and renderer. Every call is `domain:verb` with a zod input
 * schema and an output type; every event has a payload type. Main registers one handler per call
 * (a missing one is a type error) and the preload builds `window.ollamaDesk` from these names.
 */
import { z } from 'zod';
import type { Result } from './errors';
import type { EventName, Events } from './events';
import {
  authInputSchema,
  conversationPatchSchema,
  hostInputSchema,
  idSchema,
  passphraseSchema,
  presetInputSchema,
  profileInputSchema,
  settingsPatchSchema,
  type AppInfo,
  type ConnectionReport,
  type Conversation,
  type ConversationSummary,
  type FileExport,
  type InstalledModel,
  type LoadedSnapshot,
  type ModelShow,
  type Preset,
  type Profile,
  type ProfileStatus,
  type ProfilesState,
  type SecretStorageStatus,
  type Settings
} from './domain';
import type { UpdateState } from './updates';

/** Declares one call: its input schema and (by type only) its output. */
function call<O = void>() {
  return <I extends z.ZodType>(input: I) => ({
    input,
    output: undefined as unknown as O
  });
}

const none = z.object({}).strict().optional();
const byId = z.object({ id: idSchema });
const modelName = z.string().trim().min(1).max(200);
/** Base64 image payload limit: 20 MB of text per image. */
const imageSchema = z.string().max(20_000_000);
/** An imported file's text: 50 MB at most. */
const fileText = z.string().max(50_000_000);

// Both branches strict: a draft ({host, auth, id}) must never match the saved-profile branch, which
// would drop the edited host and test the saved one.
const profileTestSchema = z.union([
  z
    .object({
      host: hostInputSchema.min(1),
      auth: authInputSchema,
      id: idSchema.optional()
    })
    .strict(),
  z.object({ id: idSchema }).strict()
]);
const exportIdsSchema = z.object({
  ids: z.array(idSchema).max(10_000).optional()
});
const listQuerySchema = z.object({ query: z.string().max(500).optional() }).optional();
const createConversationSchema = z
  .object({
    profileId: idSchema.optional(),
    model: z.string().max(200).optional(),
    presetId: idSchema.optional()
  })
  .optional();
const renameSchema = z.object({
  id: idSchema,
  title: z.string().trim().min(1).max(200)
});
const updateConversationSchema = z.object({
  id: idSchema,
  patch: conversationPatchSchema
});
const exportConversationsSchema = z.object({
  ids: z.array(idSchema).max(100_000).optional(),
  format: z.enum(['markdown', 'json'])
});
const sendSchema = z.object({
  conversationId: idSchema,
  content: z.string().max(1_000_000),
  images: z.array(imageSchema).max(16).optional()
});
const editSchema = z.object({
  conversationId: idSchema,
  messageId: idSchema,
  content: z.string().max(1_000_000)
});
const curlSchema = z.object({
  conversationId: idSchema,
  messageId: idSchema,
  stream: z.boolean(),
  includeCredentials: z.boolean()
});
const profileModelSchema = z.object({ profileId: idSchema, model: modelName });

export const calls = {
  /** App name, version, shell and where secrets live. */
  'app:info': call<AppInfo>()(none),
  /** Opens an http(s) link in the system browser. */
  'app:openExternal': call<void>()(z.object({ url: z.string().url().max(4096) })),

  /** Where secrets are kept, and whether the user must choose (no keychain, no real OS encryption). */
  'secrets:status': call<SecretStorageStatus>()(none),
  /** Keeps secrets in memory for this session only (nothing written to disk). */
  'secrets:keepForSession': call<SecretStorageStatus>()(none),
  /** Stores secrets in a file under this passphrase, or unlocks the one there. */
  'secrets:usePassphrase': call<SecretStorageStatus>()(passphraseSchema),

  /** Settings of the app (not of a server). */
  'settings:get': call<Settings>()(none),
  /** Changes some settings and returns all of them. */
  'settings:set': call<Settings>()(settingsPatchSchema),

  /** Where "Check for updates" stands (off, checking, a version on offer, downloading, ready…). */
  'updates:state': call<UpdateState>()(none),
  /** Checks the releases now; resolves when the check is done. */
  'updates:check': call<UpdateState>()(none),
  /** The user's yes to the version on offer: downloads it. */
  'updates:download': call<UpdateState>()(none),
  /** The user's "not now" to the version on offer. */
  'updates:postpone': call<UpdateState>()(none),
  /** Restarts the app into the downloaded update. */
  'updates:install': call<void>()(none),

  /** Saved server profiles in their order, and the active one. */
  'profiles:list': call<ProfilesState>()(none),
  /** Creates or updates a profile; secrets go to the keychain. */
  'profiles:save': call<Profile>()(profileInputSchema),
  /** Deletes a profile and its secrets. */
  'profiles:delete': call<ProfilesState>()(byId),
  /** Puts the profiles in this order (ids of all profiles). */
  'profiles:reorder': call<ProfilesState>()(z.object({ ids: z.array(idSchema).max(500) })),
  /** Makes a profile the active one. */
  'profiles:setActive': call<ProfilesState>()(byId),
  /** Normalizes a host string as Ollama would (OLLAMA_HOST rules), or INVALID_HOST. */
  'profiles:normalizeHost': call<{ baseUrl: string }>()(z.object({ host: hostInputSchema })),
  /** Tests a saved profile (id) or an unsaved draft (host + auth). */
  'profiles:test': call<ConnectionReport>()(profileTestSchema),
  /** The last known reachability of every profile. */
  'profiles:statuses': call<ProfileStatus[]>()(none),

  /** All presets, built-ins first. */
  'presets:list': call<Preset[]>()(none),
  /** Creates or updates a preset. */
  'presets:save': call<Preset>()(presetInputSchema),
  /** Deletes a preset (a built-in can be restored later). */
  'presets:delete': call<Preset[]>()(byId),
  /** Copies a preset under a new name. */
  'presets:duplicate': call<Preset>()(byId),
  /** Puts the built-in presets back as shipped. */
  'presets:restoreBuiltIns': call<Preset[]>()(none),
  /** Imports presets from a file's text; a bad file changes nothing. */
  'presets:import': call<Preset[]>()(z.object({ text: fileText })),
  /** Exports presets (all when ids is absent) as a JSON file. */
  'presets:export': call<FileExport>()(exportIdsSchema),

  /** Conversations, newest first; with a query, those whose title or text contains it. */
  'conversations:list': call<ConversationSummary[]>()(listQuerySchema),
  /** One conversation with all its messages. */
  'conversations:get': call<Conversation>()(byId),
  /** Starts an empty conversation on a server (default: the active one). */
  'conversations:create': call<Conversation>()(createConversationSchema),
  /** Renames a conversation. */
  'conversations:rename': call<ConversationSummary>()(renameSchema),
  /** Changes a conversation's server, model, preset, system prompt, options or modes. */
  'conversations:update': call<Conversation>()(updateConversationSchema),
  /** Deletes a conversation; the last deletion can be undone. */
  'conversations:delete': call<void>()(byId),
  /** Shows another version of a message: the path through it is shown and is the history sent next. */
  'conversations:chooseBranch': call<Conversation>()(z.object({ id: idSchema, messageId: idSchema })),
  /** Brings back the last deleted conversation. */
  'conversations:undoDelete': call<ConversationSummary | null>()(none),
  /** Exports one conversation (or all) as Markdown or JSON. */
  'conversations:export': call<FileExport>()(exportConversationsSchema),
  /** Imports conversations from an exported JSON file's text; ids never collide. */
  'conversations:import': call<ConversationSummary[]>()(z.object({ text: fileText })),

  /** Sends a user message and starts the reply; events follow on chat:event. */
  'chat:send': call<{ userMessageId: string; assistantMessageId: string }>()(sendSchema),
  /** Stops the reply being streamed in a conversation (the HTTP request is aborted). */
  'chat:stop': call<void>()(z.object({ conversationId: idSchema })),
  /** Asks again for the last reply: a new version beside the earlier ones (which stay), shown. */
  'chat:regenerate': call<{ assistantMessageId: string; conversation: Conversation }>()(
    z.object({ conversationId: idSchema })
  ),
  /** Carries on a stopped last reply: its text goes back as the assistant's turn; new text is appended to it. */
  'chat:continue': call<{ assistantMessageId: string }>()(
    z.object({ conversationId: idSchema, messageId: idSchema })
  ),
  /** Resends a user message with new text as a new version of it; the original and what followed stay. */
  'chat:edit': call<{ userMessageId: string; assistantMessageId: string; conversation: Conversation }>()(
    editSchema
  ),
  /** The request behind an assistant message as a curl command. */
  'chat:curl': call<{ command: string }>()(curlSchema),

  /** Installed models of a server, with details and capabilities. */
  'models:list': call<InstalledModel[]>()(z.object({ profileId: idSchema })),
  /** Details of one model (/api/show). */
  'models:show': call<ModelShow>()(profileModelSchema),
  /** The monitor's latest snapshot of loaded models on every server. */
  'models:loaded': call<LoadedSnapshot[]>()(none),
  /** Polls every server now. */
  'models:refresh': call<LoadedSnapshot[]>()(none),
  /** Unloads one model (keep_alive: 0) and watches until it is gone. */
  'models:unload': call<void>()(profileModelSchema),
  /** Unloads every loaded model of a server. */
  'models:unloadAll': call<void>()(z.object({ profileId: idSchema })),
  /** Starts pulling a model; progress follows on models:pull. */
  'models:pull': call<{ pullId: string }>()(profileModelSchema),
  /** Cancels a pull. */
  'models:cancelPull': call<void>()(z.object({ pullId: idSchema })),
  /** Deletes a model from a server. */
  'models:delete': call<void>()(profileModelSchema)
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallParsed<K extends CallName> = z.output<Calls[K]['input']>;
export type CallOutput<K extends CallName> = Calls[K]['output'];
export const CALL_NAMES = Object.keys(calls) as CallName[];

/** What main implements: one async function per call, taking the validated input. */
export type Handlers = {
  [K in CallName]: (input: CallParsed<K>) => Promise<CallOutput<K>>;
};

/** Main's side of pushing events. */
export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

/** `window.ollamaDesk`: typed calls and `onX(cb) → unsubscribe` per event. */
export type OllamaDeskApi = {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>>;
  on<E extends EventName>(event: E, callback: (payload: Events[E]) => void): () => void;
};

export { EVENT_NAMES, callChannel, eventChannel } from './events';
export type { EventName, Events } from './events';
