/**
 * One current server, models that follow it: with two fake servers ("This computer" and "GPU box"),
 * choosing a server in the sidebar, the Ctrl+K palette, the tray or the composer moves the open chat and
 * its model list, and the next request reaches the chosen server (each fake's request log). A chat with
 * messages offers to continue there (the history is sent) or to start anew. A missing model disables
 * Send with a Pull that works; a server started after the app makes the open chat usable by itself.
 */
import type { Page } from '@playwright/test';
import { closedPort } from '../fake-ollama/closed-port';
import { createFakeOllama, type FakeOllama } from '../fake-ollama/server';
import { PULLABLE_MODELS } from '../fake-ollama/models';
import { composer, isChat, replyDone, sendWithEnter } from './chat-page';
import { test, expect, type TrayItemJson } from './fixtures';
import { SECOND_SERVER_MODEL } from './second-server';

async function saveServer(app: Page, name: string, host: string): Promise<string> {
  const saved = await app.evaluate(
    ([n, h]) => window.ollamaDesk.call('profiles:save', { name: n!, host: h!, auth: { kind: 'none' } }),
    [name, host]
  );
  if (!saved.ok) throw new Error(saved.error.message);
  await expect(app.getByRole('button', { name: new RegExp(`^${name},`) })).toBeVisible();
  return saved.value.id;
}

/** A new chat, open and empty (not the previous one still on screen). */
async function newChat(app: Page) {
  const before = app.url();
  await app.getByRole('button', { name: 'New chat' }).first().click();
  // The selection lives in the URL: it changes once the new chat is the open one.
  await expect(app).not.toHaveURL(before);
  await expect(app.getByRole('article')).toHaveCount(0);
  await expect(composer(app)).toBeVisible();
}

function sidebarServer(app: Page, name: string) {
  return app.getByRole('navigation').getByRole('button', { name: new RegExp(`^${name},`) });
}

const modelPicker = (app: Page) => app.getByRole('combobox', { name: 'Model', exact: true });
const serverMenu = (app: Page) => app.getByRole('combobox', { name: 'Server', exact: true });

/** The chat, the sidebar and the composer all say the chat is on `name`, with that server's model. */
async function expectOn(app: Page, name: string, model: string) {
  await expect(sidebarServer(app, name)).toHaveAttribute('aria-pressed', 'true');
  await expect(serverMenu(app).getByRole('option', { name, exact: true })).toHaveJSProperty('selected', true);
  await expect(modelPicker(app)).toHaveValue(model);
  await expect(app.getByRole('main').getByText(`${model} · ${name}`)).toBeVisible();
}

/** Sends `text` and checks that this server, and not the other, received it. */
async function expectNextRequestOn(
  app: Page,
  to: FakeOllama,
  notTo: FakeOllama,
  text: string,
  model: string
) {
  const before = notTo.requests.filter(isChat).length;
  await sendWithEnter(app, text);
  const request = await to.waitForRequest(
    (r) => isChat(r) && JSON.stringify((r.body as { messages: unknown }).messages).includes(text)
  );
  expect((request.body as { model: string }).model).toBe(model);
  await replyDone(app);
  expect(notTo.requests.filter(isChat)).toHaveLength(before);
}

async function trayItem(harness: { tray(): Promise<{ items: TrayItemJson[] }> }, label: string) {
  const menu = await harness.tray();
  const switcher = menu.items.find((i) => i.id === 'switch');
  const item = switcher?.submenu?.find((i) => i.label.startsWith(label));
  if (!item) throw new Error(`no "${label}" under Switch server: ${JSON.stringify(menu.items)}`);
  return item;
}

