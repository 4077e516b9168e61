/**
 * The app against the fake in its real-scheduler mode (real-ollama.md, issue 14): /api/ps and unloads
 * wait while a model loads (D1), one request per model at a time (D3), unloads one after another with
 * a VRAM wait (D6), eviction (D7), a cloud model's 401 with its sign-in link (D5), llama-server's
 * prompt-too-long 400 (D12) and a stream that ends cleanly without done (D13). By role and label, and
 * the tray through the harness's JSON route.
 */
import type { Page } from '@playwright/test';
import type { FakeModel, FakeOllama, RecordedRequest, Scenario } from '../fake-ollama/server';
import { test, expect, trayWhen, type HarnessProcess, type TrayItemJson, type TrayModel } from './fixtures';
import { composer, lastReply, newChat, replyDone, sendWithEnter } from './chat-page';

const SERVER = 'This computer';

/** The fake's scheduler knobs (tests/fake-ollama/types.ts, FakeOllamaOptions). */
function knobs(fake: FakeOllama, options: Record<string, unknown>): void {
  Object.assign(fake.options, options);
}

const items = (model: TrayModel): TrayItemJson[] => model.items.flatMap((i) => [i, ...(i.submenu ?? [])]);
const header = (model: TrayModel) => items(model).find((i) => i.kind === 'header')?.label ?? '';
const modelItem = (model: TrayModel, name: string) =>
  items(model).find((i) => i.id.startsWith('unload:') && i.id.endsWith(`:${name}`));

/** Samples the tray every 100 ms until stopped, so a test can say what it never showed. */
function recordTray(harness: HarnessProcess) {
  const headers: string[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      headers.push(header(await harness.tray()));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    headers,
    async stop() {
      running = false;
      await done;
      return headers;
    }
  };
}

async function openPanel(app: Page) {
  await app.getByRole('button', { name: 'Loaded models', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: 'Loaded models' });
  await expect(dialog).toBeVisible();
  return dialog;
}

const isUnloadOf = (model: string) => (r: RecordedRequest) =>
  r.path === '/api/chat' &&
  (r.body as { model?: unknown }).model === model &&
  (r.body as { keep_alive?: unknown }).keep_alive === 0;

test('a cold load of 8 s: the server stays "loading", never unreachable; an Unload clicked during it happens after it', async ({
  app,
  fake,
  harness
}) => {
  test.setTimeout(60_000);
  knobs(fake, { loadMs: 8_000, psBlocksWhileLoading: true });
  await trayWhen(harness, (m) => items(m).some((i) => i.label === 'No models loaded'), 20_000);
  const tray = recordTray(harness);

  await newChat(app);
  await sendWithEnter(app, 'Hello after a slow load');
  await expect(lastReply(app).getByRole('status')).toContainText('Loading model…');

  // Within the load: tray, switcher and panel say "loading gemma3:4b…".
  await trayWhen(harness, (m) => header(m) === `${SERVER} — loading gemma3:4b…`, 7_000);
  // The server switcher's dot and words too.
  await expect(app.getByRole('button', { name: `${SERVER}, loading gemma3:4b…` })).toBeVisible();
  const dialog = await openPanel(app);
  await expect(dialog.getByText('loading gemma3:4b…')).toBeVisible();
  const row = dialog.getByRole('listitem', { name: 'gemma3:4b' });
  await row.getByRole('button', { name: `Unload gemma3:4b on ${SERVER}` }).click();
  await expect(row).toContainText('unloads when loading ends');
  const unload = await fake.waitForRequest(isUnloadOf('gemma3:4b'));
  expect(unload.finished).toBe(false);

  // The load ends: the reply arrives whole, then the held unload happens.
  await app.getByRole('dialog', { name: 'Loaded models' }).getByRole('button', { name: 'Close' }).click();
  await expect(lastReply(app)).toContainText('You said: Hello after a slow load', { timeout: 20_000 });
  await replyDone(app);
  // The server answered the held unload once the load was over, and the app stopped saying it waits.
  await expect
    .poll(() => fake.requests.find(isUnloadOf('gemma3:4b'))?.finished, { timeout: 20_000 })
    .toBe(true);
  const after = await openPanel(app);
  await expect(after.getByText('unloads when loading ends')).toHaveCount(0, { timeout: 20_000 });
  const seen = await tray.stop();
  expect(seen.filter((h) => h.includes('unreachable'))).toEqual([]);
  expect(seen).toContain(`${SERVER} — loading gemma3:4b…`);
});

