/**
 * What the app shell shares with every view through Svelte context: the servers, their reachability,
 * their loaded models, and a few actions. The shell's AppState class implements it; views read it
 * with getAppContext() and never fetch these lists themselves.
 */
import { createContext } from 'svelte';
import type {
  Conversation,
  ConversationPatch,
  LoadedSnapshot,
  Message,
  Notice,
  Profile,
  ProfileStatus,
  Preset
} from '@shared/domain';
import type { AppErrorShape } from '@shared/errors';

/** The open conversation as the shell sees it: enough to move it to another server. */
export interface OpenChat {
  readonly id: string;
  readonly conversation: Conversation | null;
  readonly messages: Message[];
  readonly streaming: boolean;
  update(patch: ConversationPatch): Promise<{ ok: true } | { ok: false; error: AppErrorShape }>;
}

export interface AppContext {
  readonly profiles: Profile[];
  readonly activeId: string | null;
  readonly statuses: Record<string, ProfileStatus>;
  readonly loaded: Record<string, LoadedSnapshot>;
  readonly presets: Preset[];
  /** Shows the server profiles screen (optionally on one profile, testing it at once). */
  openServers(profileId?: string): void;
  /** Shows the Models screen (on the current server unless told). */
  openModels(profileId?: string): void;
  /** The user chose a server (sidebar, palette, tray, composer): the open chat follows, or is offered. */
  chooseServer(profileId: string): Promise<void>;
  /** The open conversation registers itself; the current server is always its server. Returns the undo. */
  attachChat(chat: OpenChat): () => void;
  /** The open chat's server changed (opened, moved): it becomes the current server everywhere. */
  followChat(profileId: string): void;
  /** The models a chat arriving on a server prefers there: the one last used on it, its default. */
  modelCandidates(profileId: string): (string | undefined)[];
  /** Records the model a message was just sent with, as the server's last used one. */
  rememberModel(profileId: string, model: string): void;
  /** Tests a saved server now and records the answer as its status. */
  testProfile(profileId: string): Promise<unknown>;
  /** Shows a message to the user. */
  notify(notice: Notice): void;
  /** Re-reads the conversation list (after a send, a rename…). */
  refreshConversations(): void;
  /** Re-reads the presets (after the presets screen changed them). */
  refreshPresets(): void;
}

// Svelte's typed context pair: the getter throws when a view renders outside App.
export const [getAppContext, setAppContext] = createContext<AppContext>();
