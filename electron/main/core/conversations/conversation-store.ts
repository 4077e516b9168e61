/**
 * Conversations on disk: one JSON file per conversation (`<dir>/<id>.json`), written atomically.
 *
 * All conversations are held in memory (read once at open): the list, full-text search and the chat
 * engine work on these objects. `get` returns the store's own object, so the engine can append to a
 * streaming reply in place and ask for a throttled write (`saveSoon`); every other change goes through
 * a method that writes before it resolves. Writes of one conversation are serialized and coalesced, so
 * the file always holds the newest state that was asked for.
 *
 * Each conversation's messages are a tree (message-tree.ts) and `messages` is the path shown. Whoever
 * changes the path (the engine appends, or cuts it back to a message and appends a new version) only
 * edits that array: the store adds every message it has not seen to the tree, under the one before it
 * on the path, and a message cut from the path stays in the tree. Nothing leaves a tree but with its
 * conversation.
 *
 * A conversation with no message yet (a new chat) lives in memory only: it is not listed and not
 * written until its first message.
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
import {
  RECORD_VERSION,
  exportFileSchema,
  storedConversationSchema,
  type ConversationRecord,
  type LineConversation
} from './conversation-schema';
import { exportJson, exportMarkdown, type ProfileNamer } from './conversation-export';
import { matchConversation, queryMatcher } from './conversation-search';
import { MessageTree, ROOT, setParent } from './message-tree';

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

/** Conversation files that could not be read at open, and where they were kept. */
export interface UnreadableFile {
  file: string;
  /** The name it was moved to in the same folder, or null when it could not be moved. */
  keptAs: string | null;
  reason: string;
}

export class ConversationStore {
  private readonly conversations = new Map<string, Conversation>();
  private readonly trees = new Map<string, MessageTree>();
  private lastDeleted: { conv: Conversation; tree: MessageTree } | null = null;
  /** Files found unreadable at open (moved aside): the app tells the user once. */
  readonly unreadable: UnreadableFile[] = [];
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
    let loaded: { conv: Conversation; tree: MessageTree };
    try {
      const parsed = storedConversationSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'not a conversation');
      loaded = fromStored(parsed.data);
    } catch (error) {
      const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
      const keptAs = `${name}.corrupt-${stamp}`;
      const moved = await rename(path, join(this.dir, keptAs)).then(
        () => true,
        () => false
      );
      const reason = error instanceof Error ? error.message : String(error);
      this.unreadable.push({ file: name, keptAs: moved ? keptAs : null, reason });
      return;
    }
    const { conv, tree } = loaded;
    if (tree.size === 0) {
      // An empty chat written by an earlier version: clutter with nothing in it.
      await unlink(path).catch(() => {});
      return;
    }
    // The file name is the identity: it is what every later write goes to.
    conv.id = name.slice(0, -'.json'.length);
    let interrupted = false;
    for (const message of tree.all) {
      if (message.status === 'streaming') {
        // The app ended while this reply streamed: keep the text, say it is incomplete.
        message.status = 'broken';
        interrupted = true;
      }
    }
    this.conversations.set(conv.id, conv);
    this.trees.set(conv.id, tree);
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
      // A new chat is listed from its first message on.
      if (conv.messages.length === 0 && (this.trees.get(conv.id)?.size ?? 0) === 0) continue;
      if (matcher === null) {
        result.push(summarize(conv));
        continue;
      }
      const match = matchConversation(conv.title, this.sync(conv.id).all, matcher);
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

  /**
   * A copy of the conversation as it is now (its messages copied too): for an answer that must not
   * change while a reply streams into the store's own object.
   */
  snapshot(id: string): Conversation {
    this.sync(id);
    const conv = this.get(id);
    return { ...conv, messages: conv.messages.map((m) => ({ ...m })) };
  }

  /**
   * Forgets a reply that failed before a single word arrived, when it is asked for again: a version
   * with nothing in it would only be clutter beside the new one. Any other message stays.
   */
  dropEmptyFailure(id: string, messageId: string): void {
    const tree = this.sync(id);
    const message = tree.get(messageId);
    const empty =
      message?.role === 'assistant' &&
      (message.status === 'error' || message.status === 'stopped' || message.status === 'broken') &&
      message.content === '' &&
      (message.thinking ?? '') === '';
    if (!empty || !tree.removeLeaf(messageId)) return;
    const conv = this.get(id);
    conv.messages = conv.messages.filter((m) => m.id !== messageId);
    conv.alternatives = tree.alternatives(conv.messages);
  }

  /** Shows the path through a message (one of several versions): it is the history sent next. */
  async chooseBranch(id: string, messageId: string): Promise<Conversation> {
    const conv = this.get(id);
    const tree = this.sync(id);
    if (!tree.choose(messageId)) {
      throw new AppError('NOT_FOUND', 'This message does not exist (any more).');
    }
    conv.messages = tree.path();
    conv.alternatives = tree.alternatives(conv.messages);
    await this.persist(id);
    return conv;
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
    this.trees.set(conv.id, new MessageTree());
    // Not written yet: a chat reaches the disk (and the list) with its first message.
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
    const tree = this.sync(id);
    this.cancelTimer(id);
    this.conversations.delete(id);
    this.trees.delete(id);
    this.lastDeleted = { conv, tree };
    await this.persist(id);
  }

  async undoDelete(): Promise<ConversationSummary | null> {
    const deleted = this.lastDeleted;
    if (deleted === null) return null;
    this.lastDeleted = null;
    const { conv, tree } = deleted;
    this.conversations.set(conv.id, conv);
    this.trees.set(conv.id, tree);
    await this.persist(conv.id);
    return summarize(conv);
  }

  /**
   * Stores a whole conversation (insert or replace) and writes it now. A conversation the store has
   * not seen is taken as one line of messages.
   */
  async save(conv: Conversation): Promise<void> {
    if (this.conversations.get(conv.id) !== conv) this.trees.set(conv.id, new MessageTree());
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
    if (format === 'json') {
      return exportJson(
        conversations.map((conv) => this.record(conv)),
        now
      );
    }
    // The Markdown is a transcript: the path shown.
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
    const imported: { conv: Conversation; tree: MessageTree }[] = [];
    for (const [index, stored] of parsed.data.conversations.entries()) {
      try {
        const entry = fromStored(withFreshIds(stored));
        if (entry.tree.size > 0) imported.push(entry);
      } catch (error) {
        throw new AppError(
          'INVALID_FILE',
          `This is not an Ollama Desk conversations file (at conversations.${index}).`,
          {
            hint: error instanceof Error ? error.message : String(error)
          }
        );
      }
    }
    for (const { conv, tree } of imported) {
      for (const m of tree.all) if (m.status === 'streaming') m.status = 'broken';
      this.conversations.set(conv.id, conv);
      this.trees.set(conv.id, tree);
    }
    await Promise.all(imported.map(({ conv }) => this.persist(conv.id)));
    return imported.map(({ conv }) => summarize(conv));
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
    const record = this.record(conv);
    // A new chat is not written until its first message.
    if (record.messages.length === 0) return;
    await writeFileAtomic(path, JSON.stringify(record));
  }

  /**
   * Brings the tree up to date with the path: a message on the path that the tree has not seen is
   * added under the one before it. Returns the tree.
   */
  private sync(id: string): MessageTree {
    const conv = this.get(id);
    let tree = this.trees.get(id);
    if (tree === undefined) {
      tree = new MessageTree();
      this.trees.set(id, tree);
    }
    let parent: string | undefined;
    let added = false;
    for (const message of conv.messages) {
      if (!tree.has(message.id)) {
        setParent(message, parent);
        tree.add(message);
        added = true;
      } else {
        // A message put back as a new object (same id) replaces the old one.
        tree.replace(message);
      }
      parent = message.id;
    }
    if (added || conv.alternatives === undefined) {
      conv.alternatives = tree.alternatives(conv.messages);
    }
    return tree;
  }

  /** The conversation as a file holds it: every branch, and the choice at each parent. */
  private record(conv: Conversation): ConversationRecord {
    const { messages: _path, alternatives: _derived, ...rest } = conv;
    const tree = this.sync(conv.id).toRecord();
    return { ...rest, version: RECORD_VERSION, messages: tree.messages, chosen: tree.chosen };
  }
}

