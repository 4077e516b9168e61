// @vitest-environment jsdom
/**
 * AppState over the real core (in this process, behind the same makeApi + dispatch the app uses, with
 * JSON in between as over the harness socket) and a fake Ollama server on loopback: startup lists,
 * reachability from events, new chats with the profile's defaults, switching, delete + undo, the
 * selection kept in the URL, tray/menu commands and notices.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../../shared/contract';
import { makeApi } from '../../../shared/make-api';
import type { Core } from '../../../electron/main/core/app-core';
import { createTestCore } from '../test-core';
import { dispatch } from '../../../electron/main/core/dispatch';
import { AppState } from '../../../renderer/src/lib/state/app.svelte';
import { ConversationState } from '../../../renderer/src/lib/state/conversation.svelte';
import { drafts } from '../../../renderer/src/components/conversation/drafts';
import { createFakeOllama, type FakeOllama } from '../../fake-ollama/server';

type Listener = (payload: unknown) => void;
const roundTrip = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

let fake: FakeOllama;
let core: Core;
let dataDir: string;
let listeners: Map<string, Set<Listener>>;
const states: AppState[] = [];

async function startCore(env: { OLLAMA_HOST?: string }) {
  listeners = new Map();
  core = await createTestCore(dataDir, {
    env,
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(roundTrip(payload));
    }
  });
  window.ollamaDesk = makeApi({
    invoke: async (name, input) => roundTrip(await dispatch(core.handlers, name, roundTrip(input))),
    subscribe(event: EventName, listener: Listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    }
  });
}

function emit(event: EventName, payload: unknown) {
  for (const listener of listeners.get(event) ?? []) listener(payload);
}

/** A new chat with one finished exchange: only then is it saved and listed. Returns its id. */
async function chatWithMessage(app: AppState): Promise<string> {
  await app.newChat();
  const id = app.selectedId!;
  const sent = await window.ollamaDesk.call('chat:send', { conversationId: id, content: 'hi' });
  if (!sent.ok) throw new Error(sent.error.message);
  await vi.waitFor(async () => {
    const conv = await window.ollamaDesk.call('conversations:get', { id });
    expect(conv.ok && conv.value.messages.at(-1)?.status).toBe('done');
  });
  await app.conversations.refresh();
  return id;
}

async function started(): Promise<AppState> {
  const app = new AppState();
  states.push(app);
  await app.start();
  return app;
}

beforeEach(async () => {
  fake = await createFakeOllama();
  dataDir = mkdtempSync(join(tmpdir(), 'shell-app-state-'));
  history.replaceState(null, '', '/');
  await startCore({ OLLAMA_HOST: fake.url });
});

