import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConversationStore } from '../../../electron/main/core/conversations/conversation-store';
import { createFakeOllama } from '../../fake-ollama/server';
import type { FakeOllama } from '../../fake-ollama/types';

let fake: FakeOllama;
let dir: string;
beforeAll(async () => {
  fake = await createFakeOllama();
  dir = await mkdtemp(join(tmpdir(), 'chat-kill-'));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

it('a kill -9 mid-stream loses at most about a second of text and no earlier message', async () => {
  const store = await ConversationStore.open(dir);
  const conv = await store.create({ profileId: 'p', model: 'llama3.2:latest', jsonMode: false });
  const now = Date.now();
  conv.messages.push(
    { id: 'u1', role: 'user', content: 'Earlier question', createdAt: now },
    { id: 'a1', role: 'assistant', content: 'Earlier answer', createdAt: now, status: 'done' }
  );
  await store.save(conv);

  const tokens = Array.from({ length: 400 }, (_, i) => `word${i} `);
  fake.setScenario({ tokens, pacingMs: 15 });

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'kill-child.ts'), dir, fake.url, conv.id],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  // (time, characters received) as the child reports them.
  const progress: { at: number; received: number }[] = [];
  const lines = createInterface({ input: child.stdout });
  const streamedLongEnough = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { received?: number };
      if (msg.received === undefined) return;
      progress.push({ at: Date.now(), received: msg.received });
      if (Date.now() - (progress[0]?.at ?? Date.now()) > 1800) resolve();
    });
    child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
  });
  await streamedLongEnough;
  const killedAt = Date.now();
  child.kill('SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');

  const reopened = await ConversationStore.open(dir);
  const messages = reopened.get(conv.id).messages;
  expect(messages.slice(0, 3).map((m) => [m.role, m.content])).toEqual([
    ['user', 'Earlier question'],
    ['assistant', 'Earlier answer'],
    ['user', 'Tell me a very long story.']
  ]);
  const partial = messages[3];
  expect(partial?.role).toBe('assistant');
  expect(partial?.status).toBe('broken'); // it was streaming when the process died
  const full = tokens.join('');
  expect(full.startsWith(partial?.content ?? 'x')).toBe(true);
  expect(partial?.content.length).toBeLessThan(full.length);
  // Everything the child had a second before the kill is on disk.
  const secondBefore = progress.filter((p) => p.at <= killedAt - 1000).at(-1)?.received ?? 0;
  expect(secondBefore).toBeGreaterThan(0);
  expect(partial?.content.length).toBeGreaterThanOrEqual(secondBefore);
}, 20_000);
