/**
 * Conversations on disk: one JSON file per conversation (`<dir>/<id>.json`), written atomically.
 *
 * All conversations are held in memory (read once at open): the list, full-text search and the chat
 * engine work on these objects. `get` returns the store's own object, so the engine can append to a
 * streaming reply in place and ask for a throttled write (`saveSoon`); every other change goes through
 * a method that writes before it resolves. Writes of one conversation are serialized and coalesced, so
 * the file always holds the newest state that was asked for.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@shared/errors';
import { conversationPatchSchema } from '@shared/domain';
import type {
  Conversation,
  ConversationPatch,
  ConversationSettings,
  ConversationSummary,
  FileExport,
  Message
} from '@shared/domain';
import { systemClock, type Clock } from '../ports';
import { TEMP_MARK, writeFileAtomic } from './atomic-file';
import { conversationSchema, exportFileSchema } from './conversation-schema';
import { exportJson, exportMarkdown, type ProfileNamer } from './conversation-export';
import { matchConversation, queryMatcher } from './conversation-search';

export const DEFAULT_TITLE = 'New chat';
/** While a reply streams, a conversation is written at most this often (a kill loses less than ~1 s). */
export const SAVE_INTERVAL_MS = 500;

export interface ConversationStoreOptions {
  clock?: Clock;
  /** Server names for the Markdown export; the profile id is shown when it returns undefined. */
  profileName?: ProfileNamer;
  saveIntervalMs?: number;
  /** Told about a failed background write (saveSoon); awaited writes throw instead. */
  onWriteError?: (id: string, error: unknown) => void;
}

