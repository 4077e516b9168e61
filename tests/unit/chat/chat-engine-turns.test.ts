/**
 * A real Ollama serves one request per model at a time (real-ollama.md D3): a reply queued behind
 * another of ours says so ("queued", not "loading"), and the background title request gives way to
 * the user's next message instead of making it wait.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent, ChatPhase, ConversationSettings } from '@shared/domain';
import { ChatEngine } from '../../../electron/main/core/chat/chat-engine';
import {
  ConversationStore,
  DEFAULT_TITLE
} from '../../../electron/main/core/conversations/conversation-store';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { ServerActivity } from '../../../electron/main/core/models/server-activity';
import { ModelService } from '../../../electron/main/core/models/model-service';
import { createFakeOllama } from '../../fake-ollama/server';
import type { FakeOllama, RecordedRequest } from '../../fake-ollama/types';

let fake: FakeOllama;
let dir: string;
let store: ConversationStore;
let engine: ChatEngine;
let activity: ServerActivity;
let events: ChatEvent[];
let loaded: boolean;

beforeAll(async () => {
  fake = await createFakeOllama();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  fake.setScenario({});
  dir = await mkdtemp(join(tmpdir(), 'chat-turns-'));
  store = await ConversationStore.open(dir);
  events = [];
  loaded = false;
  activity = new ServerActivity();
  engine = new ChatEngine({
    store,
    clientFor: async () =>
      new OllamaClient({
        baseUrl: fake.url,
        timeouts: { firstByteMs: 10_000, idleMs: 10_000, metaMs: 2000 }
      }),
    profileName: () => 'Server',
    presetFor: () => undefined,
    emit: (_name, e) => events.push(e),
    loadingAfterMs: 100,
    activity,
    isLoaded: () => loaded
  });
});
afterEach(async () => {
  await engine.stopAll();
  await engine.idle();
  await rm(dir, { recursive: true, force: true });
});

const base: ConversationSettings = { profileId: 'a', model: 'llama3.2:latest', jsonMode: false };

async function until<T>(fn: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
const phases = (messageId: string): ChatPhase[] =>
  events.flatMap((e) => (e.kind === 'phase' && e.messageId === messageId ? [e.phase] : []));
const finished = (messageId: string) =>
  until(() => events.find((e) => (e.kind === 'done' || e.kind === 'error') && e.messageId === messageId));
const isTitle = (r: RecordedRequest) => r.path === '/api/generate';

describe('one request per model at a time', () => {
  it('a second conversation on the same model is "queued" while the first one answers, then both are whole', async () => {
    const first = await store.create(base);
    const second = await store.create(base);
    await store.rename(first.id, 'x');
    await store.rename(second.id, 'y');
    fake.queueScenario({ reply: 'one two three four five', pacingMs: 150 });
    fake.queueScenario({ reply: 'second answer', firstByteDelayMs: 600 });
    const a = await engine.send({ conversationId: first.id, content: 'first' });
    await until(() => phases(a.assistantMessageId).includes('generating'));
    const b = await engine.send({ conversationId: second.id, content: 'second' });
    await until(() => phases(b.assistantMessageId).includes('queued'));
    expect(phases(b.assistantMessageId)).not.toContain('loading');
    const [doneA, doneB] = await Promise.all([
      finished(a.assistantMessageId),
      finished(b.assistantMessageId)
    ]);
    expect(doneA.kind === 'done' && doneA.message.content).toBe('one two three four five');
    expect(doneB.kind === 'done' && doneB.message.content).toBe('second answer');
  });

  it('a slow first byte on a model the server lists as loaded is not called "loading"', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    loaded = true;
    fake.queueScenario({ reply: 'late', firstByteDelayMs: 400 });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'hi' });
    await finished(assistantMessageId);
    expect(phases(assistantMessageId)).toEqual(['waiting', 'generating', 'saving']);
  });

  it('the title request gives way to the next message: called off when it is sent, asked again after', async () => {
    const conv = await store.create(base);
    fake.queueScenario({ reply: 'first reply' });
    // The title request is slow to answer (the model is busy with it)...
    fake.queueScenario({ reply: 'Never used', firstByteDelayMs: 5000 });
    const first = await engine.send({ conversationId: conv.id, content: 'Tell me about owls' });
    await finished(first.assistantMessageId);
    await fake.waitForRequest(isTitle);
    // ...and the user writes again at once: the title hangs up, the message goes first.
    fake.queueScenario({ reply: 'second reply' });
    fake.queueScenario({ reply: 'Owls at night' });
    const sentAt = Date.now();
    const second = await engine.send({ conversationId: conv.id, content: 'And bats?' });
    await fake.waitForHangUp(isTitle);
    const done = await finished(second.assistantMessageId);
    expect(done.kind === 'done' && done.message.content).toBe('second reply');
    expect(Date.now() - sentAt).toBeLessThan(4000);
    await engine.idle();
    const titles = fake.requests.filter(isTitle);
    expect(titles).toHaveLength(2);
    // The second title request went out after the reply ended.
    const chat = fake.requests.filter((r) => r.path === '/api/chat').at(-1)!;
    expect(titles[1]!.receivedAt).toBeGreaterThanOrEqual(chat.receivedAt);
    expect(store.get(conv.id).title).toBe('Owls at night');
    expect(store.get(conv.id).title).not.toBe(DEFAULT_TITLE);
  });
});

describe('think goes only to models that think', () => {
  it('a conversation moved from a thinking model to one that does not stops sending think, and gets its reply', async () => {
    const clientFor = async () => new OllamaClient({ baseUrl: fake.url, timeouts: { metaMs: 2000 } });
    const models = new ModelService({ clientFor });
    engine = new ChatEngine({
      store,
      clientFor,
      profileName: () => 'Server',
      presetFor: () => undefined,
      emit: (_name, e) => events.push(e),
      capabilities: {
        load: (p, m) => models.capabilities(p, m),
        known: (p, m) => models.knownCapabilities(p, m)
      }
    });
    const conv = await store.create({ ...base, model: 'qwen3:8b', think: true });
    await store.rename(conv.id, 'x');
    const first = await engine.send({ conversationId: conv.id, content: 'think about it' });
    await finished(first.assistantMessageId);
    const chats = () => fake.requests.filter((r) => r.path === '/api/chat');
    expect((chats().at(-1)!.body as { think?: unknown }).think).toBe(true);

    await store.update(conv.id, { model: 'llama3.2:latest' });
    const second = await engine.send({ conversationId: conv.id, content: 'and now?' });
    const done = await finished(second.assistantMessageId);
    expect(chats().at(-1)!.body).not.toHaveProperty('think');
    // Before, the server answered 400 "does not support thinking".
    expect(done.kind).toBe('done');
  });
});
