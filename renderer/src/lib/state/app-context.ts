/**
 * What the app shell shares with every view through Svelte context: the servers, their reachability,
 * their loaded models, and a few actions. The shell's AppState class implements it; views read it
 * with getAppContext() and never fetch these lists themselves.
 */
import { createContext } from 'svelte';
import type { LoadedSnapshot, Notice, Profile, ProfileStatus, Preset } from '@shared/domain';

export interface AppContext {
  readonly profiles: Profile[];
  readonly activeId: string | null;
  readonly statuses: Record<string, ProfileStatus>;
  readonly loaded: Record<string, LoadedSnapshot>;
  readonly presets: Preset[];
  /** Shows the server profiles screen (optionally on one profile). */
  openServers(profileId?: string): void;
  /** Shows a message to the user. */
  notify(notice: Notice): void;
  /** Re-reads the conversation list (after a send, a rename…). */
  refreshConversations(): void;
  /** Re-reads the presets (after the presets screen changed them). */
  refreshPresets(): void;
}

// Svelte's typed context pair: the getter throws when a view renders outside App.
export const [getAppContext, setAppContext] = createContext<AppContext>();
