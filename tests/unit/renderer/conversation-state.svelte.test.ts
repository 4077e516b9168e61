// @vitest-environment jsdom
/**
 * ConversationState over a scripted transport (the same makeApi the preload and harness use): events
 * that beat chat:send's answer are kept, a burst of deltas becomes few renders, and `done` replaces
 * the streaming message with main's final one. The real engine behind it is covered end to end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import type { Conversation, Message } from '../../../shared/domain';
import { ConversationState } from '../../../renderer/src/lib/state/conversation.svelte';
import { installScriptedApi, type Handlers } from './scripted-api';

function conversation(messages: Message[] = []): Conversation {
  return {
    id: 'c1',
    title: 'New chat',
    createdAt: 1,
    updatedAt: 1,
    profileId: 'p1',
    model: 'gemma3:4b',
    jsonMode: false,
    messages
  };
}

const installApi = (handlers: Handlers) => installScriptedApi('chat:event', handlers);

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const states: ConversationState[] = [];
afterEach(() => {
  for (const s of states.splice(0)) s.destroy();
});

function track(state: ConversationState): ConversationState {
  states.push(state);
  return state;
}

/** A conversation whose reply 'a1' to `text` was just asked for (main answered chat:send). */
async function replying(text: string) {
  const api = installApi({
    'conversations:get': () => ({ ok: true, value: conversation() }),
    'chat:send': () => ({ ok: true, value: { userMessageId: 'u1', assistantMessageId: 'a1' } })
  });
  const state = track(new ConversationState('c1'));
  await state.load();
  await state.send(text);
  return { api, state };
}

const final = (content: string): Message => ({
  id: 'a1',
  role: 'assistant',
  content,
  createdAt: 2,
  status: 'done',
  model: 'gemma3:4b',
  metrics: { evalCount: 3, evalDuration: 1e9 }
});

describe('ConversationState', () => {
  it('applies events that arrive before chat:send has answered', async () => {
    const api: ReturnType<typeof installApi> = installApi({
      'conversations:get': () => ({ ok: true, value: conversation() }),
      'chat:send': async () => {
        // Main streams so fast that the whole reply is out before the call's answer arrives.
        api.emit({ kind: 'phase', conversationId: 'c1', messageId: 'a1', phase: 'generating' });
        api.emit({ kind: 'delta', conversationId: 'c1', messageId: 'a1', content: 'Hel', thinking: '' });
        api.emit({ kind: 'delta', conversationId: 'c1', messageId: 'a1', content: 'lo', thinking: '' });
        api.emit({ kind: 'done', conversationId: 'c1', messageId: 'a1', message: final('Hello') });
        return { ok: true, value: { userMessageId: 'u1', assistantMessageId: 'a1' } };
      }
    });
    const state = track(new ConversationState('c1'));
    await state.load();
    const result = await state.send('hi');
    expect(result).toEqual({ ok: true });
    expect(state.messages.map((m) => [m.id, m.role, m.content])).toEqual([
      ['u1', 'user', 'hi'],
      ['a1', 'assistant', 'Hello']
    ]);
    expect(state.messages[1]?.status).toBe('done');
    expect(state.live).toBeNull();
    expect(state.streaming).toBe(false);
  });

  it('coalesces a burst of deltas into few updates, in order and complete', async () => {
    const { api, state } = await replying('count');

    const seen: string[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(state.live?.content ?? '<none>');
      });
    });
    flushSync();
    let expected = '';
    // Deltas arrive as separate IPC messages, each in its own task, as fast as they come.
    for (let i = 0; i < 120; i++) {
      const piece = `${i},`;
      expected += piece;
      api.emit({ kind: 'delta', conversationId: 'c1', messageId: 'a1', content: piece, thinking: '' });
      await new Promise((resolve) => setTimeout(resolve, 1));
      flushSync();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    flushSync();
    expect(state.live?.content).toBe(expected);
    expect(state.live?.phase).toBe('generating');
    // One render per FLUSH_MS (48 ms) at most, not one per delta: 120 deltas over well under a second.
    expect(seen.length).toBeLessThan(30);
    stop();

    api.emit({ kind: 'done', conversationId: 'c1', messageId: 'a1', message: final(expected) });
    expect(state.live).toBeNull();
    expect(state.messages.at(-1)?.content).toBe(expected);
  });

  it('shows the whole text at once when the server is done and main saves it, and a speed once a second', async () => {
    const { api, state } = await replying('count');
    const delta = (content: string, tokensPerSecond: number) =>
      api.emit({
        kind: 'delta',
        conversationId: 'c1',
        messageId: 'a1',
        content,
        thinking: '',
        tokensPerSecond
      });
    delta('one ', 10);
    await tick();
    // The first speed is shown with the first text; a newer one only a second later.
    expect(state.live).toMatchObject({ content: 'one ', tokensPerSecond: 10 });
    delta('two ', 20);
    delta('three', 30);
    // Held back by the flush interval…
    expect(state.live?.content).toBe('one ');
    // …but the saving phase means the text is final: it is shown at once, ahead of `done`.
    api.emit({ kind: 'phase', conversationId: 'c1', messageId: 'a1', phase: 'saving' });
    expect(state.live).toMatchObject({ content: 'one two three', phase: 'saving', tokensPerSecond: 10 });
    api.emit({ kind: 'done', conversationId: 'c1', messageId: 'a1', message: final('one two three') });
    expect(state.live).toBeNull();
  });

  it('keeps a stopped reply as it was, without an error to show', async () => {
    const { api, state } = await replying('go');
    api.emit({ kind: 'delta', conversationId: 'c1', messageId: 'a1', content: 'part', thinking: '' });
    const stopped: Message = { ...final('part'), status: 'stopped' };
    api.emit({
      kind: 'error',
      conversationId: 'c1',
      messageId: 'a1',
      message: stopped,
      error: { code: 'ABORTED', message: 'Stopped' }
    });
    expect(state.messages.at(-1)).toEqual(stopped);

    const broken: Message = { ...final('part'), id: 'a1', status: 'broken' };
    api.emit({
      kind: 'error',
      conversationId: 'c1',
      messageId: 'a1',
      message: broken,
      error: { code: 'STREAM_BROKEN', message: 'cut' }
    });
    expect(state.messages.at(-1)?.error?.code).toBe('STREAM_BROKEN');
  });

  it('keeps the typed text out of the conversation when chat:send fails, and ignores other conversations', async () => {
    const api = installApi({
      'conversations:get': () => ({ ok: true, value: conversation() }),
      'chat:send': () => ({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'down' } })
    });
    const state = track(new ConversationState('c1'));
    await state.load();
    const result = await state.send('hello');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('SERVER_UNREACHABLE');
    await tick();
    expect(state.messages).toEqual([]);
    expect(state.streaming).toBe(false);

    api.emit({ kind: 'delta', conversationId: 'other', messageId: 'x', content: 'nope', thinking: '' });
    expect(state.live).toBeNull();
    state.destroy();
    expect(api.listenerCount()).toBe(0);
  });
});

