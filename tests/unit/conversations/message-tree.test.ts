import { describe, expect, it } from 'vitest';
import type { Message } from '@shared/domain';
import { MessageTree, ROOT } from '../../../electron/main/core/conversations/message-tree';

function msg(id: string, role: Message['role'], parentId?: string): Message {
  return { id, role, content: id, createdAt: 0, ...(parentId ? { parentId } : {}) };
}

const ids = (messages: readonly Message[]) => messages.map((m) => m.id);

describe('MessageTree', () => {
  it('turns a line of messages into a chain and shows it whole', () => {
    const tree = MessageTree.fromLine([msg('u1', 'user'), msg('a1', 'assistant'), msg('u2', 'user')]);
    expect(ids(tree.path())).toEqual(['u1', 'a1', 'u2']);
    expect(tree.get('a1')?.parentId).toBe('u1');
    expect(tree.get('u1')?.parentId).toBeUndefined();
    expect(tree.alternatives(tree.path())).toEqual({});
  });

  it('shows a new version where it is added, and keeps the others', () => {
    const tree = MessageTree.fromLine([msg('u1', 'user'), msg('a1', 'assistant')]);
    tree.add(msg('a2', 'assistant', 'u1'));
    expect(ids(tree.path())).toEqual(['u1', 'a2']);
    expect(tree.alternatives(tree.path())).toEqual({ a2: ['a1', 'a2'] });
    expect(tree.size).toBe(3);
  });

  it('choosing a version shows the path through it, and each parent remembers its choice', () => {
    // u1 ─ a1 ─ u2 ─ a3
    //    └ a2
    // u1' ─ a4            (the first message edited)
    const tree = new MessageTree({
      messages: [
        msg('u1', 'user'),
        msg('a1', 'assistant', 'u1'),
        msg('a2', 'assistant', 'u1'),
        msg('u2', 'user', 'a1'),
        msg('a3', 'assistant', 'u2'),
        msg('u1b', 'user'),
        msg('a4', 'assistant', 'u1b')
      ],
      chosen: {}
    });
    // No choice recorded: the newest child at each step.
    expect(ids(tree.path())).toEqual(['u1b', 'a4']);
    expect(tree.choose('a1')).toBe(true);
    expect(ids(tree.path())).toEqual(['u1', 'a1', 'u2', 'a3']);
    expect(tree.alternatives(tree.path())).toEqual({ u1: ['u1', 'u1b'], a1: ['a1', 'a2'] });
    tree.choose('a2');
    expect(ids(tree.path())).toEqual(['u1', 'a2']);
    tree.choose('u1b');
    tree.choose('u1');
    // Back on u1, its remembered choice (a2) is shown, not the newest.
    expect(ids(tree.path())).toEqual(['u1', 'a2']);
    expect(tree.choose('nope')).toBe(false);

    // The record round-trips with the choices.
    const again = new MessageTree(tree.toRecord());
    expect(ids(again.path())).toEqual(['u1', 'a2']);
    expect(tree.toRecord().chosen[ROOT]).toBe('u1');
  });

  it('refuses a child before its parent and a repeated id; ignores a choice of no child', () => {
    expect(
      () => new MessageTree({ messages: [msg('a1', 'assistant', 'u1'), msg('u1', 'user')], chosen: {} })
    ).toThrow(/unknown parent/);
    expect(() => new MessageTree({ messages: [msg('u1', 'user'), msg('u1', 'user')], chosen: {} })).toThrow(
      /twice/
    );
    const tree = new MessageTree({
      messages: [msg('u1', 'user'), msg('a1', 'assistant', 'u1'), msg('a2', 'assistant', 'u1')],
      chosen: { u1: 'u1', [ROOT]: 'a1' }
    });
    expect(ids(tree.path())).toEqual(['u1', 'a2']);
  });

  it('replaces a message object in place, keeping its parent and children', () => {
    const tree = MessageTree.fromLine([msg('u1', 'user'), msg('a1', 'assistant'), msg('u2', 'user')]);
    const copy = { ...msg('a1', 'assistant'), content: 'changed' };
    tree.replace(copy);
    expect(tree.path()[1]).toBe(copy);
    expect(copy.parentId).toBe('u1');
    expect(ids(tree.path())).toEqual(['u1', 'a1', 'u2']);
  });

  it('removes only a message that nothing follows; its parent then shows the newest other child', () => {
    const tree = MessageTree.fromLine([msg('u1', 'user'), msg('a1', 'assistant')]);
    tree.add(msg('a2', 'assistant', 'u1'));
    expect(tree.removeLeaf('u1')).toBe(false);
    expect(tree.removeLeaf('a2')).toBe(true);
    expect(ids(tree.path())).toEqual(['u1', 'a1']);
    expect(tree.has('a2')).toBe(false);
    expect(tree.size).toBe(2);
    expect(tree.removeLeaf('a2')).toBe(false);
  });
});