export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private lastDeleted: Conversation | null = null;
  /** The last write of each conversation (resolves, never rejects): the next one waits for it. */
  private readonly tails = new Map<string, Promise<void>>();
  /** A write that is queued but has not started: later requests join it instead of queueing more. */
  private readonly queued = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, { cancel(): void }>();
  private readonly lastWriteAt = new Map<string, number>();
  private readonly clock: Clock;
  private readonly saveIntervalMs: number;

  private constructor(
    readonly dir: string,
    private readonly options: ConversationStoreOptions
  ) {
    this.clock = options.clock ?? systemClock;
    this.saveIntervalMs = options.saveIntervalMs ?? SAVE_INTERVAL_MS;
  }

  /** Reads every conversation file; a corrupt one is moved aside (`<file>.corrupt-<time>`) and skipped. */
  static async open(dir: string, options: ConversationStoreOptions = {}): Promise<ConversationStore> {
    const store = new ConversationStore(dir, options);
    await mkdir(dir, { recursive: true });
    const names = await readdir(dir);
    for (const name of names) {
      if (name.includes(TEMP_MARK)) {
        // Leftover of a write that was killed before its rename: the target file is still whole.
        await unlink(join(dir, name)).catch(() => {});
        continue;
      }
      if (!name.endsWith('.json')) continue;
      await store.load(name);
    }
    return store;
  }

  private async load(name: string): Promise<void> {
    const path = join(this.dir, name);
    let conv: Conversation;
    try {
      const parsed = conversationSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (!parsed.success) throw new Error(parsed.error.message);
      conv = parsed.data;
    } catch {
      const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
      await rename(path, `${path}.corrupt-${stamp}`).catch(() => {});
      return;
    }
    // The file name is the identity: it is what every later write goes to.
    conv.id = name.slice(0, -'.json'.length);
    let interrupted = false;
    for (const message of conv.messages) {
      if (message.status === 'streaming') {
        // The app ended while this reply streamed: keep the text, say it is incomplete.
        message.status = 'broken';
        interrupted = true;
      }
    }
    this.conversations.set(conv.id, conv);
    if (interrupted) await this.persist(conv.id);
  }

  has(id: string): boolean {
    return this.conversations.has(id);
  }

  /** Newest first by updatedAt; with a query, only matches, each with a snippet around its hit. */
  list(query?: string): ConversationSummary[] {
    const matcher = query === undefined ? null : queryMatcher(query);
    const result: ConversationSummary[] = [];
    for (const conv of this.conversations.values()) {
      if (matcher === null) {
        result.push(summarize(conv));
        continue;
      }
      const match = matchConversation(conv, matcher);
      if (match === null) continue;
      const summary = summarize(conv);
      if (match.snippet !== undefined) summary.snippet = match.snippet;
      result.push(summary);
    }
    return result.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
  }

  /** The store's own object: change it only together with save/saveSoon/flush. */
  get(id: string): Conversation {
    const conv = this.conversations.get(id);
    if (!conv) throw new AppError('NOT_FOUND', 'This conversation does not exist (any more).');
    return conv;
  }

  summary(id: string): ConversationSummary {
    return summarize(this.get(id));
  }

  async create(settings: ConversationSettings): Promise<Conversation> {
    const now = this.clock.now();
    const conv: Conversation = {
      ...dropUndefined(settings),
      id: randomUUID(),
      title: DEFAULT_TITLE,
      createdAt: now,
      updatedAt: now,
      messages: []
    };
    this.conversations.set(conv.id, conv);
    await this.persist(conv.id);
    return conv;
  }

  /** Renaming does not move a conversation in the list (updatedAt follows messages only). */
  async rename(id: string, title: string): Promise<ConversationSummary> {
    const conv = this.get(id);
    const clean = title.replace(/\s+/g, ' ').trim();
    if (clean === '') throw new AppError('INVALID_INPUT', 'A title cannot be empty.');
    conv.title = clean;
    await this.persist(id);
    return summarize(conv);
  }

  /**
   * Applies a patch; `null` unsets a field, an absent key leaves it alone. The patch is validated in
   * full first, so a refused one leaves memory and file exactly as they were.
   */
  async update(id: string, patch: ConversationPatch): Promise<Conversation> {
    const conv = this.get(id);
    const parsed = conversationPatchSchema.safeParse(patch);
    if (!parsed.success) {
      throw new AppError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'Invalid change');
    }
    const target = conv as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value === undefined) continue;
      if (value === null) delete target[key];
      else target[key] = value;
    }
    await this.persist(id);
    return conv;
  }

  /** Deletes a conversation and its file; `undoDelete` brings the last one back. */
  async delete(id: string): Promise<void> {
    const conv = this.get(id);
    this.cancelTimer(id);
    this.conversations.delete(id);
    this.lastDeleted = conv;
    await this.persist(id);
  }

  async undoDelete(): Promise<ConversationSummary | null> {
    const conv = this.lastDeleted;
    if (conv === null) return null;
    this.lastDeleted = null;
    this.conversations.set(conv.id, conv);
    await this.persist(conv.id);
    return summarize(conv);
  }

  /** Stores a whole conversation (insert or replace) and writes it now. */
  async save(conv: Conversation): Promise<void> {
    this.conversations.set(conv.id, conv);
    await this.flush(conv.id);
  }

  /**
   * Asks for a write soon: at most one write per saveIntervalMs per conversation, so a streaming
   * reply costs a couple of writes a second however fast tokens arrive.
   */
  saveSoon(id: string): void {
    if (this.timers.has(id) || !this.conversations.has(id)) return;
    const since = this.clock.now() - (this.lastWriteAt.get(id) ?? -Infinity);
    const delay = Math.max(0, this.saveIntervalMs - since);
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(id);
      this.persist(id).catch((error: unknown) => this.options.onWriteError?.(id, error));
    }, delay);
    this.timers.set(id, timer);
  }

  /** Writes one conversation now (or every one with a pending saveSoon) and waits for all writes. */
  async flush(id?: string): Promise<void> {
    if (id !== undefined) {
      this.cancelTimer(id);
      await this.persist(id);
      return;
    }
    for (const pending of [...this.timers.keys()]) {
      this.cancelTimer(pending);
      void this.persist(pending).catch(() => {});
    }
    await Promise.all([...this.tails.values()]);
  }

  /** Markdown transcript or re-importable JSON of some conversations (all when ids is undefined). */
  exportText(ids: string[] | undefined, format: 'markdown' | 'json'): FileExport {
    const conversations =
      ids === undefined ? this.list().map((s) => this.get(s.id)) : ids.map((id) => this.get(id));
    const now = this.clock.now();
    if (format === 'json') return exportJson(conversations, now);
    return exportMarkdown(conversations, now, this.options.profileName ?? (() => undefined));
  }

  /** Imports an exported JSON file. Every conversation gets a fresh id; a bad file writes nothing. */
  async importText(text: string): Promise<ConversationSummary[]> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError('INVALID_FILE', 'This file is not JSON.');
    }
    const parsed = exportFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
      throw new AppError('INVALID_FILE', `This is not an Ollama Desk conversations file${where}.`, {
        hint: issue?.message
      });
    }
    const imported: Conversation[] = parsed.data.conversations.map((conv) => ({
      ...conv,
      id: randomUUID(),
      messages: conv.messages.map((m): Message => ({
        ...m,
        id: randomUUID(),
        ...(m.status === 'streaming' ? { status: 'broken' as const } : {})
      }))
    }));
    for (const conv of imported) this.conversations.set(conv.id, conv);
    await Promise.all(imported.map((conv) => this.persist(conv.id)));
    return imported.map(summarize);
  }

  private cancelTimer(id: string): void {
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }

  /** Queues a write of the conversation's current state (or removal of its file when it is gone). */
  private persist(id: string): Promise<void> {
    const queued = this.queued.get(id);
    if (queued) return queued;
    const previous = this.tails.get(id) ?? Promise.resolve();
    const write = previous.then(() => {
      // From here on, a new change needs a new write: this one may already have serialized.
      this.queued.delete(id);
      this.lastWriteAt.set(id, this.clock.now());
      return this.writeNow(id);
    });
    this.queued.set(id, write);
    const tail = write.catch(() => {});
    this.tails.set(id, tail);
    void tail.then(() => {
      if (this.tails.get(id) === tail) this.tails.delete(id);
    });
    return write;
  }

  private async writeNow(id: string): Promise<void> {
    const path = join(this.dir, `${id}.json`);
    const conv = this.conversations.get(id);
    if (conv === undefined) {
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      return;
    }
    await writeFileAtomic(path, JSON.stringify(conv));
  }
}

export function summarize(conv: Conversation): ConversationSummary {
  return {
    id: conv.id,
    title: conv.title,
    profileId: conv.profileId,
    model: conv.model,
    updatedAt: conv.updatedAt,
    messageCount: conv.messages.length
  };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