test('each of the four places moves an empty chat, its model list, and the next request', async ({
  app,
  fake,
  harness
}) => {
  const gpu = await createFakeOllama({ models: [SECOND_SERVER_MODEL] });
  try {
    await saveServer(app, 'GPU box', gpu.url);

    // 1. The sidebar.
    await newChat(app);
    await expectOn(app, 'This computer', 'gemma3:4b');
    await sidebarServer(app, 'GPU box').click();
    await expectOn(app, 'GPU box', 'second-only:1b');
    await expect(modelPicker(app).getByRole('option', { name: /gemma3/ })).toHaveCount(0);
    // The Models screen opens on the current server.
    await app.getByRole('button', { name: 'Models', exact: true }).click();
    await expect(app.getByRole('list', { name: 'Installed models on GPU box' })).toBeVisible();
    await app.keyboard.press('Escape');
    await expectNextRequestOn(app, gpu, fake, 'asked from the sidebar', 'second-only:1b');

    // 2. Ctrl+K, type, Enter.
    await newChat(app);
    await expectOn(app, 'GPU box', 'second-only:1b');
    await app.keyboard.press('Control+k');
    await app.getByRole('combobox', { name: 'Find a server' }).fill('this');
    await app.keyboard.press('Enter');
    await expectOn(app, 'This computer', 'gemma3:4b');
    await expectNextRequestOn(app, fake, gpu, 'asked after the palette', 'gemma3:4b');

    // 3. The tray's "Switch server".
    await newChat(app);
    await harness.clickTray((await trayItem(harness, 'GPU box')).id);
    await expectOn(app, 'GPU box', 'second-only:1b');
    await expect.poll(async () => (await trayItem(harness, 'GPU box')).checked).toBe(true);
    await expectNextRequestOn(app, gpu, fake, 'asked after the tray', 'second-only:1b');

    // 4. The composer's server menu.
    await newChat(app);
    await serverMenu(app).selectOption({ label: 'This computer' });
    await expectOn(app, 'This computer', 'gemma3:4b');
    await expect.poll(async () => (await trayItem(harness, 'This computer')).checked).toBe(true);
    await expectNextRequestOn(app, fake, gpu, 'asked after the composer', 'gemma3:4b');
  } finally {
    await gpu.close();
  }
});

test('a chat with messages continues on the chosen server with its history, or starts anew there', async ({
  app,
  fake
}) => {
  const gpu = await createFakeOllama({ models: [SECOND_SERVER_MODEL] });
  try {
    await saveServer(app, 'GPU box', gpu.url);
    await newChat(app);
    await sendWithEnter(app, 'first question, asked here');
    await replyDone(app);

    await sidebarServer(app, 'GPU box').click();
    const offer = app.getByRole('dialog', { name: 'Switch to GPU box?' });
    await expect(offer).toContainText('This chat has 2 messages on This computer.');
    // Until answered, the chat and the sidebar stay on its server.
    await expect(sidebarServer(app, 'This computer')).toHaveAttribute('aria-pressed', 'true');
    await offer.getByRole('button', { name: 'Continue on GPU box' }).click();
    await expectOn(app, 'GPU box', 'second-only:1b');

    await sendWithEnter(app, 'second question, asked there');
    const request = await gpu.waitForRequest(isChat);
    const sent = (request.body as { messages: { role: string; content: string }[] }).messages;
    expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent[0]!.content).toBe('first question, asked here');
    expect(sent[2]!.content).toBe('second question, asked there');
    await replyDone(app);
    expect(fake.requests.filter(isChat)).toHaveLength(1);

    // Cancel keeps it where it is; "New chat on" with "Remember my choice" stops asking.
    const back = app.getByRole('dialog', { name: 'Switch to This computer?' });
    await sidebarServer(app, 'This computer').click();
    await back.getByRole('button', { name: 'Cancel' }).click();
    await expect(back).toBeHidden();
    await expectOn(app, 'GPU box', 'second-only:1b');
    await sidebarServer(app, 'This computer').click();
    await back.getByRole('checkbox', { name: 'Remember my choice' }).check();
    await back.getByRole('button', { name: 'New chat on This computer' }).click();
    await expectOn(app, 'This computer', 'gemma3:4b');
    await expect(app.getByRole('article')).toHaveCount(0);

    // The old chat, opened again, brings its server back; switching from it now starts a new chat.
    await app.getByRole('link').filter({ hasText: 'second-only:1b' }).click();
    await expectOn(app, 'GPU box', 'second-only:1b');
    await sidebarServer(app, 'This computer').click();
    await expectOn(app, 'This computer', 'gemma3:4b');
    await expect(app.getByRole('dialog')).toHaveCount(0);
    await expect(app.getByRole('article')).toHaveCount(0);
  } finally {
    await gpu.close();
  }
});

