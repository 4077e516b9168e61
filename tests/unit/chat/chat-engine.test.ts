import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent, ConversationSettings, ConversationSummary, Message, Preset } from '@shared/domain';
import { ChatEngine } from '../../../electron/main/core/chat/chat-engine';
import {
  ConversationStore,
  DEFAULT_TITLE
} from '../../../electron/main/core/conversations/conversation-store';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { createFakeOllama } from '../../fake-ollama/server';
import type { FakeOllama, RecordedRequest } from '../../fake-ollama/types';

const run = promisify(execFile);

const presets: Preset[] = [
  {
    id: 'helpful',
    name: 'Helpful',
    system: 'You are a helpful assistant.',
    options: { temperature: 0.5, top_k: 10 },
    builtIn: false
  },
  {
    id: 'schema',
    name: 'Person',
    system: '',
    format: {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age']
    },
    keepAlive: '30m',
    builtIn: false
  }
];

let fakeA: FakeOllama;
let fakeB: FakeOllama;
let dir: string;
let store: ConversationStore;
let engine: ChatEngine;
let events: { at: number; e: ChatEvent }[];
let titles: ConversationSummary[];
let ended: string[];

beforeAll(async () => {
  fakeA = await createFakeOllama();
  fakeB = await createFakeOllama();
});
afterAll(async () => {
  await fakeA.close();
  await fakeB.close();
});

function makeEngine(extra: Partial<ConstructorParameters<typeof ChatEngine>[0]> = {}): ChatEngine {
  const servers: Record<string, FakeOllama> = { a: fakeA, b: fakeB };
  return new ChatEngine({
    store,
    clientFor: async (profileId) => {
      const fake = servers[profileId];
      if (!fake) throw new Error(`no profile ${profileId}`);
      return new OllamaClient({
        baseUrl: fake.url,
        timeouts: { firstByteMs: 5000, idleMs: 5000, metaMs: 2000 }
      });
    },
    profileName: (id) => `Server ${id.toUpperCase()}`,
    presetFor: (id) => presets.find((p) => p.id === id),
    emit: (_name, e) => events.push({ at: performance.now(), e }),
    onChatEnded: (profileId) => ended.push(profileId),
    onTitle: (summary) => titles.push(summary),
    ...extra
  });
}

beforeEach(async () => {
  fakeA.reset();
  fakeB.reset();
  fakeA.setScenario({});
  fakeB.setScenario({});
  dir = await mkdtemp(join(tmpdir(), 'chat-engine-'));
  store = await ConversationStore.open(dir);
  events = [];
  titles = [];
  ended = [];
  engine = makeEngine();
});
afterEach(async () => {
  await engine.stopAll();
  await engine.idle();
  await rm(dir, { recursive: true, force: true });
});

const base: ConversationSettings = { profileId: 'a', model: 'llama3.2:latest', jsonMode: false };

function chatRequests(fake: FakeOllama): RecordedRequest[] {
  return fake.requests.filter((r) => r.path === '/api/chat');
}

function eventsFor(messageId: string): ChatEvent[] {
  return events.filter((x) => x.e.messageId === messageId).map((x) => x.e);
}

