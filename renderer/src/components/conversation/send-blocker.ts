/**
 * Why Send is disabled for a conversation, if it is: each reason comes with words and an action in the
 * composer (SendBlocker.svelte). Pure, so every rule is unit-tested.
 */
import type { InstalledModel, ReachState } from '@shared/domain';
import type { AppErrorShape, ErrorCode } from '@shared/errors';
import { sameModel } from '@shared/model-name';
import { canChat } from '../../lib/state/model-choice';

/** Errors that mean "the server does not answer" rather than "it answered no". */
export const DOWN_CODES: ErrorCode[] = ['SERVER_UNREACHABLE', 'CONNECTION_REFUSED', 'TIMEOUT'];

export type SendBlocker =
  /** The server is down, or its models cannot be read (then `error` says why). */
  | { kind: 'down'; error?: AppErrorShape }
  /** The server has no model at all. */
  | { kind: 'no-models' }
  /** The conversation has no model yet. */
  | { kind: 'no-model' }
  /** The conversation's model is not installed on its server. */
  | { kind: 'missing'; model: string }
  /** The model cannot chat (an embedding model). */
  | { kind: 'cannot-chat'; model: string };

export interface BlockerInput {
  model: string;
  /** The server's last known reachability. */
  state: ReachState | undefined;
  /** The server's models, or null while unknown or unreadable. */
  listed: InstalledModel[] | null;
  /** Why the models could not be read. */
  failure: AppErrorShape | null;
}

export function sendBlocker({ model, state, listed, failure }: BlockerInput): SendBlocker | null {
  if (failure) return DOWN_CODES.includes(failure.code) ? { kind: 'down' } : { kind: 'down', error: failure };
  if (state === 'unreachable') return { kind: 'down' };
  if (listed === null) return model === '' ? { kind: 'no-model' } : null;
  if (model === '') return listed.length === 0 ? { kind: 'no-models' } : { kind: 'no-model' };
  const found = listed.find((m) => sameModel(m.name, model));
  if (!found) return { kind: 'missing', model };
  if (!canChat(found)) return { kind: 'cannot-chat', model: found.name };
  return null;
}