test('a model the server lacks disables Send with a Pull on that server that works', async ({ app }) => {
  const phi = PULLABLE_MODELS.find((m) => m.name === 'phi3:mini')!;
  const gpu = await createFakeOllama({ models: [SECOND_SERVER_MODEL, phi] });
  try {
    await saveServer(app, 'GPU box', gpu.url);
    await sidebarServer(app, 'GPU box').click();
    await newChat(app);
    await modelPicker(app).selectOption('phi3:mini');
    await sendWithEnter(app, 'hello phi');
    await replyDone(app);
    // The model goes away on the server (deleted there); the chat, opened again, cannot send to it.
    gpu.setModels([SECOND_SERVER_MODEL]);
    await app.reload();

    await composer(app).fill('are you there, phi?');
    const send = app.getByRole('button', { name: 'Send' });
    await expect(send).toBeDisabled();
    const reason = app
      .getByRole('main')
      .getByRole('status')
      .filter({ hasText: 'phi3:mini is not on GPU box.' });
    await expect(reason).toBeVisible();
    await expect(send).toHaveAccessibleDescription(/phi3:mini is not on GPU box/);
    await expect(
      modelPicker(app).getByRole('option', { name: 'phi3:mini (not on this server)' })
    ).toHaveCount(1);

    const pulls = gpu.requests.filter((r) => r.path === '/api/pull').length;
    await reason.getByRole('button', { name: 'Pull phi3:mini on GPU box' }).click();
    await gpu.waitForRequest((r) => r.path === '/api/pull');
    expect(gpu.requests.filter((r) => r.path === '/api/pull')).toHaveLength(pulls + 1);
    await expect(send).toBeEnabled({ timeout: 15_000 });
    await expect(reason).toHaveCount(0);
    const chats = gpu.requests.filter(isChat).length;
    await send.click();
    await expect.poll(() => gpu.requests.filter(isChat).length).toBe(chats + 1);
    expect((gpu.requests.filter(isChat).at(-1)!.body as { model: string }).model).toBe('phi3:mini');
  } finally {
    await gpu.close();
  }
});

test('an embedding model cannot chat: Send says so and offers the model menu', async ({ app }) => {
  await newChat(app);
  await sendWithEnter(app, 'a first message, so the chat is kept');
  await replyDone(app);
  // Set elsewhere (an older app, an import): the menu does not offer embedding models itself.
  const id = decodeURIComponent(new URL(app.url()).hash.slice('#c='.length));
  const changed = await app.evaluate(
    (cid) =>
      window.ollamaDesk.call('conversations:update', {
        id: cid,
        patch: { model: 'nomic-embed-text:latest' }
      }),
    id
  );
  expect(changed.ok).toBe(true);
  await app.reload();
  await composer(app).fill('hello');
  await expect(app.getByRole('button', { name: 'Send' })).toBeDisabled();
  await expect(
    modelPicker(app).getByRole('option', { name: 'nomic-embed-text:latest (cannot chat)' })
  ).toHaveCount(1);
  const reason = app.getByRole('main').getByRole('status').filter({ hasText: 'cannot chat' });
  await reason.getByRole('button', { name: 'Choose a model' }).click();
  await expect(modelPicker(app)).toBeFocused();
});

test('a server started after the app makes the open chat usable without a click', async ({ app }) => {
  const port = await closedPort();
  await saveServer(app, 'GPU box', `127.0.0.1:${port}`);
  await sidebarServer(app, 'GPU box').click();
  await expect(sidebarServer(app, 'GPU box')).toHaveAttribute('aria-pressed', 'true');
  await newChat(app);
  await composer(app).fill('waiting for the box');

  const reason = app.getByRole('main').getByRole('status').filter({ hasText: 'GPU box is not reachable' });
  await expect(reason).toBeVisible();
  await expect(reason.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(reason.getByRole('button', { name: 'Test connection' })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Send' })).toBeDisabled();
  await expect(app.getByRole('main').getByText('(not on this server)')).toHaveCount(0);

  const gpu = await createFakeOllama({ port, models: [SECOND_SERVER_MODEL] });
  try {
    // No click: the chat notices the server, reads its models and takes one.
    await expect(modelPicker(app)).toHaveValue('second-only:1b');
    await expect(reason).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Send' })).toBeEnabled();
    await app.getByRole('button', { name: 'Send' }).click();
    const request = await gpu.waitForRequest(isChat);
    expect((request.body as { model: string }).model).toBe('second-only:1b');
  } finally {
    await gpu.close();
  }
});
