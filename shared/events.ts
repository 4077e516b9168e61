/**
 * Event names and payloads pushed from main to the renderer, and the IPC channel names. Kept apart
 * from contract.ts (which holds the zod schemas) so that the preload and the renderer bundle no zod.
 */
import type { CallName } from './contract';
import type {
  ChatEvent,
  ConversationSummary,
  LoadedSnapshot,
  Notice,
  ProfileStatus,
  ProfilesState,
  PullProgress,
  UiCommand
} from './domain';
import type { UpdateState } from './updates';

/** Events pushed from main to the renderer. */
export interface Events {
  /** Phases, deltas, completion and errors of replies being streamed. */
  'chat:event': ChatEvent;
  /** Loaded models of one server changed (the monitor's new snapshot). */
  'models:loaded': LoadedSnapshot;
  /** Progress of a model pull. */
  'models:pull': PullProgress;
  /** A server became reachable or unreachable. */
  'profiles:status': ProfileStatus;
  /** Profiles or the active one changed outside the window (e.g. from the tray). */
  'profiles:changed': ProfilesState;
  /** A conversation changed outside the window's own calls (e.g. its title was generated). */
  'conversations:changed': ConversationSummary;
  /** Something the user should read (settings reset, unload failed…). */
  'app:notice': Notice;
  /** A command from the tray or the app menu. */
  'app:command': UiCommand;
  /** "Check for updates" moved on (found a version, download progress, ready, failed…). */
  'updates:state': UpdateState;
}
export type EventName = keyof Events;
export const EVENT_NAMES: EventName[] = [
  'chat:event',
  'models:loaded',
  'models:pull',
  'profiles:status',
  'profiles:changed',
  'conversations:changed',
  'app:notice',
  'app:command',
  'updates:state'
];

/** The IPC channel names: one per call, one per event. */
export const callChannel = (name: CallName): string => `ollama-desk:call:${name}`;
export const eventChannel = (event: EventName): string => `ollama-desk:event:${event}`;
