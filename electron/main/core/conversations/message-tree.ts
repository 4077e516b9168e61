/**
 * The messages of one conversation as a tree: each message names its parent (`parentId`, absent for
 * the first ones), and each parent remembers which of its children is shown (`chosen`). Regenerate
 * and edit add a child beside the old one, so nothing is overwritten; the path shown runs from the
 * chosen first message down through chosen children, and it is the history the next request sends.
 *
 * The shape is what a table holds: a messages table with a parent id, and a (parent, child) choice
 * per parent (design.md §4).
 */
import type { Message } from '@shared/domain';

/** The key of the first messages' choice in `chosen` (ids are never empty). */
export const ROOT = '';

export interface TreeRecord {
  /** Every message of every branch, each parent before its children (the order they were written). */
  messages: Message[];
  /** Parent id (ROOT for the first messages) → the child shown. */
  chosen: Record<string, string>;
}

export class MessageTree {
  private readonly list: Message[] = [];
  private readonly byId = new Map<string, Message>();
  private readonly children = new Map<string, Message[]>();
  private readonly chosen = new Map<string, string>();

  /** Checks the record as it adds it: a parent unknown before its child, or a duplicate id, throws. */
  constructor(record: TreeRecord = { messages: [], chosen: {} }) {
    for (const message of record.messages) this.add(message);
    for (const [parent, child] of Object.entries(record.chosen)) {
      // A choice that names no child of that parent is ignored: the newest child is shown instead.
      if (this.byId.get(child)?.parentId === (parent === ROOT ? undefined : parent)) {
        this.chosen.set(parent, child);
      }
    }
  }

  /** Today's files (and version 1 exports) hold one line of messages: each one's parent is the one before. */
  static fromLine(messages: Message[]): MessageTree {
    const tree = new MessageTree();
    let parent: string | undefined;
    for (const message of messages) {
      setParent(message, parent);
      tree.add(message);
      parent = message.id;
    }
    return tree;
  }

  get size(): number {
    return this.list.length;
  }

  get all(): readonly Message[] {
    return this.list;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Message | undefined {
    return this.byId.get(id);
  }

  /** Adds a message under its `parentId` and shows it (a new reply or version is what the user wants to see). */
  add(message: Message): void {
    if (this.byId.has(message.id)) throw new Error(`message ${message.id} is there twice`);
    const key = message.parentId ?? ROOT;
    if (key !== ROOT && !this.byId.has(key)) throw new Error(`message ${message.id} has an unknown parent`);
    this.list.push(message);
    this.byId.set(message.id, message);
    const siblings = this.children.get(key);
    if (siblings) siblings.push(message);
    else this.children.set(key, [message]);
    this.chosen.set(key, message.id);
  }

  /** Puts a new object in the place of the message with its id (same parent, same children). */
  replace(message: Message): void {
    const old = this.byId.get(message.id);
    if (old === undefined || old === message) return;
    setParent(message, old.parentId);
    this.byId.set(message.id, message);
    this.list[this.list.indexOf(old)] = message;
    const siblings = this.children.get(old.parentId ?? ROOT)!;
    siblings[siblings.indexOf(old)] = message;
  }

  /** Takes out a message that nothing follows (its parent then shows its newest other child). */
  removeLeaf(id: string): boolean {
    const message = this.byId.get(id);
    if (message === undefined || (this.children.get(id)?.length ?? 0) > 0) return false;
    const key = message.parentId ?? ROOT;
    const siblings = this.children.get(key)!;
    siblings.splice(siblings.indexOf(message), 1);
    if (siblings.length === 0) this.children.delete(key);
    if (this.chosen.get(key) === id) this.chosen.delete(key);
    this.list.splice(this.list.indexOf(message), 1);
    this.byId.delete(id);
    return true;
  }

  /** The path shown: from the chosen first message through chosen children (the newest where none was chosen). */
  path(): Message[] {
    const path: Message[] = [];
    let key = ROOT;
    for (;;) {
      const siblings = this.children.get(key);
      if (siblings === undefined || siblings.length === 0) return path;
      const chosenId = this.chosen.get(key);
      const next = siblings.find((m) => m.id === chosenId) ?? siblings[siblings.length - 1]!;
      path.push(next);
      key = next.id;
    }
  }

  /** Shows the path through a message: it and each of its ancestors become their parent's choice. */
  choose(id: string): boolean {
    let message = this.byId.get(id);
    if (message === undefined) return false;
    while (message !== undefined) {
      this.chosen.set(message.parentId ?? ROOT, message.id);
      message = message.parentId === undefined ? undefined : this.byId.get(message.parentId);
    }
    return true;
  }

  /** For each message on the path that has alternatives: all their ids, oldest first (itself included). */
  alternatives(path: readonly Message[]): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const message of path) {
      const siblings = this.children.get(message.parentId ?? ROOT) ?? [];
      if (siblings.length > 1) result[message.id] = siblings.map((m) => m.id);
    }
    return result;
  }

  toRecord(): TreeRecord {
    return { messages: this.list, chosen: Object.fromEntries(this.chosen) };
  }
}

export function setParent(message: Message, parentId: string | undefined): void {
  if (parentId === undefined) delete message.parentId;
  else message.parentId = parentId;
}
