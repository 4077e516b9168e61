/**
 * Every free-form input is bounded (a `format` schema 6,000 deep, a 10 MB string, a 20,000-item stop
 * list are refused as INVALID_INPUT), and a refused change leaves the conversation store exactly as it
 * was, in memory and on disk.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calls, type CallName, type Handlers } from '../../../shared/contract';
import { jsonBoundsProblem, FORMAT_BOUNDS } from '../../../shared/json-bounds';
import { isAppError } from '../../../shared/errors';
import { dispatch } from '../../../electron/main/core/dispatch';
import { ConversationStore } from '../../../electron/main/core/conversations/conversation-store';

/** `{"a":{"a":…}}` nested `depth` levels (6,000 levels is about 36 KB of JSON). */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { type: 'string' };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

const deepFormat = nested(6000);
const hugeFormat = { type: 'string', description: 'x'.repeat(10_000_000) };
const longStop = Array.from({ length: 20_000 }, (_, i) => `stop${i}`);

function parse(name: CallName, input: unknown) {
  return calls[name].input.safeParse(input);
}

describe('input schemas are bounded', () => {
  it('accepts an ordinary JSON schema and stop list', () => {
    const format = {
      type: 'object',
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['name']
    };
    expect(parse('conversations:update', { id: 'c', patch: { format } }).success).toBe(true);
    expect(parse('conversations:update', { id: 'c', patch: { format: nested(60) } }).success).toBe(true);
    expect(parse('conversations:update', { id: 'c', patch: { format: 'json' } }).success).toBe(true);
    expect(
      parse('presets:save', { name: 'p', system: '', options: { stop: ['</s>', '\n\n'] } }).success
    ).toBe(true);
  });

  it.each([
    ['conversations:update', { id: 'c', patch: { format: deepFormat } }],
    ['conversations:update', { id: 'c', patch: { format: hugeFormat } }],
    ['conversations:update', { id: 'c', patch: { options: { stop: longStop } } }],
    ['conversations:update', { id: 'c', patch: { options: { stop: ['x'.repeat(10_000)] } } }],
    ['conversations:update', { id: 'c', patch: { keepAlive: '1'.repeat(10_000_000) + 'm' } }],
    ['presets:save', { name: 'p', system: '', format: deepFormat }],
    ['presets:save', { name: 'p', system: '', format: hugeFormat }],
    ['presets:save', { name: 'p', system: '', options: { stop: longStop } }],
    [
      'profiles:save',
      { name: 'n', host: 'h', auth: { kind: 'headers', headers: [{ name: 'X'.repeat(10_000) }] } }
    ]
  ] as [CallName, unknown][])('%s refuses an oversized input as INVALID_INPUT', async (name, input) => {
    expect(parse(name, input).success).toBe(false);
    const handlers = {
      [name]: async () => {
        throw new Error('the handler must not run');
      }
    } as unknown as Handlers;
    const result = await dispatch(handlers, name, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses what JSON cannot hold: a cycle, a non-finite number, a Map', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonBoundsProblem(cycle, FORMAT_BOUNDS)).toMatch(/deeper/);
    expect(jsonBoundsProblem({ n: Infinity }, FORMAT_BOUNDS)).toMatch(/number/);
    expect(jsonBoundsProblem({ m: new Map() }, FORMAT_BOUNDS)).toMatch(/cannot represent/);
    expect(jsonBoundsProblem(new Array(1_000_000).fill([]), FORMAT_BOUNDS)).toMatch(/larger/);
    expect(jsonBoundsProblem({ ok: [1, 'two', null, true] }, FORMAT_BOUNDS)).toBeNull();
  });
});

describe('a refused change leaves the store as it was', () => {
  let dir: string;
  let store: ConversationStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conv-limits-'));
    store = await ConversationStore.open(dir);
    const conv = await store.create({ profileId: 'p1', model: 'llama3.2', jsonMode: true, format: 'json' });
    conv.messages.push({ id: 'm1', role: 'user', content: 'hello', createdAt: 1 });
    await store.save(conv);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What the store holds in memory and on disk, as plain data. */
  async function snapshot(): Promise<unknown> {
    const names = (await readdir(dir)).sort();
    const files = await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n), 'utf8')]));
    const conversations = store.list().map((s) => structuredClone(store.get(s.id)));
    return { files, conversations };
  }

  async function expectRefused(run: () => Promise<unknown>, code: string): Promise<void> {
    const before = await snapshot();
    const error = await run().then(
      () => null,
      (e: unknown) => e
    );
    expect(isAppError(error) ? error.code : error).toBe(code);
    await store.flush();
    expect(await snapshot()).toEqual(before);
    // The conversation still exports and reopens, so nothing half-applied is left behind.
    const id = store.list()[0]!.id;
    expect(() => store.exportText([id], 'json')).not.toThrow();
    const reopened = await ConversationStore.open(dir);
    expect(reopened.get(id)).toEqual(store.get(id));
  }

  it('conversations:update with a 6,000-deep format, a 10 MB format or 20,000 stops', async () => {
    const id = store.list()[0]!.id;
    await expectRefused(() => store.update(id, { format: deepFormat }), 'INVALID_INPUT');
    await expectRefused(() => store.update(id, { format: hugeFormat }), 'INVALID_INPUT');
    await expectRefused(
      () => store.update(id, { model: 'other', options: { stop: longStop } }),
      'INVALID_INPUT'
    );
    expect(store.get(id).model).toBe('llama3.2');
  });

  it('conversations:update through dispatch answers INVALID_INPUT and changes nothing', async () => {
    const id = store.list()[0]!.id;
    const handlers = {
      'conversations:update': ({ id: target, patch }: { id: string; patch: object }) =>
        store.update(target, patch)
    } as unknown as Handlers;
    const before = await snapshot();
    const result = await dispatch(handlers, 'conversations:update', { id, patch: { format: deepFormat } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await snapshot()).toEqual(before);
  });

  it('conversations:import of a file with a deep format, a deep request or 20,000 stops', async () => {
    const good = store.get(store.list()[0]!.id);
    const fileWith = (patch: object): string => {
      const file = JSON.parse(store.exportText([good.id], 'json').text) as { conversations: object[] };
      file.conversations.push({ ...structuredClone(good), ...patch });
      return JSON.stringify(file);
    };
    const deepText = `{"app":"ollama-desk","kind":"conversations","version":1,"conversations":[${JSON.stringify(
      { ...good, id: 'x' }
    ).slice(0, -1)},"format":${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}}]}`;
    await expectRefused(() => store.importText(deepText), 'INVALID_FILE');
    await expectRefused(() => store.importText(fileWith({ format: hugeFormat })), 'INVALID_FILE');
    await expectRefused(() => store.importText(fileWith({ options: { stop: longStop } })), 'INVALID_FILE');
    const deepRequest = {
      messages: [
        ...good.messages,
        { id: 'm2', role: 'assistant', content: 'hi', createdAt: 2, request: { url: 'u', body: 0 } }
      ]
    };
    const requestText = fileWith(deepRequest).replace(
      '"body":0',
      `"body":${'['.repeat(6000)}${']'.repeat(6000)}`
    );
    await expectRefused(() => store.importText(requestText), 'INVALID_FILE');
    // The same file without the bad conversation imports.
    expect(await store.importText(fileWith({}))).toHaveLength(2);
  });
});
