/**
 * One open conversation: its messages as main stored them, plus the reply being streamed. Deltas
 * from `chat:event` are buffered and applied at most every FLUSH_MS, so a fast server does not
 * re-render the view per token (each change costs a style, layout and paint: bench/); `done` and
 * `error` replace the streaming message with the final one main sends.
 */
import type { AppErrorShape } from '@shared/errors';
import type { ChatEvent, ChatPhase, Conversation, ConversationPatch, Message } from '@shared/domain';
import { on, tryCall } from '../api';

/** The reply being streamed, as the user sees it so far. */
export interface LiveReply {
  messageId: string;
  /** 'waiting' until main reports a phase. */
  phase: ChatPhase;
  content: string;
  thinking: string;
  tokensPerSecond?: number;
}

export type ActionResult = { ok: true } | { ok: false; error: AppErrorShape };

/** Least time between two updates of the streaming reply (about three frames). */
const FLUSH_MS = 48;
/**
 * Least time between two changes of the shown speed: a number that changes every flush cannot be read,
 * and each change is a frame of its own when it falls between two steps of the reply's text (bench/).
 */
const TPS_SHOWN_EVERY_MS = 1_000;
/** How long a stopped reply may take to report its end before the view lets go of it. */
const STOP_GRACE_MS = 2_000;

export class ConversationState {
  readonly id: string;
  conversation = $state.raw<Conversation | null>(null);
  loadError = $state.raw<AppErrorShape | null>(null);
  live = $state.raw<LiveReply | null>(null);
  /** A chat:send / regenerate / edit call is on its way to main. */
  pending = $state(false);

  /** True from the moment a send is asked until the reply is done, failed or stopped. */
  get streaming(): boolean {
    return this.pending || this.live !== null;
  }

  get messages(): Message[] {
    return this.conversation?.messages ?? [];
  }

  private bufferContent = '';
  private bufferThinking = '';
  private bufferTps: number | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private flushQueued = false;
  private lastFlush = 0;
  private lastTpsShown = -Infinity;
  /** Events for messages this view does not know yet (they can beat chat:send's answer). */
  // Bookkeeping only, never rendered: a plain Map on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private early = new Map<string, ChatEvent[]>();
  private unsubscribers: (() => void)[] = [];
  /** A reply that was stopped but never reported its end: not followed again. */
  private abandoned: string | null = null;
  private destroyed = false;

  constructor(id: string) {
    this.id = id;
    this.unsubscribers.push(
      on('chat:event', (event) => {
        if (event.conversationId === this.id) this.handle(event);
      }),
      on('conversations:changed', (summary) => {
        const current = this.conversation;
        if (summary.id !== this.id || !current) return;
        if (current.title !== summary.title) this.conversation = { ...current, title: summary.title };
      })
    );
  }

  async load(): Promise<void> {
    const result = await tryCall('conversations:get', { id: this.id });
    if (this.destroyed) return;
    if (!result.ok) {
      this.loadError = result.error;
      return;
    }
    this.loadError = null;
    this.conversation = result.value;
    // Opened while a reply streams (e.g. the user came back to it): follow it from what was saved.
    const last = result.value.messages.at(-1);
    if (
      last?.role === 'assistant' &&
      last.status === 'streaming' &&
      this.live?.messageId !== last.id &&
      last.id !== this.abandoned
    ) {
      this.live = {
        messageId: last.id,
        phase: last.content ? 'generating' : 'waiting',
        content: last.content,
        thinking: last.thinking ?? ''
      };
    }
  }

  destroy(): void {
    this.destroyed = true;
    for (const off of this.unsubscribers) off();
    this.unsubscribers = [];
    this.cancelFlush();
  }

  // ---------- actions ----------

  /** `images`: bare base64 each (main downscales large ones and stores them on the message). */
  async send(content: string, images?: string[]): Promise<ActionResult> {
    const conversation = this.conversation;
    if (!conversation || this.streaming) return { ok: false, error: busy() };
    this.pending = true;
    const withImages = images && images.length > 0 ? images : undefined;
    const result = await tryCall('chat:send', {
      conversationId: this.id,
      content,
      ...(withImages ? { images: withImages } : {})
    });
    this.pending = false;
    if (!result.ok) {
      // Main may have stored part of it (e.g. the user's message): show what it kept.
      void this.load();
      return result;
    }
    const now = Date.now();
    const user: Message = { id: result.value.userMessageId, role: 'user', content, createdAt: now };
    if (withImages) user.images = withImages;
    this.appendReply([user], result.value.assistantMessageId, now);
    return { ok: true };
  }