async function until<T>(fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The final event (done or error) of a reply. */
function finalEvent(messageId: string): Promise<Extract<ChatEvent, { kind: 'done' | 'error' }>> {
  return until(() =>
    eventsFor(messageId).find(
      (e): e is Extract<ChatEvent, { kind: 'done' | 'error' }> => e.kind === 'done' || e.kind === 'error'
    )
  );
}

async function sendAndWait(conversationId: string, content: string, images?: string[]): Promise<Message> {
  const { assistantMessageId } = await engine.send({
    conversationId,
    content,
    ...(images ? { images } : {})
  });
  const final = await finalEvent(assistantMessageId);
  await engine.idle(); // title requests too, so queued scenarios are not taken by them
  return final.message;
}

describe('ChatEngine', () => {
  it('sends the system prompt first, then the history, and stores the exact body', async () => {
    const conv = await store.create({ ...base, presetId: 'helpful', options: { temperature: 0.1 } });
    fakeA.queueScenario({ reply: 'First answer.' });
    const first = await sendAndWait(conv.id, 'first question');
    expect(first.content).toBe('First answer.');
    fakeA.queueScenario({ reply: 'Second answer.' });
    const second = await sendAndWait(conv.id, 'second question');

    const sent = chatRequests(fakeA).at(-1)?.body as Record<string, unknown>;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'second question' }
    ]);
    expect(sent.model).toBe('llama3.2:latest');
    expect(sent.options).toEqual({ temperature: 0.1, top_k: 10 });
    expect(sent.stream).toBe(true);
    for (const key of ['keep_alive', 'think', 'format']) expect(sent).not.toHaveProperty(key);
    // No header (and so no secret) is stored; the body is exactly what the server received.
    expect(second.request).toEqual({ url: `${fakeA.url}/api/chat`, body: sent });
    expect(JSON.stringify(second.request)).not.toMatch(/authorization/i);

    expect(second).toMatchObject({
      role: 'assistant',
      status: 'done',
      doneReason: 'stop',
      profileId: 'a',
      profileName: 'Server A',
      model: 'llama3.2:latest'
    });
    expect(second.metrics?.evalCount).toBeGreaterThan(0);
    expect(second.metrics?.evalDuration).toBeGreaterThan(0);
    expect(second.metrics?.promptEvalCount).toBeGreaterThan(0);
    expect(second.metrics?.totalDuration).toBeGreaterThan(0);

    const onDisk = (await ConversationStore.open(dir)).get(conv.id);
    expect(onDisk.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'first question', undefined],
      ['assistant', 'First answer.', 'done'],
      ['user', 'second question', undefined],
      ['assistant', 'Second answer.', 'done']
    ]);
    expect(ended).toEqual(['a', 'a']);
  });

  it('applies keep_alive, think and format only when chosen, conversation over preset', async () => {
    const conv = await store.create({ ...base, model: 'qwen3:8b', presetId: 'schema' });
    await store.rename(conv.id, 'no title request please');
    await sendAndWait(conv.id, 'who?');
    let sent = chatRequests(fakeA).at(-1)?.body as Record<string, unknown>;
    expect(sent.keep_alive).toBe('30m');
    expect(sent.format).toEqual(presets[1]?.format);
    expect(sent).not.toHaveProperty('think');
    expect((sent.messages as unknown[])[0]).toEqual({ role: 'user', content: 'who?' }); // empty system prompt

    await store.update(conv.id, { keepAlive: 0, think: false, format: 'json', system: 'Answer in JSON.' });
    await sendAndWait(conv.id, 'again');
    sent = chatRequests(fakeA).at(-1)?.body as Record<string, unknown>;
    expect(sent.keep_alive).toBe(0);
    expect(sent.think).toBe(false);
    expect(sent.format).toBe('json');
    expect((sent.messages as unknown[])[0]).toEqual({ role: 'system', content: 'Answer in JSON.' });

    const plain = await store.create({ ...base, jsonMode: true });
    await store.rename(plain.id, 'x');
    await sendAndWait(plain.id, 'json please');
    sent = chatRequests(fakeA).at(-1)?.body as Record<string, unknown>;
    expect(sent.format).toBe('json');
    expect(sent).not.toHaveProperty('keep_alive');
  });

  it('streams thinking then content with phases in order and thinking time', async () => {
    const conv = await store.create({ ...base, model: 'qwen3:8b' });
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ thinking: 'Let me think about it.', reply: 'The answer is 42.', pacingMs: 5 });
    const message = await sendAndWait(conv.id, 'meaning of life?');
    expect(message.thinking).toBe('Let me think about it.');
    expect(message.content).toBe('The answer is 42.');
    expect(message.thinkingMs).toBeGreaterThanOrEqual(0);

    const kinds = eventsFor(message.id).map((e) => (e.kind === 'phase' ? e.phase : e.kind));
    const phases = kinds.filter((k) => k !== 'delta');
    expect(phases).toEqual(['waiting', 'thinking', 'generating', 'saving', 'done']);
    // Saving is said once the text is complete: no delta comes after it.
    expect(kinds.lastIndexOf('delta')).toBeLessThan(kinds.indexOf('saving'));
    const deltas = eventsFor(message.id).filter((e) => e.kind === 'delta');
    expect(deltas.map((d) => d.thinking).join('')).toBe('Let me think about it.');
    expect(deltas.map((d) => d.content).join('')).toBe('The answer is 42.');
    // No content delta comes before the generating phase.
    const generatingAt = kinds.indexOf('generating');
    kinds.forEach((k, i) => {
      const e = eventsFor(message.id)[i];
      if (e?.kind === 'delta' && e.content !== '') expect(i).toBeGreaterThan(generatingAt);
    });
  });

  it('says loading when no headers come within the threshold', async () => {
    engine = makeEngine({ loadingAfterMs: 100 });
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ firstByteDelayMs: 400, reply: 'cold' });
    const slow = await sendAndWait(conv.id, 'hi');
    expect(
      eventsFor(slow.id)
        .filter((e) => e.kind === 'phase')
        .map((e) => (e.kind === 'phase' ? e.phase : ''))
    ).toEqual(['waiting', 'loading', 'generating', 'saving']);
    fakeA.queueScenario({ reply: 'warm' });
    const fast = await sendAndWait(conv.id, 'again');
    expect(eventsFor(fast.id).some((e) => e.kind === 'phase' && e.phase === 'loading')).toBe(false);
  });

  it('coalesces deltas: few events, in order, nothing lost, spaced by the interval', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    const tokens = Array.from({ length: 400 }, (_, i) => `w${i} `);
    fakeA.queueScenario({ tokens, pacingMs: 0 });
    const message = await sendAndWait(conv.id, 'go');
    const deltaEvents = events.filter((x) => x.e.messageId === message.id && x.e.kind === 'delta');
    const text = deltaEvents.map((x) => (x.e.kind === 'delta' ? x.e.content : '')).join('');
    expect(text).toBe(tokens.join(''));
    expect(message.content).toBe(tokens.join(''));
    expect(deltaEvents.length).toBeLessThan(tokens.length / 4);
    // Every delta but the last (flushed at the end) waits for the interval since the previous one.
    for (let i = 1; i < deltaEvents.length - 1; i += 1) {
      expect((deltaEvents[i]?.at ?? 0) - (deltaEvents[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(14);
    }
    const last = eventsFor(message.id).at(-1);
    expect(last?.kind).toBe('done');
  });

  it('reports a live tokens/s estimate while streaming', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ tokens: Array.from({ length: 30 }, () => 'tok '), pacingMs: 10 });
    const message = await sendAndWait(conv.id, 'go');
    const rates = eventsFor(message.id).flatMap((e) =>
      e.kind === 'delta' && e.tokensPerSecond ? [e.tokensPerSecond] : []
    );
    expect(rates.length).toBeGreaterThan(3);
    const lastRate = rates.at(-1) ?? 0;
    expect(lastRate).toBeGreaterThan(20); // 10 ms pacing ≈ 100 tokens/s, allow slow machines
    expect(lastRate).toBeLessThan(200);
  });

  it('stop aborts the HTTP request and keeps the partial reply as stopped', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    const tokens = Array.from({ length: 200 }, (_, i) => `t${i} `);
    fakeA.queueScenario({ tokens, pacingMs: 20 });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'long please' });
    await until(() =>
      eventsFor(assistantMessageId).filter((e) => e.kind === 'delta').length >= 3 ? true : undefined
    );
    await engine.stop({ conversationId: conv.id });

    const hungUp = await fakeA.waitForHangUp((r) => r.path === '/api/chat', 3000);
    expect(hungUp.finished).toBe(false);
    const final = await finalEvent(assistantMessageId);
    expect(final.kind).toBe('error');
    if (final.kind !== 'error') return;
    expect(final.error.code).toBe('ABORTED');
    expect(final.message.status).toBe('stopped');
    expect(final.message.content.length).toBeGreaterThan(0);
    expect(tokens.join('').startsWith(final.message.content)).toBe(true);
    expect(final.message.content.length).toBeLessThan(tokens.join('').length);
    expect(engine.isStreaming(conv.id)).toBe(false);

    const onDisk = (await ConversationStore.open(dir)).get(conv.id).messages.at(-1);
    expect(onDisk).toMatchObject({ status: 'stopped', content: final.message.content });
    // Stopped replies get no title request and no error payload on the message.
    expect(final.message.error).toBeUndefined();
    expect(fakeA.requests.some((r) => r.path === '/api/generate')).toBe(false);
  });

  it('continue sends the stopped reply back as the last assistant message and grows that reply', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ tokens: Array.from({ length: 200 }, (_, i) => `t${i} `), pacingMs: 20 });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'long please' });
    await until(() =>
      eventsFor(assistantMessageId).filter((e) => e.kind === 'delta').length >= 3 ? true : undefined
    );
    await engine.stop({ conversationId: conv.id });
    const stopped = await finalEvent(assistantMessageId);
    const partial = stopped.message.content;
    expect(stopped.message.status).toBe('stopped');

    fakeA.queueScenario({ tokens: ['and ', 'the ', 'rest.'] });
    events = [];
    const result = await engine.continue({ conversationId: conv.id, messageId: assistantMessageId });
    expect(result.assistantMessageId).toBe(assistantMessageId);
    const final = await finalEvent(assistantMessageId);

    const sent = chatRequests(fakeA).at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(sent.messages.at(-1)).toEqual({ role: 'assistant', content: partial });
    expect(sent.messages.at(-2)).toEqual({ role: 'user', content: 'long please' });
    expect(final.kind).toBe('done');
    expect(final.message.content).toBe(`${partial}and the rest.`);
    const onDisk = (await ConversationStore.open(dir)).get(conv.id).messages;
    expect(onDisk.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(onDisk.at(-1)).toMatchObject({
      id: assistantMessageId,
      status: 'done',
      content: final.message.content
    });
  });

  it('continue refuses a reply that was not stopped', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    const done = await sendAndWait(conv.id, 'hi');
    await expect(engine.continue({ conversationId: conv.id, messageId: done.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT'
    });
  });

  it('a stream cut mid-way keeps the partial text as broken', async () => {
    const conv = await store.create(base);
    fakeA.queueScenario({ tokens: ['one ', 'two ', 'three ', 'four '], cutAfterChunks: 2 });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'count' });
    const final = await finalEvent(assistantMessageId);
    expect(final.kind).toBe('error');
    expect(final.message).toMatchObject({ status: 'broken', content: 'one two ' });
    expect(final.message.error?.code).toBe('STREAM_BROKEN');
    await engine.idle();
    expect(store.get(conv.id).title).toBe(DEFAULT_TITLE); // no title after a failed first reply
    const onDisk = (await ConversationStore.open(dir)).get(conv.id).messages.at(-1);
    expect(onDisk).toMatchObject({ status: 'broken', content: 'one two ' });
  });

  it('an error line mid-stream keeps the partial text with the server error', async () => {
    const conv = await store.create(base);
    fakeA.queueScenario({
      tokens: ['alpha ', 'beta ', 'gamma '],
      errorAfterChunks: {
        n: 2,
        message: 'an error was encountered while running the model: CUDA out of memory'
      }
    });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'go' });
    const final = await finalEvent(assistantMessageId);
    expect(final.kind).toBe('error');
    if (final.kind !== 'error') return;
    expect(final.message).toMatchObject({ status: 'error', content: 'alpha beta ' });
    expect(final.error.code).toBe('STREAM_ERROR');
    expect(final.error.detail?.serverError).toMatch(/CUDA out of memory/);
  });

  it('an HTTP error before any output is an error with no text', async () => {
    const conv = await store.create({ ...base, model: 'nope:latest' });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'hi' });
    const final = await finalEvent(assistantMessageId);
    expect(final.kind).toBe('error');
    expect(final.message).toMatchObject({ status: 'error', content: '' });
    expect(final.message.error?.code).toBe('MODEL_NOT_FOUND');
    // The failed reply is left out of the next request's history.
    await store.update(conv.id, { model: 'llama3.2:latest' });
    await sendAndWait(conv.id, 'hi again');
    const sent = chatRequests(fakeA).at(-1)?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'user', content: 'hi again' }
    ]);
  });

  it('regenerating a reply that failed before any text replaces it instead of adding a version', async () => {
    const conv = await store.create({ ...base, model: 'nope:latest' });
    await store.rename(conv.id, 'x');
    const { assistantMessageId: failed } = await engine.send({ conversationId: conv.id, content: 'hi' });
    expect((await finalEvent(failed)).message.status).toBe('error');
    await store.update(conv.id, { model: 'llama3.2:latest' });
    fakeA.queueScenario({ reply: 'Now it works.' });
    const retry = await engine.regenerate({ conversationId: conv.id });
    await finalEvent(retry.assistantMessageId);
    expect(retry.conversation.alternatives).toEqual({});
    expect(store.get(conv.id).messages.map((m) => m.content)).toEqual(['hi', 'Now it works.']);
    expect(store.list('')[0]?.messageCount).toBe(2);

    // A reply with text is kept, even a broken one.
    fakeA.queueScenario({ tokens: ['part', 'ial'], errorAfterChunks: { n: 1, message: 'boom' } });
    const broken = await engine.regenerate({ conversationId: conv.id });
    await finalEvent(broken.assistantMessageId);
    fakeA.queueScenario({ reply: 'Third.' });
    const third = await engine.regenerate({ conversationId: conv.id });
    await finalEvent(third.assistantMessageId);
    expect(third.conversation.alternatives?.[third.assistantMessageId]).toHaveLength(3);
  });

  it('two streams on two servers at once never mix', async () => {
    const convA = await store.create(base);
    const convB = await store.create({ ...base, profileId: 'b', model: 'gemma3:4b' });
    await store.rename(convA.id, 'A');
    await store.rename(convB.id, 'B');
    const textA = Array.from({ length: 60 }, (_, i) => `a${i} `);
    const textB = Array.from({ length: 60 }, (_, i) => `b${i} `);
    fakeA.queueScenario({ tokens: textA, pacingMs: 3 });
    fakeB.queueScenario({ tokens: textB, pacingMs: 3 });
    const [ra, rb] = await Promise.all([
      engine.send({ conversationId: convA.id, content: 'to A' }),
      engine.send({ conversationId: convB.id, content: 'to B' })
    ]);
    const [fa, fb] = await Promise.all([
      finalEvent(ra.assistantMessageId),
      finalEvent(rb.assistantMessageId)
    ]);
    expect(fa.message.content).toBe(textA.join(''));
    expect(fb.message.content).toBe(textB.join(''));
    const deltasOf = (id: string): string =>
      eventsFor(id)
        .map((e) => (e.kind === 'delta' ? e.content : ''))
        .join('');
    expect(deltasOf(ra.assistantMessageId)).toBe(textA.join(''));
    expect(deltasOf(rb.assistantMessageId)).toBe(textB.join(''));
    expect(
      events.every(
        (x) => x.e.conversationId === (x.e.messageId === ra.assistantMessageId ? convA.id : convB.id)
      )
    ).toBe(true);
    // They really overlapped.
    const firstB = events.findIndex((x) => x.e.messageId === rb.assistantMessageId && x.e.kind === 'delta');
    const lastA = events.findLastIndex(
      (x) => x.e.messageId === ra.assistantMessageId && x.e.kind === 'delta'
    );
    expect(firstB).toBeLessThan(lastA);
    expect(chatRequests(fakeA)).toHaveLength(1);
    expect(chatRequests(fakeB)).toHaveLength(1);
    expect(fb.message).toMatchObject({ profileId: 'b', profileName: 'Server B', model: 'gemma3:4b' });
  });

  it('refuses a second send while a reply streams, and a send with no model', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ tokens: Array.from({ length: 50 }, () => 'x '), pacingMs: 10 });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'one' });
    await expect(engine.send({ conversationId: conv.id, content: 'two' })).rejects.toMatchObject({
      code: 'BUSY'
    });
    await engine.stop({ conversationId: conv.id });
    await finalEvent(assistantMessageId);

    const empty = await store.create({ ...base, model: '' });
    await expect(engine.send({ conversationId: empty.id, content: 'hi' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Choose a model first'
    });
    expect(store.get(empty.id).messages).toEqual([]);
  });

  it('regenerate adds a new version of the last reply and keeps the earlier one', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ reply: 'Answer one.' });
    const first = await sendAndWait(conv.id, 'question');
    fakeA.queueScenario({ reply: 'Answer two.' });
    const { assistantMessageId, conversation } = await engine.regenerate({ conversationId: conv.id });
    expect(assistantMessageId).not.toBe(first.id);
    // The answer is main's path at that moment, the new reply on it and both versions named.
    expect(conversation.messages.map((m) => m.id).at(-1)).toBe(assistantMessageId);
    expect(conversation.alternatives?.[assistantMessageId]).toEqual([first.id, assistantMessageId]);
    const final = await finalEvent(assistantMessageId);
    expect(final.message.content).toBe('Answer two.');
    expect(store.get(conv.id).messages.map((m) => m.content)).toEqual(['question', 'Answer two.']);
    const sent = chatRequests(fakeA).at(-1)?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([{ role: 'user', content: 'question' }]);

    // The first answer is still there: shown again, it is the history of the next message.
    await store.chooseBranch(conv.id, first.id);
    expect(store.get(conv.id).messages.map((m) => m.content)).toEqual(['question', 'Answer one.']);
    await sendAndWait(conv.id, 'and then?');
    const next = chatRequests(fakeA).at(-1)?.body as { messages: { content: string }[] };
    expect(next.messages.map((m) => m.content)).toEqual(['question', 'Answer one.', 'and then?']);
  });

  it('edit resends a user message as a new version; the original and what followed stay', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    await sendAndWait(conv.id, 'first');
    await sendAndWait(conv.id, 'second');
    const before = store.get(conv.id).messages.map((m) => m.content);
    const userId = store.get(conv.id).messages[0]?.id ?? '';
    fakeA.queueScenario({ reply: 'Edited answer.' });
    const result = await engine.edit({
      conversationId: conv.id,
      messageId: userId,
      content: 'first, edited'
    });
    expect(result.userMessageId).not.toBe(userId);
    expect(result.conversation.alternatives?.[result.userMessageId]).toEqual([userId, result.userMessageId]);
    const final = await finalEvent(result.assistantMessageId);
    expect(final.message.content).toBe('Edited answer.');
    const messages = store.get(conv.id).messages;
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'first, edited'],
      ['assistant', 'Edited answer.']
    ]);
    const sent = chatRequests(fakeA).at(-1)?.body as { messages: unknown[] };
    expect(sent.messages).toEqual([{ role: 'user', content: 'first, edited' }]);
    await expect(
      engine.edit({ conversationId: conv.id, messageId: messages[1]?.id ?? '', content: 'x' })
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    // Nothing was lost: the original question shows the whole exchange that followed it.
    const original = await store.chooseBranch(conv.id, userId);
    expect(original.messages.map((m) => m.content)).toEqual(before);
  });

  it('continues on another server and model with the full history', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ reply: 'From A.' });
    await sendAndWait(conv.id, 'hello A');
    await store.update(conv.id, { profileId: 'b', model: 'gemma3:4b' });
    fakeB.queueScenario({ reply: 'From B.' });
    const reply = await sendAndWait(conv.id, 'hello B');
    expect(reply).toMatchObject({ profileId: 'b', model: 'gemma3:4b', content: 'From B.' });
    const sent = chatRequests(fakeB).at(-1)?.body as { model: string; messages: unknown[] };
    expect(sent.model).toBe('gemma3:4b');
    // Each reply's curl credentials come from the server it was sent to.
    const [, fromA] = store.get(conv.id).messages;
    expect(engine.requestProfileId(conv.id, fromA?.id ?? '')).toBe('a');
    expect(engine.requestProfileId(conv.id, reply.id)).toBe('b');
    expect(sent.messages).toEqual([
      { role: 'user', content: 'hello A' },
      { role: 'assistant', content: 'From A.' },
      { role: 'user', content: 'hello B' }
    ]);
  });

  it('sends images as bare base64 with the history', async () => {
    const conv = await store.create({ ...base, model: 'gemma3:4b' });
    await store.rename(conv.id, 'x');
    const png = Buffer.from('not really a png').toString('base64');
    await sendAndWait(conv.id, 'what is this?', [`data:image/png;base64,${png}`]);
    await sendAndWait(conv.id, 'and now?');
    const sent = chatRequests(fakeA).at(-1)?.body as { messages: { images?: string[] }[] };
    expect(sent.messages[0]?.images).toEqual([png]);
    expect(store.get(conv.id).messages[0]?.images).toEqual([png]);
  });

  it('names the conversation after its first reply with a non-streaming generate', async () => {
    const conv = await store.create(base);
    fakeA.queueScenario({ reply: 'Hi!' }); // the chat
    fakeA.queueScenario({ reply: '"Planning a Trip to Paris."' }); // the title
    await sendAndWait(conv.id, 'I want to plan a trip to Paris in spring with my family');
    const generate = fakeA.requests.find((r) => r.path === '/api/generate');
    const body = generate?.body as Record<string, unknown>;
    expect(body.stream).toBe(false);
    expect(body.model).toBe('llama3.2:latest');
    expect(String(body.prompt)).toContain('Write a short title (max 6 words)');
    expect(String(body.prompt)).toContain('trip to Paris in spring');
    expect(body).not.toHaveProperty('keep_alive');
    expect(store.get(conv.id).title).toBe('Planning a Trip to Paris');
    expect(titles).toEqual([expect.objectContaining({ id: conv.id, title: 'Planning a Trip to Paris' })]);
    // Only after the first reply.
    await sendAndWait(conv.id, 'more');
    expect(fakeA.requests.filter((r) => r.path === '/api/generate')).toHaveLength(1);
    // Nothing about titles goes out as a chat event.
    expect(events.every((x) => ['phase', 'delta', 'done', 'error'].includes(x.e.kind))).toBe(true);
  });

  it('falls back to the first words of the message when the title request fails', async () => {
    const conv = await store.create(base);
    fakeA.queueScenario({ reply: 'Sure.' });
    fakeA.queueScenario({ httpError: { status: 500, error: 'model runner has unexpectedly stopped' } });
    await sendAndWait(conv.id, 'Explain   quantum entanglement to a ten year old child please');
    expect(store.get(conv.id).title).toBe('Explain quantum entanglement to a ten…');
    expect(titles[0]?.title).toBe('Explain quantum entanglement to a ten…');
  });

  it('checks JSON replies: truncated JSON gets a parse error position', async () => {
    const conv = await store.create({ ...base, jsonMode: true });
    await store.rename(conv.id, 'x');
    const truncated = '{"city": "Paris", "sights": ["Louvre", "Eiff';
    fakeA.queueScenario({ reply: truncated, doneReason: 'length' });
    const message = await sendAndWait(conv.id, 'json');
    expect(message.doneReason).toBe('length');
    expect(message.json?.valid).toBe(false);
    expect(message.json?.parseError?.position).toBe(truncated.length);

    fakeA.queueScenario({ reply: '{"city": "Paris"}' });
    const ok = await sendAndWait(conv.id, 'json again');
    expect(ok.json).toEqual({ valid: true });
  });

  it('checks JSON replies against a schema format and lists violations', async () => {
    const conv = await store.create({ ...base, presetId: 'schema' });
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ reply: '{"name": 7, "extra": true}' });
    const bad = await sendAndWait(conv.id, 'who');
    expect(bad.json?.valid).toBe(false);
    expect(bad.json?.violations?.map((v) => v.path).sort()).toEqual(['/age', '/name']);
    // The fake's own grammar-shaped answer fits the schema.
    const good = await sendAndWait(conv.id, 'who again');
    expect(good.json).toEqual({ valid: true });

    const plain = await store.create(base);
    await store.rename(plain.id, 'x');
    const notJson = await sendAndWait(plain.id, 'hi');
    expect(notJson.json).toBeUndefined();
  });

  it('deleting a conversation mid-stream stops its request', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    fakeA.queueScenario({ tokens: Array.from({ length: 100 }, () => 'y '), pacingMs: 20 });
    const { assistantMessageId } = await engine.send({ conversationId: conv.id, content: 'go' });
    await until(() => (eventsFor(assistantMessageId).some((e) => e.kind === 'delta') ? true : undefined));
    await store.delete(conv.id);
    const final = await finalEvent(assistantMessageId);
    expect(final.message.status).toBe('stopped');
    await fakeA.waitForHangUp((r) => r.path === '/api/chat', 3000);
    expect(store.has(conv.id)).toBe(false);
  });
});

