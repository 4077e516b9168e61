/**
 * Branches in the store: a message cut from the path stays, a version can be chosen, and every
 * branch survives a reopen, search, export and import. Today's files (one line of messages) load.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, ConversationSettings, Message } from '@shared/domain';
import { ConversationStore } from '../../../electron/main/core/conversations/conversation-store';
import { conversationsUnreadable } from '../../../electron/main/core/conversations/unreadable-notice';

const settings: ConversationSettings = { profileId: 'p1', model: 'llama3.2:latest', jsonMode: false };

let dir: string;
let seq = 0;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conv-branches-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function message(role: Message['role'], content: string): Message {
  seq += 1;
  return { id: `m${seq}-${content.replace(/\W+/g, '-')}`, role, content, createdAt: seq };
}

const contents = (conv: Conversation) => conv.messages.map((m) => m.content);

/**
 * question ─ answer one
 *          ├ answer two
 *          └ answer three ─ follow-up ─ follow-up answer      (regenerated twice, then went on)
 * question, edited ─ edited answer                            (the first message edited)
 */
async function branched(store: ConversationStore): Promise<Conversation> {
  const conv = await store.create(settings);
  conv.messages.push(message('user', 'question'), message('assistant', 'answer one'));
  await store.save(conv);
  for (const text of ['answer two', 'answer three']) {
    conv.messages.splice(1, conv.messages.length - 1, message('assistant', text));
    await store.save(conv);
  }
  conv.messages.push(message('user', 'follow-up'), message('assistant', 'follow-up answer'));
  await store.save(conv);
  conv.messages.splice(0, conv.messages.length, message('user', 'question, edited'));
  conv.messages.push(message('assistant', 'edited answer'));
  await store.save(conv);
  return conv;
}

