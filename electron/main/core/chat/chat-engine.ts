/**
 * The chat engine: sends a conversation to its server, streams the reply into the conversation (saved
 * as it arrives) and reports it as `chat:event`s. One stream per conversation; streams of different
 * conversations (and servers) run side by side with nothing shared.
 *
 * Phases: `waiting` when the request goes out; when no response headers came within
 * `loadingAfterMs` (Ollama sends none until its turn came, the model is loaded and the prompt
 * evaluated), `queued` if another of our requests to that model is ahead (a real server serves one
 * at a time, real-ollama.md D3), else `loading` unless the model is known to be loaded (then it stays
 * `waiting`: the prompt is being read); `thinking` at the first thinking text; `generating` at the
 * first content.
 *
 * The title request steps aside for the user: it is asked only while no reply runs on that model,
 * and called off (the server drops a request whose client hung up) the moment one starts; it is asked
 * again when that reply is over. So a message sent right after a reply never waits behind a title.
 */
import { randomUUID } from 'node:crypto';
import type { CallParsed } from '@shared/contract';
import type {
  ChatEvent,
  ChatPhase,
  Conversation,
  ConversationSummary,
  Message,
  Metrics,
  Preset
} from '@shared/domain';
import { AppError, isAppError, type AppErrorShape } from '@shared/errors';
import type { OllamaClient } from '../ollama/client';
import type { ChatChunk, ChatRequest } from '../ollama/wire';
import { systemClock, type Clock } from '../ports';
import { DEFAULT_TITLE, type ConversationStore } from '../conversations/conversation-store';
import { toCurl } from './curl';
import { DeltaCoalescer } from './delta-coalescer';
import { checkJson } from './json-check';
import { buildChatRequest, effectiveFormat } from './request-builder';
import { generateTitle } from './title';
import { ServerActivity, type ActivityTicket } from '../models/server-activity';

export interface ChatEngineDeps {
  store: ConversationStore;
  clientFor(profileId: string): Promise<OllamaClient>;
  profileName(profileId: string): string;
  presetFor(id?: string): Preset | undefined;
  emit: (event: 'chat:event', e: ChatEvent) => void;
  /** A reply ended (any outcome): the loaded-models monitor polls that server in a burst. */
  onChatEnded?(profileId: string): void;
  /** A conversation got its generated title: forward as `conversations:changed`. */
  onTitle?(summary: ConversationSummary): void;
  clock?: Clock;
  /** No response headers after this long → phase `loading`. Default 500 ms. */
  loadingAfterMs?: number;
  /** At most one delta event per message per this many ms. Default 16 ms. */
  deltaIntervalMs?: number;
  /** Our requests in flight per server and model (shared with the loaded-models monitor). */
  activity?: ServerActivity;
  /** Whether the server last listed this model as loaded (a slow first byte is then not a load). */
  isLoaded?(profileId: string, model: string): boolean;
  /** A model's capabilities: `think` goes only to a model that thinks. */
  capabilities?: {
    /** Looks them up (cached; at most one /api/show). */
    load(profileId: string, model: string): Promise<unknown>;
    /** What the lookup found, or undefined. */
    known(profileId: string, model: string): readonly string[] | undefined;
  };
}

interface ActiveReply {
  messageId: string;
  controller: AbortController;
  /** Why we aborted: the user's stop or the conversation's deletion. */
  stopped: boolean;
  finished: Promise<void>;
}

/** Mid-stream losses of the connection: the reply is kept as `broken`, not as an error. */
const CONNECTION_LOST = new Set(['STREAM_BROKEN', 'SERVER_UNREACHABLE', 'CONNECTION_REFUSED', 'TIMEOUT']);

export class ChatEngine {
  private readonly active = new Map<string, ActiveReply>();
  /** Title requests in flight, so `idle()` can wait for them. */
  private readonly background = new Set<Promise<void>>();
  /** Conversations whose title job runs (one each). */
  private readonly titling = new Set<string>();
  private readonly clock: Clock;
  private readonly loadingAfterMs: number;
  private readonly deltaIntervalMs: number;
  private readonly activity: ServerActivity;

  constructor(private readonly deps: ChatEngineDeps) {
    this.activity = deps.activity ?? new ServerActivity();
    this.clock = deps.clock ?? systemClock;
    this.loadingAfterMs = deps.loadingAfterMs ?? 500;
    this.deltaIntervalMs = deps.deltaIntervalMs ?? 16;
  }