describe('chat:curl', () => {
  it('rebuilds the request as a curl command that real curl runs with the same reply', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    const tricky = `It's "quoted" — ünïcödé ✓\nand a second line with $HOME and \`backticks\``;
    const reply = await sendAndWait(conv.id, tricky);

    const { command } = engine.curl({
      conversationId: conv.id,
      messageId: reply.id,
      stream: false,
      includeCredentials: false
    });
    expect(command.startsWith(`curl ${fakeA.url}/api/chat -d '{`)).toBe(true);
    expect(command).toContain('"stream": false');
    expect(command).not.toContain('-H');
    const before = fakeA.requests.length;
    const { stdout } = await run('/bin/sh', ['-c', `${command} --silent --show-error`], { timeout: 10_000 });
    const answer = JSON.parse(stdout) as { message: { content: string }; done: boolean };
    expect(answer.done).toBe(true);
    expect(answer.message.content).toBe(reply.content);
    const replayed = fakeA.requests[before]?.body as { messages: { content: string }[] };
    expect(replayed.messages.at(-1)?.content).toBe(tricky);

    // Streaming variant: NDJSON whose contents add up to the same reply.
    const streaming = engine.curl({
      conversationId: conv.id,
      messageId: reply.id,
      stream: true,
      includeCredentials: false
    });
    const streamed = await run('/bin/sh', ['-c', `${streaming.command} --silent --show-error`], {
      timeout: 10_000
    });
    const lines = streamed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: { content: string } });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.message.content).join('')).toBe(reply.content);

    // The user message id gives the request of the reply that answered it.
    const userId = store.get(conv.id).messages[0]?.id ?? '';
    expect(
      engine.curl({ conversationId: conv.id, messageId: userId, stream: false, includeCredentials: false })
        .command
    ).toBe(command);
  });

  it('adds the profile credentials only when asked, and they work', async () => {
    const conv = await store.create(base);
    await store.rename(conv.id, 'x');
    const reply = await sendAndWait(conv.id, 'hi');
    fakeA.requireAuth({ bearer: "s3cr'et" });
    const headers = { Authorization: "Bearer s3cr'et" };

    const without = engine.curl(
      { conversationId: conv.id, messageId: reply.id, stream: false, includeCredentials: false },
      headers
    );
    expect(without.command).not.toContain('s3cr');
    const refused = await run('/bin/sh', [
      '-c',
      `${without.command} --silent --write-out '%{http_code}' -o /dev/null`
    ]);
    expect(refused.stdout).toBe('401');

    const withAuth = engine.curl(
      { conversationId: conv.id, messageId: reply.id, stream: false, includeCredentials: true },
      headers
    );
    expect(withAuth.command).toContain(`-H 'Authorization: Bearer s3cr'\\''et'`);
    const { stdout } = await run('/bin/sh', ['-c', `${withAuth.command} --silent --show-error`]);
    expect((JSON.parse(stdout) as { message: { content: string } }).message.content).toBe(reply.content);
    fakeA.requireAuth(null);
  });

  it('says NOT_FOUND for an unknown message', async () => {
    const conv = await store.create(base);
    expect(() =>
      engine.curl({ conversationId: conv.id, messageId: 'nope', stream: true, includeCredentials: false })
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