  async stop(): Promise<ActionResult> {
    const stopping = this.live?.messageId;
    const result = await tryCall('chat:stop', { conversationId: this.id });
    if (!result.ok) return result;
    // A reply left "streaming" by an app that quit mid-way has no stream to stop and sends no event:
    // if nothing ends it soon, stop following it and show what main has stored.
    if (stopping !== undefined) {
      setTimeout(() => {
        if (this.destroyed || this.live?.messageId !== stopping) return;
        this.abandoned = stopping;
        this.cancelFlush();
        this.live = null;
        void this.load();
      }, STOP_GRACE_MS);
    }
    return { ok: true };
  }

  /** Asks again for the last reply (also the "Retry" of a broken one): a new version, shown. */
  async regenerate(): Promise<ActionResult> {
    if (!this.conversation || this.streaming) return { ok: false, error: busy() };
    this.pending = true;
    const result = await tryCall('chat:regenerate', { conversationId: this.id });
    this.pending = false;
    if (!result.ok) return result;
    this.showBranch(result.value.conversation, result.value.assistantMessageId);
    return { ok: true };
  }

  /** Carries on the stopped last reply: the new text grows on the same message. */
  async continueReply(messageId: string): Promise<ActionResult> {
    if (!this.conversation || this.streaming) return { ok: false, error: busy() };
    this.pending = true;
    const result = await tryCall('chat:continue', { conversationId: this.id, messageId });
    this.pending = false;
    if (!result.ok) return result;
    const message = this.findMessage(messageId);
    if (message && !this.destroyed) {
      this.replaceMessage({ ...message, status: 'streaming' });
      // Followed from the text it already has: deltas are appended to it.
      this.live = null;
      this.ensureLive(messageId);
      const queued = this.early.get(messageId);
      this.early.delete(messageId);
      for (const event of queued ?? []) this.handle(event);
    }
    return { ok: true };
  }

  /** Resends a user message with new text as a new version of it; the original and its replies stay. */
  async edit(messageId: string, content: string): Promise<ActionResult> {
    if (!this.conversation || this.streaming) return { ok: false, error: busy() };
    this.pending = true;
    const result = await tryCall('chat:edit', { conversationId: this.id, messageId, content });
    this.pending = false;
    if (!result.ok) return result;
    this.showBranch(result.value.conversation, result.value.assistantMessageId);
    return { ok: true };
  }

  /** Shows another version of a message (and the path through it, the history sent next). */
  async chooseBranch(messageId: string): Promise<ActionResult> {
    if (!this.conversation || this.streaming) return { ok: false, error: busy() };
    const result = await tryCall('conversations:chooseBranch', { id: this.id, messageId });
    if (!result.ok) return result;
    if (!this.destroyed) this.conversation = result.value;
    return { ok: true };
  }

  /** The versions of a message on the path (itself included, oldest first), or null when it has none. */
  versionsOf(messageId: string): string[] | null {
    const ids = this.conversation?.alternatives?.[messageId];
    return ids && ids.length > 1 ? ids : null;
  }

  /** Changes the conversation's server, model, preset, system prompt, options or modes. */
  async update(patch: ConversationPatch): Promise<ActionResult> {
    const result = await tryCall('conversations:update', { id: this.id, patch });
    if (!result.ok) return result;
    if (!this.destroyed) this.conversation = this.keepLocalMessages(result.value);
    return { ok: true };
  }

  // ---------- events ----------

  private handle(event: ChatEvent): void {
    const known = this.live?.messageId === event.messageId || this.findMessage(event.messageId) !== undefined;
    if (!known) {
      const list = this.early.get(event.messageId) ?? [];
      list.push(event);
      this.early.set(event.messageId, list);
      return;
    }
    switch (event.kind) {
      case 'phase':
        this.flush();
        this.ensureLive(event.messageId);
        if (this.live) this.live = { ...this.live, phase: event.phase };
        break;
      case 'delta':
        this.ensureLive(event.messageId);
        this.bufferContent += event.content;
        this.bufferThinking += event.thinking;
        if (event.tokensPerSecond !== undefined) this.bufferTps = event.tokensPerSecond;
        this.scheduleFlush();
        break;
      case 'done':
      case 'error': {
        // The final message carries the whole text: what is still buffered is already in it.
        this.cancelFlush();
        this.bufferContent = '';
        this.bufferThinking = '';
        this.bufferTps = undefined;
        this.lastTpsShown = -Infinity;
        // A stop is not an error to show; anything else that failed carries its error.
        const attach = event.kind === 'error' && !event.message.error && event.message.status !== 'stopped';
        const final: Message = attach ? { ...event.message, error: event.error } : event.message;
        this.replaceMessage(final);
        if (this.live?.messageId === event.messageId) this.live = null;
        break;
      }
    }
  }