  /** Appends the user's message and starts the reply; events follow on chat:event. */
  async send(input: CallParsed<'chat:send'>): Promise<{ userMessageId: string; assistantMessageId: string }> {
    const conv = this.deps.store.get(input.conversationId);
    this.assertIdle(conv.id);
    const images = (input.images ?? []).map(bareBase64);
    if (input.content.trim() === '' && images.length === 0) {
      throw new AppError('INVALID_INPUT', 'Write a message first');
    }
    const client = await this.prepare(conv);
    const user: Message = {
      id: randomUUID(),
      role: 'user',
      content: input.content,
      createdAt: this.clock.now(),
      ...(images.length > 0 ? { images } : {})
    };
    conv.messages.push(user);
    const assistantMessageId = await this.startReply(conv, client);
    return { userMessageId: user.id, assistantMessageId };
  }

  /**
   * Asks again for the reply to the last user message on the path shown: the new reply is added
   * beside the earlier ones (they stay, as other versions) and shown.
   */
  async regenerate(
    input: CallParsed<'chat:regenerate'>
  ): Promise<{ assistantMessageId: string; conversation: Conversation }> {
    const conv = this.deps.store.get(input.conversationId);
    this.assertIdle(conv.id);
    const lastUser = conv.messages.map((m) => m.role).lastIndexOf('user');
    if (lastUser < 0) throw new AppError('INVALID_INPUT', 'There is no message to answer yet');
    const client = await this.prepare(conv);
    // Only the path is cut back: the store keeps every reply in the conversation's tree (but one
    // that failed before any text: the new reply takes its place).
    const previous = conv.messages[lastUser + 1];
    if (previous !== undefined) this.deps.store.dropEmptyFailure(conv.id, previous.id);
    conv.messages.splice(lastUser + 1);
    const assistantMessageId = await this.startReply(conv, client);
    return { assistantMessageId, conversation: this.deps.store.snapshot(conv.id) };
  }

  /**
   * Resends a user message with new text as a new version of it (same images): the original and
   * what followed it stay, as the other version, and the new one is shown.
   */
  async edit(
    input: CallParsed<'chat:edit'>
  ): Promise<{ userMessageId: string; assistantMessageId: string; conversation: Conversation }> {
    const conv = this.deps.store.get(input.conversationId);
    this.assertIdle(conv.id);
    const index = conv.messages.findIndex((m) => m.id === input.messageId);
    const message = conv.messages[index];
    if (message === undefined) throw new AppError('NOT_FOUND', 'This message does not exist (any more).');
    if (message.role !== 'user') throw new AppError('INVALID_INPUT', 'Only your own messages can be edited');
    if (input.content.trim() === '' && (message.images ?? []).length === 0) {
      throw new AppError('INVALID_INPUT', 'Write a message first');
    }
    const client = await this.prepare(conv);
    const version: Message = {
      id: randomUUID(),
      role: 'user',
      content: input.content,
      createdAt: this.clock.now(),
      ...(message.images ? { images: message.images } : {})
    };
    // The new version takes the old one's place on the path (the store files it beside it).
    conv.messages.splice(index, conv.messages.length - index, version);
    const assistantMessageId = await this.startReply(conv, client);
    return {
      userMessageId: version.id,
      assistantMessageId,
      conversation: this.deps.store.snapshot(conv.id)
    };
  }

  /**
   * Carries on a stopped reply: its partial text goes back as the last (assistant) message, which
   * Ollama continues, and the new text is appended to that same message (one reply, not two: the
   * tree and the version switch stay as they were, and Copy gives the whole answer).
   */
  async continue(input: CallParsed<'chat:continue'>): Promise<{ assistantMessageId: string }> {
    const conv = this.deps.store.get(input.conversationId);
    this.assertIdle(conv.id);
    const assistant = conv.messages.at(-1);
    if (assistant?.id !== input.messageId || assistant.role !== 'assistant') {
      throw new AppError('INVALID_INPUT', 'Only the last reply can be continued');
    }
    if (assistant.status !== 'stopped' || assistant.content === '') {
      throw new AppError('INVALID_INPUT', 'Only a stopped reply with text can be continued');
    }
    const client = await this.prepare(conv);
    await this.run(conv, client, assistant);
    return { assistantMessageId: assistant.id };
  }

  /** Stops the reply streaming in a conversation (aborts its HTTP request) and waits until it is saved. */
  async stop(input: CallParsed<'chat:stop'>): Promise<void> {
    const reply = this.active.get(input.conversationId);
    if (reply === undefined) return;
    reply.stopped = true;
    reply.controller.abort();
    await reply.finished;
  }