/** A conversation and its tree from a file or an export entry (a line of messages becomes a tree). */
function fromStored(stored: ConversationRecord | LineConversation): {
  conv: Conversation;
  tree: MessageTree;
} {
  let tree: MessageTree;
  let rest: Omit<LineConversation, 'messages'>;
  if ('version' in stored) {
    const { version: _version, chosen, messages, ...others } = stored;
    tree = new MessageTree({ messages, chosen });
    rest = others;
  } else {
    const { messages, ...others } = stored;
    tree = MessageTree.fromLine(messages);
    rest = others;
  }
  const messages = tree.path();
  return { conv: { ...rest, messages, alternatives: tree.alternatives(messages) }, tree };
}

/** An imported conversation gets new ids (its own and its messages'), so nothing collides. */
function withFreshIds(stored: ConversationRecord | LineConversation): ConversationRecord | LineConversation {
  const ids = new Map<string, string>();
  const fresh = (old: string): string => {
    let id = ids.get(old);
    if (id === undefined) {
      id = randomUUID();
      ids.set(old, id);
    }
    return id;
  };
  const messages = stored.messages.map((m): Message => {
    const copy: Message = { ...m, id: fresh(m.id) };
    // A parent that is not in the file stays unknown (and the tree refuses it).
    if (m.parentId !== undefined) copy.parentId = ids.get(m.parentId) ?? `missing-${m.parentId}`;
    return copy;
  });
  if (!('version' in stored)) return { ...stored, id: randomUUID(), messages };
  const chosen: Record<string, string> = {};
  for (const [parent, child] of Object.entries(stored.chosen)) {
    const key = parent === ROOT ? ROOT : ids.get(parent);
    const value = ids.get(child);
    if (key !== undefined && value !== undefined) chosen[key] = value;
  }
  return { ...stored, id: randomUUID(), messages, chosen };
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
