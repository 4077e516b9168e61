import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, ConversationSettings, Message } from '@shared/domain';
import { AppError } from '@shared/errors';
import {
  ConversationStore,
  DEFAULT_TITLE
} from '../../../electron/main/core/conversations/conversation-store';

const settings: ConversationSettings = { profileId: 'p1', model: 'llama3.2:latest', jsonMode: false };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conv-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function message(role: Message['role'], content: string, extra: Partial<Message> = {}): Message {
  return { id: `m-${Math.random().toString(36).slice(2)}`, role, content, createdAt: Date.now(), ...extra };
}

async function withMessages(
  store: ConversationStore,
  contents: string[],
  at?: number
): Promise<Conversation> {
  const conv = await store.create(settings);
  contents.forEach((c, i) => conv.messages.push(message(i % 2 === 0 ? 'user' : 'assistant', c)));
  if (at !== undefined) conv.updatedAt = at;
  await store.save(conv);
  return conv;
}

async function readConv(id: string): Promise<Conversation> {
  return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as Conversation;
}

describe('ConversationStore', () => {
  it('creates, gets, renames, updates and survives a reopen', async () => {
    const store = await ConversationStore.open(dir);
    const conv = await store.create({ ...settings, presetId: 'builtin-helpful', keepAlive: '10m' });
    expect(conv.title).toBe(DEFAULT_TITLE);
    expect(store.get(conv.id)).toBe(conv);
    // A new chat is neither listed nor written before its first message.
    expect(store.list()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
    conv.messages.push(message('user', 'hello'));
    await store.save(conv);
    expect((await readConv(conv.id)).model).toBe('llama3.2:latest');
    expect(store.list().map((s) => s.id)).toEqual([conv.id]);

    const summary = await store.rename(conv.id, '  My   chat ');
    expect(summary).toMatchObject({ id: conv.id, title: 'My chat', messageCount: 1 });

    const updated = await store.update(conv.id, {
      model: 'qwen3:8b',
      keepAlive: null,
      think: true,
      system: 'Be brief.',
      options: { temperature: 0.2 }
    });
    expect(updated.model).toBe('qwen3:8b');
    expect('keepAlive' in updated).toBe(false);
    expect(updated.presetId).toBe('builtin-helpful');

    const reopened = await ConversationStore.open(dir);
    const back = reopened.get(conv.id);
    expect(back).toMatchObject({
      title: 'My chat',
      model: 'qwen3:8b',
      think: true,
      system: 'Be brief.',
      options: { temperature: 0.2 }
    });
    expect(back.keepAlive).toBeUndefined();
  });

  it('throws NOT_FOUND for an unknown id', async () => {
    const store = await ConversationStore.open(dir);
    expect(() => store.get('nope')).toThrow(AppError);
    try {
      store.get('nope');
    } catch (error) {
      expect((error as AppError).code).toBe('NOT_FOUND');
    }
    await expect(store.rename('nope', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists newest first and searches titles and message text case-insensitively with a snippet', async () => {
    const store = await ConversationStore.open(dir);
    const old = await withMessages(store, ['Tell me about the Eiffel Tower', 'It is in Paris.'], 1000);
    const mid = await withMessages(
      store,
      ['How do I bake bread?', 'Use flour, water, yeast and salt.'],
      2000
    );
    const recent = await withMessages(store, ['hello'], 3000);
    await store.rename(recent.id, 'Paris trip plans');

    expect(store.list().map((s) => s.id)).toEqual([recent.id, mid.id, old.id]);

    const hits = store.list('PARIS');
    expect(hits.map((s) => s.id)).toEqual([recent.id, old.id]);
    expect(hits[1]?.snippet).toContain('Paris');
    expect(hits[0]?.snippet).toBeUndefined(); // title-only hit

    const yeast = store.list('yeast and');
    expect(yeast).toHaveLength(1);
    expect(yeast[0]?.snippet).toBe('Use flour, water, yeast and salt.');

    const long = await withMessages(store, [`${'a'.repeat(200)} needle ${'b'.repeat(200)}`], 4000);
    const needle = store.list('needle');
    expect(needle[0]?.id).toBe(long.id);
    expect(needle[0]?.snippet).toMatch(/^…a+ needle b+…$/);
    expect((needle[0]?.snippet ?? '').length).toBeLessThan(100);

    expect(store.list('no such words')).toEqual([]);
    expect(store.list('a.b*c(')).toEqual([]); // regex characters are literal
    expect(store.list('   ')).toHaveLength(4);
  });

  it('deletes and undoes the last delete', async () => {
    const store = await ConversationStore.open(dir);
    const a = await withMessages(store, ['first']);
    const b = await withMessages(store, ['second']);
    await store.delete(a.id);
    await store.delete(b.id);
    expect(await readdir(dir)).toEqual([]);
    expect(store.list()).toEqual([]);

    const back = await store.undoDelete();
    expect(back?.id).toBe(b.id);
    expect(await readdir(dir)).toEqual([`${b.id}.json`]);
    expect((await readConv(b.id)).messages[0]?.content).toBe('second');
    expect(await store.undoDelete()).toBeNull();
  });

  it('moves a corrupt file aside and keeps listing the rest', async () => {
    const store = await ConversationStore.open(dir);
    const good = await withMessages(store, ['fine']);
    await writeFile(join(dir, 'broken.json'), '{"id": "broken", "title": ');
    await writeFile(join(dir, 'wrong-shape.json'), JSON.stringify({ id: 'x', title: 3 }));
    await writeFile(join(dir, `${good.id}.json.tmp-123-4`), 'half a write');

    const reopened = await ConversationStore.open(dir);
    expect(reopened.list().map((s) => s.id)).toEqual([good.id]);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(3);
    expect(files.filter((f) => f.startsWith('broken.json.corrupt-'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('wrong-shape.json.corrupt-'))).toHaveLength(1);
    expect(files).toContain(`${good.id}.json`);
  });

  it('marks a reply that was streaming when the app died as broken, keeping its text', async () => {
    const store = await ConversationStore.open(dir);
    const conv = await store.create(settings);
    conv.messages.push(message('user', 'hi'), message('assistant', 'partial', { status: 'streaming' }));
    await store.save(conv);
    const reopened = await ConversationStore.open(dir);
    expect(reopened.get(conv.id).messages[1]).toMatchObject({ content: 'partial', status: 'broken' });
    expect((await readConv(conv.id)).messages[1]?.status).toBe('broken');
  });

  it('exports JSON and imports it back with fresh ids', async () => {
    const store = await ConversationStore.open(dir);
    const a = await withMessages(store, ['What is 2+2?', '4'], 1000);
    a.messages[1] = {
      ...(a.messages[1] as Message),
      status: 'done',
      model: 'llama3.2:latest',
      metrics: { evalCount: 3 }
    };
    await store.save(a);
    const b = await withMessages(store, ["It's a quote: 'x' \"y\"\nnew line ✓"], 2000);

    const file = store.exportText(undefined, 'json');
    expect(file.mime).toBe('application/json');
    expect(file.filename).toMatch(/\.json$/);
    const parsed = JSON.parse(file.text) as {
      app: string;
      kind: string;
      version: number;
      conversations: Conversation[];
    };
    expect(parsed).toMatchObject({ app: 'ollama-desk', kind: 'conversations', version: 2 });
    expect(parsed.conversations.map((c) => c.id)).toEqual([b.id, a.id]);

    const otherDir = await mkdtemp(join(tmpdir(), 'conv-import-'));
    try {
      const other = await ConversationStore.open(otherDir);
      const first = await other.importText(file.text);
      const second = await other.importText(file.text); // same file twice: no collisions
      expect(first).toHaveLength(2);
      expect(second).toHaveLength(2);
      const ids = new Set([...first, ...second].map((s) => s.id));
      expect(ids.size).toBe(4);
      expect(ids.has(a.id) || ids.has(b.id)).toBe(false);
      expect(await readdir(otherDir)).toHaveLength(4);

      const reopened = await ConversationStore.open(otherDir);
      const importedA = reopened.get(first.find((s) => s.updatedAt === 1000)?.id ?? '');
      expect(importedA.messages.map((m) => m.content)).toEqual(['What is 2+2?', '4']);
      expect(importedA.messages[1]).toMatchObject({ status: 'done', metrics: { evalCount: 3 } });
      const importedB = reopened.get(first.find((s) => s.updatedAt === 2000)?.id ?? '');
      expect(importedB.messages[0]?.content).toBe("It's a quote: 'x' \"y\"\nnew line ✓");
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad import file and writes nothing', async () => {
    const store = await ConversationStore.open(dir);
    const good = JSON.parse(store.exportText([(await withMessages(store, ['x'])).id], 'json').text) as {
      conversations: Conversation[];
    };
    const before = await readdir(dir);
    const bad = [
      'not json at all',
      JSON.stringify({ app: 'something-else', kind: 'conversations', version: 1, conversations: [] }),
      JSON.stringify({ ...good, version: 3 }),
      // One good conversation and one broken one: all or nothing.
      JSON.stringify({ ...good, conversations: [...good.conversations, { id: 'q', title: 'no messages' }] })
    ];
    for (const text of bad) {
      await expect(store.importText(text)).rejects.toMatchObject({ code: 'INVALID_FILE' });
    }
    expect(await readdir(dir)).toEqual(before);
    expect(store.list()).toHaveLength(1);
  });

  it('exports a readable Markdown transcript', async () => {
    const store = await ConversationStore.open(dir, {
      profileName: (id) => (id === 'p1' ? 'Desk box' : undefined)
    });
    const conv = await store.create(settings);
    conv.messages.push(
      message('user', 'Hi there'),
      message('assistant', 'Hello!', { status: 'done', model: 'llama3.2:latest', profileId: 'p1' }),
      message('user', 'More?'),
      message('assistant', 'Partial', { status: 'stopped', model: 'llama3.2:latest', profileId: 'p1' })
    );
    await store.save(conv);
    await store.rename(conv.id, 'Greetings');
    const md = store.exportText([conv.id], 'markdown');
    expect(md.mime).toBe('text/markdown');
    expect(md.filename).toBe('greetings.md');
    expect(md.text).toContain('# Greetings');
    expect(md.text).toContain('- Model: llama3.2:latest');
    expect(md.text).toContain('- Server: Desk box');
    expect(md.text).toMatch(/## User\n\nHi there/);
    expect(md.text).toMatch(/## Assistant \(llama3\.2:latest on Desk box\)\n\nHello!/);
    expect(md.text).toContain('_(stopped)_');
  });

  it('saveSoon writes at most about once per interval and flush writes now', async () => {
    const store = await ConversationStore.open(dir, { saveIntervalMs: 200 });
    const conv = await store.create(settings);
    const reply = message('assistant', '', { status: 'streaming' });
    conv.messages.push(reply);
    await store.flush(conv.id);

    const seen: string[] = [];
    const started = Date.now();
    while (Date.now() - started < 700) {
      reply.content += 'x';
      store.saveSoon(conv.id);
      await new Promise((r) => setTimeout(r, 5));
      const onDisk = (await readConv(conv.id)).messages[0]?.content ?? '';
      if (seen.at(-1) !== onDisk) seen.push(onDisk);
    }
    // ~700 ms at one write per 200 ms: a handful of distinct states, far fewer than the ~100 changes.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(6);
    // As the engine does: every change asks for a save; flush then writes whatever is pending now.
    reply.content += 'END';
    store.saveSoon(conv.id);
    await store.flush();
    expect((await readConv(conv.id)).messages[0]?.content).toBe(reply.content);
  });

  it('coalesces concurrent writes and always ends with the newest state', async () => {
    const store = await ConversationStore.open(dir);
    const conv = await store.create(settings);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 50; i += 1) {
      conv.messages.push(message('user', `m${i}`));
      writes.push(store.save(conv));
    }
    await Promise.all(writes);
    expect((await readConv(conv.id)).messages).toHaveLength(50);
  });
});