  /** Stops every reply (app quit) and waits for their last writes. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((conversationId) => this.stop({ conversationId })));
  }

  /** Whether a reply is streaming in this conversation. */
  isStreaming(conversationId: string): boolean {
    return this.active.has(conversationId);
  }

  /** Resolves when no reply streams and no title is being asked for (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.background.size > 0) {
      await Promise.all([...[...this.active.values()].map((r) => r.finished), ...this.background]);
    }
  }

  /**
   * The request behind an assistant message (or behind the reply to a user message) as curl.
   * `authHeaders` are the profile's headers; they are used only when the user asked to include them.
   */
  curl(input: CallParsed<'chat:curl'>, authHeaders?: Record<string, string>): { command: string } {
    const request = this.requestMessage(input.conversationId, input.messageId).request;
    if (request === undefined) throw new AppError('NOT_FOUND', 'No request was recorded for this message.');
    const command = toCurl({
      url: request.url,
      body: request.body,
      stream: input.stream,
      ...(input.includeCredentials && authHeaders ? { authHeaders } : {})
    });
    return { command };
  }

  /**
   * The server a message's request went to (it may differ from the conversation's current one):
   * the profile whose headers belong in its curl command.
   */
  requestProfileId(conversationId: string, messageId: string): string {
    const conv = this.deps.store.get(conversationId);
    return this.requestMessage(conversationId, messageId).profileId ?? conv.profileId;
  }

  // ---------- internals ----------

  /** The assistant message that carries the request: the message itself, or the reply that followed it. */
  private requestMessage(conversationId: string, messageId: string): Message {
    const conv = this.deps.store.get(conversationId);
    const index = conv.messages.findIndex((m) => m.id === messageId);
    if (index < 0) throw new AppError('NOT_FOUND', 'This message does not exist (any more).');
    const target = conv.messages.slice(index).find((m) => m.request !== undefined);
    if (target === undefined) throw new AppError('NOT_FOUND', 'No request was recorded for this message.');
    return target;
  }

  private assertIdle(conversationId: string): void {
    if (this.active.has(conversationId)) {
      throw new AppError('BUSY', 'A reply is still being written in this conversation.');
    }
  }

  /** Checks what a request needs before anything in the conversation changes. */
  private async prepare(conv: Conversation): Promise<OllamaClient> {
    if (conv.model.trim() === '') throw new AppError('INVALID_INPUT', 'Choose a model first');
    const client = await this.deps.clientFor(conv.profileId);
    await this.deps.capabilities?.load(conv.profileId, conv.model);
    // Another call may have started a reply while we waited for the client.
    this.assertIdle(conv.id);
    return client;
  }

  /** Adds the assistant placeholder, saves, and streams in the background. */
  private async startReply(conv: Conversation, client: OllamaClient): Promise<string> {
    const assistant: Message = {
      id: randomUUID(),
      role: 'assistant',
      content: '',
      createdAt: this.clock.now(),
      status: 'streaming',
      profileId: conv.profileId,
      profileName: this.deps.profileName(conv.profileId),
      model: conv.model
    };
    conv.messages.push(assistant);
    await this.run(conv, client, assistant);
    return assistant.id;
  }

  /**
   * Sends the path (ending with `assistant` when it is being continued), saves, and streams into
   * `assistant` in the background.
   */
  private async run(conv: Conversation, client: OllamaClient, assistant: Message): Promise<void> {
    const preset = this.deps.presetFor(conv.presetId);
    const body = buildChatRequest(
      conv,
      preset,
      conv.messages,
      this.deps.capabilities?.known(conv.profileId, conv.model)
    );
    const format = effectiveFormat(conv, preset);
    const before = { status: assistant.status, request: assistant.request };
    assistant.status = 'streaming';
    // Headers (and so any secret) are never part of what is stored.
    assistant.request = { url: `${client.baseUrl}/api/chat`, body };
    conv.updatedAt = this.clock.now();

    const reply: ActiveReply = {
      messageId: assistant.id,
      controller: new AbortController(),
      stopped: false,
      finished: Promise.resolve()
    };
    this.active.set(conv.id, reply);
    try {
      // The user's message is on disk before anything streams.
      await this.deps.store.flush(conv.id);
    } catch (error) {
      this.active.delete(conv.id);
      // A stopped reply that could not be continued stays as it was, Continue still offered.
      if (before.status === 'stopped') Object.assign(assistant, before);
      throw error;
    }
    // Start after the call has answered, so the renderer knows the ids before the first event.
    reply.finished = new Promise<void>((resolve) => {
      setImmediate(() => {
        void this.stream(conv, client, assistant, body, reply, preset, format).finally(resolve);
      });
    });
  }