describe('ConversationState after an interrupted app', () => {
  it('follows a reply saved as streaming, and lets go of it when Stop finds nothing to stop', async () => {
    const stale: Message = { ...final('half a rep'), status: 'streaming' };
    const user: Message = { id: 'u1', role: 'user', content: 'q', createdAt: 1 };
    const api = installApi({
      'conversations:get': () => ({ ok: true, value: conversation([user, stale]) }),
      'chat:stop': () => ({ ok: true, value: undefined })
    });
    const state = track(new ConversationState('c1'));
    await state.load();
    expect(state.live?.messageId).toBe('a1');
    expect(state.live?.content).toBe('half a rep');
    expect(state.streaming).toBe(true);

    // Deltas of a stream that is still running carry on from what was saved.
    api.emit({ kind: 'delta', conversationId: 'c1', messageId: 'a1', content: 'ly', thinking: '' });
    await tick();
    flushSync();
    expect(state.live?.content).toBe('half a reply');

    expect((await state.stop()).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect(state.live).toBeNull();
    expect(state.streaming).toBe(false);
    expect(state.messages.at(-1)?.content).toBe('half a rep');
  });

  it('regenerate shows the new path from main and follows its reply, even when events beat the answer', async () => {
    const user: Message = { id: 'u1', role: 'user', content: 'q', createdAt: 1 };
    const first: Message = { ...final('First.'), id: 'a0', parentId: 'u1' };
    const placeholder: Message = {
      id: 'a2',
      parentId: 'u1',
      role: 'assistant',
      content: '',
      createdAt: 3,
      status: 'streaming'
    };
    const api: ReturnType<typeof installApi> = installApi({
      'conversations:get': () => ({ ok: true, value: conversation([user, first]) }),
      'chat:regenerate': async () => {
        api.emit({ kind: 'delta', conversationId: 'c1', messageId: 'a2', content: 'Second', thinking: '' });
        return {
          ok: true,
          value: {
            assistantMessageId: 'a2',
            conversation: { ...conversation([user, placeholder]), alternatives: { a2: ['a0', 'a2'] } }
          }
        };
      },
      'conversations:chooseBranch': (input) => ({
        ok: true,
        value: {
          ...conversation([user, (input as { messageId: string }).messageId === 'a0' ? first : placeholder]),
          alternatives: { a0: ['a0', 'a2'] }
        }
      })
    });
    const state = track(new ConversationState('c1'));
    await state.load();
    expect(state.versionsOf('a0')).toBeNull();
    expect(await state.regenerate()).toEqual({ ok: true });
    expect(state.messages.map((m) => m.id)).toEqual(['u1', 'a2']);
    expect(state.versionsOf('a2')).toEqual(['a0', 'a2']);
    await tick();
    flushSync();
    expect(state.live).toMatchObject({ messageId: 'a2', content: 'Second' });
    // Switching is refused while the reply streams (its path is the one shown).
    expect((await state.chooseBranch('a0')).ok).toBe(false);
    api.emit({
      kind: 'done',
      conversationId: 'c1',
      messageId: 'a2',
      message: { ...final('Second.'), id: 'a2' }
    });
    expect(state.live).toBeNull();
    expect(await state.chooseBranch('a0')).toEqual({ ok: true });
    expect(state.messages.map((m) => m.content)).toEqual(['q', 'First.']);
  });
});