afterEach(async () => {
  for (const app of states.splice(0)) app.stop();
  await core.dispose();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('AppState', () => {
  it('loads servers, presets, settings and info, and learns reachability from events', async () => {
    const app = await started();
    expect(app.ready).toBe(true);
    expect(app.profiles).toHaveLength(1);
    expect(app.profiles[0]!.baseUrl).toBe(fake.url.replace(/\/$/, ''));
    expect(app.activeId).toBe(app.profiles[0]!.id);
    expect(app.activeProfile?.id).toBe(app.activeId);
    expect(app.presets.some((p) => p.builtIn)).toBe(true);
    expect(app.settings.theme).toBe('system');
    expect(app.info?.secretBackend).toBe('encrypted-file');
    await vi.waitFor(() => expect(app.statuses[app.activeId!]?.state).toBe('reachable'), { timeout: 8000 });
    expect(app.anyReachable).toBe(true);
    expect(app.toasts).toEqual([]);
  });

  it('an older status never replaces a newer one', async () => {
    const app = await started();
    const id = app.activeId!;
    emit('profiles:status', { profileId: id, state: 'unreachable', checkedAt: Date.now() + 60_000 });
    emit('profiles:status', { profileId: id, state: 'reachable', checkedAt: Date.now() });
    expect(app.statuses[id]?.state).toBe('unreachable');
  });

  it("a new chat uses the profile's default model and preset, else the first installed model", async () => {
    const app = await started();
    await app.newChat();
    const first = await window.ollamaDesk.call('conversations:get', { id: app.selectedId! });
    expect(first.ok && first.value.model).toBe('gemma3:4b');
    expect(first.ok && first.value.profileId).toBe(app.activeId);

    const profile = app.activeProfile!;
    const saved = await window.ollamaDesk.call('profiles:save', {
      id: profile.id,
      name: profile.name,
      host: profile.host,
      auth: { kind: 'none' },
      defaults: { model: 'qwen3:8b', presetId: 'builtin-two-sentences' }
    });
    expect(saved.ok).toBe(true);
    const list = await window.ollamaDesk.call('profiles:list', {});
    if (list.ok) app.setProfiles(list.value);
    await app.newChat();
    const second = await window.ollamaDesk.call('conversations:get', { id: app.selectedId! });
    expect(second.ok && second.value.model).toBe('qwen3:8b');
    expect(second.ok && second.value.presetId).toBe('builtin-two-sentences');
    // Neither is listed: a chat is saved and listed from its first message on.
    expect(app.conversations.items).toEqual([]);
    expect(location.hash).toBe(`#c=${app.selectedId}`);
  });

  it('New chat opens an unsent chat that holds a draft again instead of another empty one', async () => {
    const app = await started();
    await app.newChat();
    const drafted = app.selectedId!;
    drafts.set(drafted, 'A draft for later');
    app.select(null);
    await app.newChat();
    expect(app.selectedId).toBe(drafted);
    // Once it is empty again, New chat starts afresh.
    drafts.set(drafted, '');
    await app.newChat();
    expect(app.selectedId).not.toBe(drafted);
    drafts.clear();
  });

  it('a new chat leaves a search so the new conversation is visible', async () => {
    const app = await started();
    await chatWithMessage(app);
    await app.conversations.search('nothing matches this');
    expect(app.conversations.items).toEqual([]);
    await app.newChat();
    expect(app.conversations.query).toBe('');
    expect(app.conversations.items).toHaveLength(1);
  });

  it('without any server, "new chat" opens the servers screen on a new profile', async () => {
    const app = await started();
    const deleted = await window.ollamaDesk.call('profiles:delete', { id: app.activeId! });
    if (deleted.ok) app.setProfiles(deleted.value);
    await app.newChat();
    expect(app.overlay).toEqual({ kind: 'servers', adding: true });
    expect(app.conversations.items).toEqual([]);
  });

  it('switching is kept by main; a refused switch goes back and says why', async () => {
    const app = await started();
    const other = await window.ollamaDesk.call('profiles:save', {
      name: 'Other',
      host: '127.0.0.1:9',
      auth: { kind: 'none' }
    });
    if (!other.ok) throw new Error(other.error.message);
    const first = app.activeId;
    expect(await app.switchTo(other.value.id)).toBe(true);
    expect(app.activeId).toBe(other.value.id);
    const list = await window.ollamaDesk.call('profiles:list', {});
    expect(list.ok && list.value.activeId).toBe(other.value.id);

    expect(await app.switchTo('no-such-profile')).toBe(false);
    expect(app.activeId).toBe(other.value.id);
    expect(app.toasts.at(-1)).toMatchObject({ tone: 'error' });
    expect(first).not.toBe(other.value.id);
  });

  it('choosing a server moves an empty open chat, offers the move for one with messages, and the tray is a choice too', async () => {
    const second = await createFakeOllama({
      models: [
        {
          name: 'second-only:1b',
          family: 'llama',
          parameterSize: '1B',
          quantization: 'Q4_0',
          sizeBytes: 1,
          capabilities: ['completion'],
          contextLength: 4096
        }
      ]
    });
    try {
      const app = await started();
      const home = app.activeId!;
      const gpu = await window.ollamaDesk.call('profiles:save', {
        name: 'GPU box',
        host: second.url,
        auth: { kind: 'none' }
      });
      if (!gpu.ok) throw new Error(gpu.error.message);
      await app.newChat();
      const chat = new ConversationState(app.selectedId!);
      await chat.load();
      const detach = app.attachChat(chat);

      // Empty: it simply moves, with a model that server has.
      await app.chooseServer(gpu.value.id);
      expect(chat.conversation).toMatchObject({ profileId: gpu.value.id, model: 'second-only:1b' });
      expect(app.activeId).toBe(gpu.value.id);

      // With messages: the offer, and nothing moves until it is answered.
      const sent = await chat.send('hello there');
      expect(sent.ok).toBe(true);
      await vi.waitFor(() => expect(chat.streaming).toBe(false), { timeout: 8000 });
      await app.chooseServer(home);
      expect(app.overlay).toEqual({ kind: 'switch-chat', profileId: home });
      expect(chat.conversation?.profileId).toBe(gpu.value.id);
      await app.answerSwitch(home, null, false);
      expect(app.activeId).toBe(gpu.value.id);

      // The tray moves main's active server: the renderer asks too, and Cancel puts main back.
      await core.tray.click(`switch:${encodeURIComponent(home)}`);
      await vi.waitFor(() => expect(app.overlay).toEqual({ kind: 'switch-chat', profileId: home }));
      await app.answerSwitch(home, null, false);
      const list = await window.ollamaDesk.call('profiles:list', {});
      expect(list.ok && list.value.activeId).toBe(gpu.value.id);

      // Continue, remembered: the chat moves with its model rule (gemma3:4b is the first chat model there).
      await app.answerSwitch(home, 'continue', true);
      expect(chat.conversation).toMatchObject({ profileId: home, model: 'gemma3:4b' });
      expect(app.settings.serverSwitch).toBe('continue');
      // The model last used on the GPU box comes back with the chat.
      app.rememberModel(gpu.value.id, 'second-only:1b');
      await vi.waitFor(() => expect(app.settings.lastModels[gpu.value.id]).toBe('second-only:1b'));
      await app.chooseServer(gpu.value.id);
      expect(app.overlay).toBeNull();
      expect(chat.conversation).toMatchObject({ profileId: gpu.value.id, model: 'second-only:1b' });
      detach();
      chat.destroy();
      expect(app.openChat).toBeNull();
    } finally {
      await second.close();
    }
  });

  it('delete shows an Undo toast that brings the conversation back and selects it', async () => {
    const app = await started();
    const id = await chatWithMessage(app);
    const title = app.conversations.find(id)!.title;
    await app.deleteConversation(id);
    expect(app.selectedId).toBeNull();
    expect(app.conversations.items).toEqual([]);
    const toast = app.toasts.at(-1)!;
    expect(toast.title).toBe(`Deleted “${title}”.`);
    expect(toast.action?.label).toBe('Undo');
    await toast.action!.run();
    expect(app.conversations.items.map((c) => c.id)).toEqual([id]);
    expect(app.selectedId).toBe(id);
  });

  it('the selected conversation survives a reload through the URL; an unknown id is dropped', async () => {
    const app = await started();
    const id = await chatWithMessage(app);
    const again = await started();
    expect(again.selectedId).toBe(id);

    history.replaceState(null, '', '/#c=gone');
    const third = await started();
    expect(third.selectedId).toBeNull();
    expect(location.hash).toBe('');
  });

  it('tray and menu commands open the right place; notices become toasts', async () => {
    const app = await started();
    emit('app:command', 'open-settings');
    expect(app.overlay).toEqual({ kind: 'settings' });
    emit('app:command', 'open-servers');
    expect(app.overlay).toEqual({ kind: 'servers' });
    app.closeOverlay();
    emit('app:command', 'new-chat');
    await vi.waitFor(() => expect(app.selectedId).not.toBeNull());

    emit('app:notice', { kind: 'settings-reset', message: 'Settings were reset.' });
    emit('app:notice', { kind: 'unload-failed', message: 'Could not unload gemma3:4b.', code: 'TIMEOUT' });
    expect(app.toasts.map((t) => [t.tone, t.title])).toEqual([
      ['info', 'Settings were reset.'],
      ['error', 'Could not unload gemma3:4b.']
    ]);
    expect(app.toasts[1]!.detail).toMatch(/busy/);
    app.dismiss(app.toasts[0]!.id);
    expect(app.toasts).toHaveLength(1);
  });

  it('settings changes are saved by main and rolled back when refused', async () => {
    const app = await started();
    await app.changeSettings({ theme: 'dark' });
    expect(app.settings.theme).toBe('dark');
    const stored = await window.ollamaDesk.call('settings:get', {});
    expect(stored.ok && stored.value.theme).toBe('dark');
    await app.changeSettings({ theme: 'neon' as never });
    expect(app.settings.theme).toBe('dark');
    expect(app.toasts.at(-1)?.title).toBe('That input is not valid.');
  });

  it('a conversation changed elsewhere moves to the top of the list', async () => {
    const app = await started();
    await chatWithMessage(app);
    await chatWithMessage(app);
    const [newer, older] = app.conversations.items;
    emit('conversations:changed', { ...older!, title: 'Named later', updatedAt: newer!.updatedAt + 1 });
    expect(app.conversations.items.map((c) => c.title)).toEqual(['Named later', newer!.title]);
  });
});