describe('ConversationStore branches', () => {
  it('keeps what is cut from the path, and shows the version chosen, across a reopen', async () => {
    const store = await ConversationStore.open(dir);
    const conv = await branched(store);
    expect(contents(conv)).toEqual(['question, edited', 'edited answer']);
    const [edited] = conv.messages;
    const question = Object.keys(conv.alternatives ?? {}).length;
    expect(question).toBe(1);
    const versions = conv.alternatives?.[edited!.id] ?? [];
    expect(versions).toHaveLength(2);

    // Back to the original question: its last shown path comes back with it.
    const shown = await store.chooseBranch(conv.id, versions[0]!);
    expect(contents(shown)).toEqual(['question', 'answer three', 'follow-up', 'follow-up answer']);
    const answers = shown.alternatives?.[shown.messages[1]!.id] ?? [];
    expect(answers).toHaveLength(3);
    await store.chooseBranch(conv.id, answers[0]!);
    expect(contents(store.get(conv.id))).toEqual(['question', 'answer one']);
    expect(store.summary(conv.id).messageCount).toBe(2);

    const reopened = await ConversationStore.open(dir);
    const back = reopened.get(conv.id);
    expect(contents(back)).toEqual(['question', 'answer one']);
    expect(back.alternatives?.[back.messages[1]!.id]).toEqual(answers);
    await reopened.chooseBranch(conv.id, answers[2]!);
    expect(contents(reopened.get(conv.id))).toEqual([
      'question',
      'answer three',
      'follow-up',
      'follow-up answer'
    ]);
    await expect(reopened.chooseBranch(conv.id, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('searches every branch, not only the one shown', async () => {
    const store = await ConversationStore.open(dir);
    const conv = await branched(store);
    expect(store.list('answer two').map((s) => s.id)).toEqual([conv.id]);
    expect(store.list('answer two')[0]?.snippet).toBe('answer two');
  });

  it('exports every branch as JSON and imports them back; Markdown is the path shown', async () => {
    const store = await ConversationStore.open(dir);
    const conv = await branched(store);
    const json = store.exportText([conv.id], 'json');
    const file = JSON.parse(json.text) as { version: number; conversations: { messages: Message[] }[] };
    expect(file.version).toBe(2);
    expect(file.conversations[0]!.messages).toHaveLength(8);

    const md = store.exportText([conv.id], 'markdown').text;
    expect(md).toContain('edited answer');
    expect(md).not.toContain('answer two');
    expect(md).not.toContain('follow-up');

    const otherDir = await mkdtemp(join(tmpdir(), 'conv-branches-import-'));
    try {
      const other = await ConversationStore.open(otherDir);
      const [summary] = await other.importText(json.text);
      const imported = other.get(summary!.id);
      expect(imported.id).not.toBe(conv.id);
      expect(contents(imported)).toEqual(['question, edited', 'edited answer']);
      expect(imported.messages.some((m) => conv.messages.some((o) => o.id === m.id))).toBe(false);
      const versions = imported.alternatives?.[imported.messages[0]!.id] ?? [];
      expect(versions).toHaveLength(2);
      const original = await other.chooseBranch(imported.id, versions[0]!);
      expect(contents(original)).toEqual(['question', 'answer three', 'follow-up', 'follow-up answer']);
      expect(original.alternatives?.[original.messages[1]!.id]).toHaveLength(3);
      // And it is on disk as such.
      const again = (await ConversationStore.open(otherDir)).get(imported.id);
      expect(contents(again)).toEqual(['question', 'answer three', 'follow-up', 'follow-up answer']);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('imports files of the version 1 format (one line of messages)', async () => {
    const store = await ConversationStore.open(dir);
    const v1 = {
      app: 'ollama-desk',
      kind: 'conversations',
      version: 1,
      exportedAt: '2026-01-01T00:00:00.000Z',
      conversations: [
        {
          id: 'old',
          title: 'From last year',
          createdAt: 1,
          updatedAt: 2,
          profileId: 'p1',
          model: 'llama3.2:latest',
          jsonMode: false,
          messages: [
            { id: 'a', role: 'user', content: 'hello', createdAt: 1 },
            { id: 'b', role: 'assistant', content: 'hi', createdAt: 2, status: 'done' }
          ]
        }
      ]
    };
    const [summary] = await store.importText(JSON.stringify(v1));
    const conv = store.get(summary!.id);
    expect(contents(conv)).toEqual(['hello', 'hi']);
    expect(conv.messages[1]!.parentId).toBe(conv.messages[0]!.id);
    // A version 2 file whose message names a parent it does not hold is refused, and nothing is written.
    const broken = JSON.parse(store.exportText([conv.id], 'json').text) as {
      conversations: { messages: Message[] }[];
    };
    broken.conversations[0]!.messages[1]!.parentId = 'nowhere';
    const before = await readdir(dir);
    await expect(store.importText(JSON.stringify(broken))).rejects.toMatchObject({ code: 'INVALID_FILE' });
    expect(await readdir(dir)).toEqual(before);
  });

  it("loads today's files (one line of messages) and writes them back with every branch", async () => {
    const today = {
      id: 'c1',
      title: 'Written by the last release',
      createdAt: 1,
      updatedAt: 2,
      profileId: 'p1',
      model: 'llama3.2:latest',
      jsonMode: false,
      messages: [
        { id: 'u', role: 'user', content: 'question', createdAt: 1 },
        { id: 'a', role: 'assistant', content: 'answer', createdAt: 2, status: 'done' }
      ]
    };
    await writeFile(join(dir, 'c1.json'), JSON.stringify(today));
    const store = await ConversationStore.open(dir);
    expect(store.unreadable).toEqual([]);
    const conv = store.get('c1');
    expect(contents(conv)).toEqual(['question', 'answer']);

    conv.messages.splice(1, 1, message('assistant', 'another answer'));
    await store.save(conv);
    const onDisk = JSON.parse(await readFile(join(dir, 'c1.json'), 'utf8')) as {
      version: number;
      messages: Message[];
    };
    expect(onDisk.version).toBe(2);
    expect(onDisk.messages.map((m) => [m.content, m.parentId])).toEqual([
      ['question', undefined],
      ['answer', 'u'],
      ['another answer', 'u']
    ]);
  });

  it('never writes or lists an empty chat, and drops empty ones an earlier version wrote', async () => {
    await writeFile(
      join(dir, 'empty.json'),
      JSON.stringify({
        ...settings,
        id: 'empty',
        title: 'New chat',
        createdAt: 1,
        updatedAt: 1,
        messages: []
      })
    );
    const store = await ConversationStore.open(dir);
    expect(store.list()).toEqual([]);
    const draft = await store.create(settings);
    await store.update(draft.id, { model: 'qwen3:8b' });
    await store.rename(draft.id, 'Not yet');
    await store.flush();
    expect(store.list()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
    expect(store.get(draft.id).model).toBe('qwen3:8b');
  });

  it('reports each unreadable file with the folder where it was kept', async () => {
    await writeFile(join(dir, 'broken.json'), '{"id": "broken", "title": ');
    const store = await ConversationStore.open(dir);
    expect(store.unreadable).toHaveLength(1);
    const [file] = store.unreadable;
    expect(file!.file).toBe('broken.json');
    expect(file!.keptAs).toMatch(/^broken\.json\.corrupt-/);
    expect(await readdir(dir)).toEqual([file!.keptAs]);
    const notice = conversationsUnreadable(dir, store.unreadable);
    expect(notice?.message).toBe(
      `A conversation file could not be read. It was kept in ${dir} as ${file!.keptAs}.`
    );
    expect(conversationsUnreadable(dir, [])).toBeNull();
    // Moved aside, it is not reported again at the next start.
    expect((await ConversationStore.open(dir)).unreadable).toEqual([]);
  });
});