  private async stream(
    conv: Conversation,
    client: OllamaClient,
    assistant: Message,
    body: ChatRequest,
    reply: ActiveReply,
    preset: Preset | undefined,
    format: ReturnType<typeof effectiveFormat>
  ): Promise<void> {
    const { store } = this.deps;
    const ids = { conversationId: conv.id, messageId: assistant.id };
    let phase: ChatPhase | undefined;
    let responded = false;
    let chunks = 0;
    let tokens = 0;
    let firstTokenAt: number | undefined;
    let thinkingFrom: number | undefined;
    let thinkingUntil: number | undefined;
    let last: ChatChunk | undefined;

    const coalescer = new DeltaCoalescer(
      (content, thinking) => {
        const event: ChatEvent = { kind: 'delta', ...ids, content, thinking };
        const rate = tokensPerSecond(tokens, firstTokenAt, this.clock.now());
        if (rate !== undefined) event.tokensPerSecond = rate;
        this.deps.emit('chat:event', event);
      },
      this.clock,
      this.deltaIntervalMs
    );
    const setPhase = (next: ChatPhase): void => {
      if (phase === next) return;
      coalescer.flush(); // deltas before a phase change stay before it
      phase = next;
      this.deps.emit('chat:event', { kind: 'phase', ...ids, phase: next });
    };
    setPhase('waiting');
    // A title on this model must not hold the server while the user waits.
    this.activity.cancelBackground(conv.profileId, conv.model);
    const ticket = this.activity.begin(conv.profileId, conv.model, 'chat');
    let slow = false;
    const noHeadersPhase = (): void => {
      if (responded || !slow) return;
      if (this.activity.ahead(ticket).length > 0) setPhase('queued');
      else if (!this.deps.isLoaded?.(conv.profileId, conv.model)) setPhase('loading');
      else setPhase('waiting');
    };
    const loadingTimer = this.clock.setTimeout(() => {
      slow = true;
      noHeadersPhase();
    }, this.loadingAfterMs);
    // The request ahead ended: our turn, or a load, comes next.
    const offActivity = this.activity.onChange(noHeadersPhase);

    let failure: unknown;
    try {
      const batches = client.chatBatches(body, {
        signal: reply.controller.signal,
        onResponse: () => {
          responded = true;
          loadingTimer.cancel();
          ticket.respond();
        }
      });
      // One await per network read, not per token: a fast server sends thousands of lines a second.
      read: for await (const batch of batches) {
        for (const chunk of batch) {
          chunks += 1;
          last = chunk;
          const thinking = chunk.message.thinking ?? '';
          const content = chunk.message.content ?? '';
          const now = this.clock.now();
          if (thinking !== '') {
            thinkingFrom ??= now;
            assistant.thinking = (assistant.thinking ?? '') + thinking;
            if (phase !== 'generating') setPhase('thinking');
          }
          if (content !== '') {
            if (thinkingFrom !== undefined) thinkingUntil ??= now;
            assistant.content += content;
            setPhase('generating');
          }
          if (thinking !== '' || content !== '') {
            tokens += 1;
            firstTokenAt ??= now;
            coalescer.push(content, thinking);
            store.saveSoon(conv.id);
          }
          if (!store.has(conv.id)) {
            // Deleted while it streamed: stop the server too.
            reply.stopped = true;
            reply.controller.abort();
            break read;
          }
        }
      }
      // A stop that lands after the final chunk changes nothing: the reply is complete.
      if (reply.stopped && last?.done !== true) failure = new AppError('ABORTED', 'Stopped');
    } catch (error) {
      failure = error;
    } finally {
      loadingTimer.cancel();
      offActivity();
      ticket.end();
      coalescer.flush();
    }

    const end = this.clock.now();
    if (thinkingFrom !== undefined) assistant.thinkingMs = (thinkingUntil ?? end) - thinkingFrom;
    if (failure === undefined) {
      assistant.status = 'done';
      if (last?.done_reason !== undefined) assistant.doneReason = last.done_reason;
      const metrics = metricsOf(last);
      if (metrics !== undefined) assistant.metrics = metrics;
      if (format !== undefined) {
        assistant.json = checkJson(assistant.content, typeof format === 'object' ? format : undefined);
      }
    } else {
      const error = asAppError(failure);
      assistant.status = reply.stopped
        ? 'stopped'
        : error.code === 'STREAM_BROKEN' || (chunks > 0 && CONNECTION_LOST.has(error.code))
          ? 'broken'
          : 'error';
      if (assistant.status !== 'stopped') assistant.error = error.toShape();
    }
    conv.updatedAt = end;
    // The text is final: the window can show it whole while the file is written (an fsync under
    // load takes tens of milliseconds).
    if (failure === undefined) setPhase('saving');

    try {
      if (store.has(conv.id)) await store.flush(conv.id);
    } catch (error) {
      // The reply is still in memory; a later write will carry it. Tell the user it was not saved.
      if (assistant.status === 'done') {
        assistant.status = 'error';
        assistant.error = asAppError(error).toShape();
      }
    }
    this.active.delete(conv.id);

    const message = { ...assistant };
    if (assistant.status === 'done') {
      this.deps.emit('chat:event', { kind: 'done', ...ids, message });
    } else {
      const error: AppErrorShape = assistant.error ?? { code: 'ABORTED', message: 'Stopped' };
      this.deps.emit('chat:event', { kind: 'error', ...ids, message, error });
    }
    this.deps.onChatEnded?.(conv.profileId);
    if (assistant.status === 'done' && conv.title === DEFAULT_TITLE) this.nameLater(conv, client, preset);
  }

