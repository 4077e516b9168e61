/**
 * What the parts of one conversation's view share: the conversation state, which message is being
 * edited or inspected, the composer's notice, and handles to focus the composer or the model picker.
 */
import { createContext } from 'svelte';
import type { AppErrorShape } from '@shared/errors';
import type { Message } from '@shared/domain';
import type { ActionResult, ConversationState } from '../../lib/state/conversation.svelte';

/** An action that failed, shown in the composer (why Send is disabled is SendBlocker's, not a notice). */
export type ComposerNotice = { kind: 'error'; error: AppErrorShape };

export class ConversationUi {
  readonly state: ConversationState;
  editingId = $state<string | null>(null);
  inspecting = $state.raw<Message | null>(null);
  notice = $state.raw<ComposerNotice | null>(null);
  /** Set by the list; asks it to follow the newest message again. */
  followLatest: () => void = () => {};
  composer: HTMLTextAreaElement | null = null;
  modelPicker: HTMLSelectElement | null = null;

  constructor(state: ConversationState) {
    this.state = state;
  }

  focusComposer(): void {
    this.composer?.focus();
  }

  focusModelPicker(): void {
    this.modelPicker?.focus();
  }

  /** Shows the error of a failed action in the composer; returns whether it went well. */
  report(result: ActionResult): boolean {
    this.notice = result.ok ? null : { kind: 'error', error: result.error };
    return result.ok;
  }

  async regenerate(): Promise<void> {
    this.followLatest();
    this.report(await this.state.regenerate());
  }

  async continueReply(messageId: string): Promise<void> {
    this.followLatest();
    this.report(await this.state.continueReply(messageId));
  }

  async stop(): Promise<void> {
    this.report(await this.state.stop());
  }

  /** Up arrow in an empty composer: edit the last user message. */
  editLastUserMessage(): boolean {
    const last = this.state.messages.findLast((m) => m.role === 'user');
    if (!last || this.state.streaming) return false;
    this.editingId = last.id;
    return true;
  }
}

// Svelte's typed context pair: the getter throws when a part renders outside ConversationView.
export const [getConversationUi, setConversationUi] = createContext<ConversationUi>();