test('two conversations on one model: the second waits its turn and says so, and both replies are whole', async ({
  app,
  fake
}) => {
  test.setTimeout(60_000);
  knobs(fake, { numParallel: 1 });
  fake.loadModel('gemma3:4b');
  const first = 'alpha beta gamma delta epsilon zeta eta theta iota kappa';
  fake.queueScenario({ reply: first, pacingMs: 250 });
  fake.queueScenario({ reply: 'the second reply' });

  await newChat(app);
  await sendWithEnter(app, 'first question');
  await expect(lastReply(app)).toContainText('alpha');
  await newChat(app);
  await sendWithEnter(app, 'second question');
  await expect(lastReply(app).getByRole('status')).toContainText(
    'waiting: gemma3:4b is answering another request'
  );
  await expect(lastReply(app)).toContainText('the second reply', { timeout: 20_000 });
  await replyDone(app);

  // Back to the first conversation (found by its text): its reply is whole too.
  await app.getByRole('searchbox', { name: 'Search conversations' }).fill('epsilon');
  const list = app.getByRole('list', { name: 'Conversations' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await list.getByRole('listitem').getByRole('link').click();
  await expect(lastReply(app)).toContainText(first, { timeout: 10_000 });
});

test('Unload all of four models with a VRAM wait after each: watched until all are gone', async ({
  app,
  fake,
  harness
}) => {
  test.setTimeout(90_000);
  knobs(fake, { vramRecoveryMs: 3_000 });
  const names = ['gemma3:4b', 'qwen3:8b', 'llama3.2:latest', 'nomic-embed-text:latest'];
  for (const name of names) fake.loadModel(name);
  const dialog = await openPanel(app);
  for (const name of names) await expect(dialog.getByRole('listitem', { name })).toBeVisible();
  const tray = recordTray(harness);

  await dialog.getByRole('button', { name: `Unload all on ${SERVER}` }).click();
  await expect(dialog.getByRole('listitem', { name: 'gemma3:4b' })).toContainText(/unloading…/);
  await expect(dialog.getByText('No models loaded')).toBeVisible({ timeout: 45_000 });
  expect(fake.loaded()).toEqual([]);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  const seen = await tray.stop();
  expect(seen.filter((h) => h.includes('unreachable'))).toEqual([]);
});

test('an evicted model leaves the tray within one poll', async ({ app, fake, harness }) => {
  test.setTimeout(60_000);
  knobs(fake, { maxLoadedModels: 2 });
  fake.loadModel('qwen3:8b', { keepAliveSec: 60 });
  fake.loadModel('llama3.2:latest', { keepAliveSec: 600 });
  await trayWhen(
    harness,
    (m) => modelItem(m, 'qwen3:8b') !== undefined && modelItem(m, 'llama3.2:latest') !== undefined,
    20_000
  );

  // A chat with a third model makes the server evict one (the idle one with the shortest keep_alive).
  await newChat(app);
  await sendWithEnter(app, 'push one out');
  await expect(lastReply(app)).toContainText('You said: push one out');
  const after = await trayWhen(harness, (m) => modelItem(m, 'gemma3:4b') !== undefined, 5_000);
  expect(modelItem(after, 'qwen3:8b')).toBeUndefined();
  expect(modelItem(after, 'llama3.2:latest')).toBeDefined();
});

test('a cloud model on a server not signed in: the error says to sign in and opens the link in the browser', async ({
  app,
  fake
}) => {
  fake.addModel({
    name: 'gpt-oss:120b-cloud',
    family: 'gptoss',
    parameterSize: '116.8B',
    quantization: 'MXFP4',
    sizeBytes: 384,
    capabilities: ['completion', 'tools', 'thinking'],
    contextLength: 131072
  });
  knobs(fake, { cloudSignedIn: false, cloudSigninUrl: 'https://ollama.com/connect?name=box&key=abc' });
  const opened: string[] = [];
  app.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString();
      if (text.includes('app:openExternal')) opened.push(text);
    })
  );
  await app.reload();
  await newChat(app);
  await app.getByRole('combobox', { name: 'Model' }).selectOption('gpt-oss:120b-cloud');
  await sendWithEnter(app, 'hello cloud');
  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText('This is a cloud model: the server must be signed in to ollama.com.');
  await expect(alert).not.toContainText('credentials');
  await alert.getByRole('button', { name: 'Sign in to ollama.com' }).click();
  await expect.poll(() => opened.join('\n')).toContain('https://ollama.com/connect?name=box&key=abc');
});

test('a prompt longer than the context says to start a new chat or raise the context length', async ({
  app,
  fake
}) => {
  fake.setModels([
    {
      name: 'deepseek-v2:16b',
      family: 'deepseek2',
      parameterSize: '15.7B',
      quantization: 'Q4_0',
      sizeBytes: 8_900_000_000,
      capabilities: ['completion'],
      contextLength: 256,
      contextShift: false
    } as FakeModel
  ]);
  await app.reload();
  await newChat(app);
  await sendWithEnter(app, 'word '.repeat(2_000));
  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText('This conversation is longer than the model can read at once.');
  await expect(alert).toContainText('Start a new chat, or raise the context length');
  // What the user typed is kept.
  await expect(app.getByRole('article', { name: 'Your message' }).last()).toContainText('word word');
});

test('a stream that ends cleanly without done keeps the text and says the connection was lost', async ({
  app,
  fake
}) => {
  fake.queueScenario({ reply: 'one two three four five', endCleanlyAfterChunks: 3 } as Scenario);
  await newChat(app);
  await sendWithEnter(app, 'stop early');
  const reply = lastReply(app);
  await expect(reply.getByRole('alert')).toContainText('Connection lost during the reply.');
  await expect(reply).toContainText('one two');
  await expect(composer(app)).toBeVisible();
});