  /**
   * Titles a conversation after its first reply, without delaying anything else: it waits while a
   * reply runs on that model and gives way (aborted) when one starts, then tries again.
   */
  private nameLater(conv: Conversation, client: OllamaClient, preset: Preset | undefined): void {
    const firstUser = conv.messages.find((m) => m.role === 'user');
    if (firstUser === undefined || this.titling.has(conv.id)) return;
    this.titling.add(conv.id);
    const stillUntitled = () => this.deps.store.has(conv.id) && conv.title === DEFAULT_TITLE;
    const job = (async () => {
      for (let attempt = 0; attempt < TITLE_ATTEMPTS; attempt += 1) {
        await this.activity.whenNoChat(conv.profileId, conv.model);
        if (!stillUntitled()) return;
        const controller = new AbortController();
        const ticket: ActivityTicket = this.activity.begin(conv.profileId, conv.model, 'title', () =>
          controller.abort()
        );
        let title: string;
        try {
          title = await generateTitle(client, conv, preset, firstUser.content, controller.signal);
        } catch {
          continue; // gave way to the user's message: ask again once it is answered
        } finally {
          ticket.end();
        }
        // The user may have renamed or deleted it meanwhile: theirs wins.
        if (title === '' || !stillUntitled()) return;
        const summary = await this.deps.store.rename(conv.id, title);
        this.deps.onTitle?.(summary);
        return;
      }
    })()
      .catch(() => {})
      .finally(() => this.titling.delete(conv.id));
    this.background.add(job);
    void job.finally(() => this.background.delete(job));
  }
}

/** A title that keeps giving way to new messages is given up after this many tries (the next reply asks again). */
const TITLE_ATTEMPTS = 3;

function tokensPerSecond(tokens: number, firstAt: number | undefined, now: number): number | undefined {
  // Ollama streams about one token per chunk; the first one marks the start of generation.
  if (firstAt === undefined || tokens < 2 || now <= firstAt) return undefined;
  return Math.round(((tokens - 1) / ((now - firstAt) / 1000)) * 10) / 10;
}

function metricsOf(chunk: ChatChunk | undefined): Metrics | undefined {
  if (chunk === undefined) return undefined;
  const metrics: Metrics = {};
  if (chunk.total_duration !== undefined) metrics.totalDuration = chunk.total_duration;
  if (chunk.load_duration !== undefined) metrics.loadDuration = chunk.load_duration;
  if (chunk.prompt_eval_count !== undefined) metrics.promptEvalCount = chunk.prompt_eval_count;
  if (chunk.prompt_eval_duration !== undefined) metrics.promptEvalDuration = chunk.prompt_eval_duration;
  if (chunk.eval_count !== undefined) metrics.evalCount = chunk.eval_count;
  if (chunk.eval_duration !== undefined) metrics.evalDuration = chunk.eval_duration;
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

function asAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
}

/** Images are stored and sent as bare base64 (a data: URL prefix gives 400, ollama-api.md §4). */
function bareBase64(image: string): string {
  const comma = image.indexOf(',');
  return image.startsWith('data:') && comma >= 0 ? image.slice(comma + 1) : image;
}