  private ensureLive(messageId: string): void {
    if (this.live?.messageId === messageId) return;
    const message = this.findMessage(messageId);
    this.live = {
      messageId,
      phase: 'waiting',
      content: message?.content ?? '',
      thinking: message?.thinking ?? ''
    };
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // After a quiet spell, show the text at once (first-token latency); in a burst, every FLUSH_MS.
    const wait = this.lastFlush + FLUSH_MS - performance.now();
    if (wait <= 0) queueMicrotask(() => this.flush());
    else this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private cancelFlush(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushQueued = false;
  }

  private flush(): void {
    this.cancelFlush();
    const live = this.live;
    const now = performance.now();
    const tps =
      this.bufferTps !== undefined && now - this.lastTpsShown >= TPS_SHOWN_EVERY_MS
        ? this.bufferTps
        : undefined;
    if (!live || (this.bufferContent === '' && this.bufferThinking === '' && tps === undefined)) return;
    // Only a flush that showed text counts: a phase change must not delay the first token by a frame.
    this.lastFlush = now;
    const next: LiveReply = {
      ...live,
      content: live.content + this.bufferContent,
      thinking: live.thinking + this.bufferThinking
    };
    if (tps !== undefined) {
      next.tokensPerSecond = tps;
      this.lastTpsShown = now;
    }
    if (
      this.bufferContent !== '' &&
      (live.phase === 'waiting' || live.phase === 'queued' || live.phase === 'loading')
    ) {
      next.phase = 'generating';
    } else if (this.bufferThinking !== '' && live.phase !== 'generating') {
      next.phase = 'thinking';
    }
    this.bufferContent = '';
    this.bufferThinking = '';
    this.bufferTps = undefined;
    this.live = next;
  }

  // ---------- message list ----------

  private appendReply(before: Message[], assistantId: string, now: number): void {
    const conversation = this.conversation;
    if (!conversation) return;
    const known = (id: string) => this.findMessage(id) !== undefined;
    const placeholder: Message = {
      id: assistantId,
      role: 'assistant',
      content: '',
      createdAt: now,
      status: 'streaming',
      profileId: conversation.profileId,
      model: conversation.model
    };
    const added = [...before, placeholder].filter((m) => !known(m.id));
    this.setMessages([...this.messages, ...added]);
    if (this.live?.messageId !== assistantId) {
      this.live = { messageId: assistantId, phase: 'waiting', content: '', thinking: '' };
    }
    const queued = this.early.get(assistantId);
    this.early.clear();
    for (const event of queued ?? []) this.handle(event);
  }

  /** Main's copy of the path with a new reply on it (regenerate, edit): followed as it streams. */
  private showBranch(conversation: Conversation, assistantId: string): void {
    if (this.destroyed) return;
    this.conversation = conversation;
    this.appendReply([], assistantId, Date.now());
  }

  private replaceMessage(message: Message): void {
    const messages = this.messages;
    const index = messages.findIndex((m) => m.id === message.id);
    if (index < 0) this.setMessages([...messages, message]);
    else this.setMessages([...messages.slice(0, index), message, ...messages.slice(index + 1)]);
  }

  private setMessages(messages: Message[]): void {
    const conversation = this.conversation;
    if (conversation) this.conversation = { ...conversation, messages, updatedAt: Date.now() };
  }

  private findMessage(id: string): Message | undefined {
    // The streaming message is nearly always the last one: search from the end.
    const messages = this.messages;
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return messages[i];
    return undefined;
  }

  /** conversations:update answers with the stored messages; ours may be newer while streaming. */
  private keepLocalMessages(updated: Conversation): Conversation {
    return this.conversation ? { ...updated, messages: this.conversation.messages } : updated;
  }
}

function busy(): AppErrorShape {
  return { code: 'BUSY', message: 'A reply is already being written.' };
}
