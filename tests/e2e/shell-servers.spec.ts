/**
 * The server profiles screen and the switcher: add a server by address (normalized live), see it
 * reachable, switch to it and get its models, errors in words, write-only secrets, reorder, delete.
 */
import type { Page } from '@playwright/test';
import { closedPort } from '../fake-ollama/closed-port';
import { createFakeOllama } from '../fake-ollama/server';
import { test, expect } from './fixtures';
import { SECOND_SERVER_MODEL } from './second-server';
import { replyDone, sendWithEnter } from './chat-page';

function serversDialog(app: Page) {
  return app.getByRole('dialog', { name: 'Servers' });
}

async function openAddServer(app: Page) {
  await app.getByRole('button', { name: 'Manage servers' }).click();
  await serversDialog(app).getByRole('button', { name: 'Add server' }).click();
  await expect(serversDialog(app).getByRole('heading', { name: 'Add a server' })).toBeVisible();
}

async function addServer(app: Page, name: string, address: string) {
  await openAddServer(app);
  const dialog = serversDialog(app);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Server address').fill(address);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('listitem', { name })).toBeVisible();
}

test('adds a server by address, shows the normalized URL, and it is reachable', async ({ app, fake }) => {
  const second = await createFakeOllama({ models: [SECOND_SERVER_MODEL] });
  try {
    await expect(app.getByRole('button', { name: 'This computer, reachable' })).toBeVisible();
    await openAddServer(app);
    const dialog = serversDialog(app);
    await dialog.getByLabel('Name', { exact: true }).fill('Second box');
    // An OLLAMA_HOST form without a scheme: http is added, the port kept.
    await dialog.getByLabel('Server address').fill(` "127.0.0.1:${second.port}" `);
    await expect(dialog.getByText(`Connects to http://127.0.0.1:${second.port}`)).toBeVisible();

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByRole('status');
    await expect(result).toContainText('Connected.');
    await expect(result).toContainText('1 model');
    await expect(result).toContainText(/Ollama \d/);
    expect(second.requests.some((r) => r.path === '/api/version')).toBe(true);

    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const row = dialog.getByRole('listitem', { name: 'Second box' });
    await expect(row).toContainText(`http://127.0.0.1:${second.port}`);
    await expect(row).toContainText('· reachable');
    // The first server's model count differs: the two rows are really two servers.
    await dialog
      .getByRole('listitem', { name: 'This computer' })
      .getByRole('button', { name: 'Test connection' })
      .click();
    await expect(dialog.getByRole('listitem', { name: 'This computer' }).getByRole('status')).toContainText(
      /\d+ models/
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();

    // One click switches; the new chat gets the second server's model.
    const switcher = app.getByRole('button', { name: 'Second box, reachable' });
    await switcher.click();
    await expect(switcher).toHaveAttribute('aria-pressed', 'true');
    await expect(app.getByRole('button', { name: 'This computer, reachable' })).toHaveAttribute(
      'aria-pressed',
      'false'
    );
    await app.getByRole('button', { name: 'New chat' }).first().click();
    // A chat is listed from its first message on.
    await sendWithEnter(app, 'hello second box');
    await replyDone(app);
    const conversation = app.getByRole('list', { name: 'Conversations' }).getByRole('link').first();
    await expect(conversation).toHaveAttribute('aria-current', 'page');
    await expect(app.getByRole('list', { name: 'Conversations' })).toContainText('second-only:1b');
    await expect(app.getByRole('list', { name: 'Conversations' })).toContainText('Second box');
    const picker = app.getByLabel('Model', { exact: true });
    if ((await picker.count()) > 0) await expect(picker).toHaveValue('second-only:1b');

    // Switching back from a chat with messages offers a new chat there, on that server's model.
    await app.getByRole('button', { name: 'This computer, reachable' }).click();
    await app
      .getByRole('dialog', { name: 'Switch to This computer?' })
      .getByRole('button', { name: 'New chat on This computer' })
      .click();
    await expect(app.getByLabel('Model', { exact: true })).toHaveValue('gemma3:4b');
    await sendWithEnter(app, 'hello this computer');
    await replyDone(app);
    await expect(
      app.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()
    ).toContainText('This computer');
    expect(fake.requests.length).toBeGreaterThan(0);
  } finally {
    await second.close();
  }
});

test('an invalid address shows the words before saving, and nothing is saved', async ({ app }) => {
  await openAddServer(app);
  const dialog = serversDialog(app);
  const address = dialog.getByLabel('Server address');
  await address.fill('ftp://box.local');
  await expect(dialog.getByText('That server address is not valid.')).toBeVisible();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('That server address is not valid.');
  // Fixing it clears the error and shows the URL.
  await address.fill('box.local');
  await expect(dialog.getByText('Connects to http://box.local:11434')).toBeVisible();
  await expect(address).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByRole('listitem')).toHaveCount(1);
});

test('test connection on a dead port says "Connection refused" with a hint', async ({ app }) => {
  const port = await closedPort();
  await openAddServer(app);
  const dialog = serversDialog(app);
  await dialog.getByLabel('Server address').fill(`127.0.0.1:${port}`);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByRole('status');
  await expect(result).toContainText('Connection refused.');
  await expect(result).toContainText(/Ollama|OLLAMA_HOST/);

  // Saved anyway, it shows as unreachable in the switcher.
  await dialog.getByLabel('Name', { exact: true }).fill('Dead box');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('listitem', { name: 'Dead box' })).toContainText('unreachable');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByRole('button', { name: 'Dead box, unreachable' })).toBeVisible();
});

test('a saved token is write-only: never shown again, kept when left empty', async ({ app }) => {
  const token = 'tok-SECRET-4f1c9e';
  const locked = await createFakeOllama();
  locked.requireAuth({ bearer: token });
  try {
    await openAddServer(app);
    const dialog = serversDialog(app);
    await dialog.getByLabel('Name', { exact: true }).fill('Locked box');
    await dialog.getByLabel('Server address').fill(locked.url);
    await dialog.getByLabel('Authentication').selectOption('bearer');
    await dialog.getByLabel('Token').fill(token);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const row = dialog.getByRole('listitem', { name: 'Locked box' });
    await expect(row).toContainText('· reachable');
    await expect(row).toContainText('bearer auth');
    expect(locked.requests.some((r) => r.headers['authorization'] === `Bearer ${token}`)).toBe(true);

    await row.getByRole('button', { name: 'Edit' }).click();
    const tokenField = dialog.getByLabel('Token');
    await expect(tokenField).toHaveValue('');
    await expect(tokenField).toHaveAttribute(
      'placeholder',
      /saved in (the system keychain|an encrypted file)/
    );
    await expect(dialog.getByText('Leave empty to keep the saved token.')).toBeVisible();
    expect(await app.content()).not.toContain(token);
    const fromApi = await app.evaluate(() => window.ollamaDesk.call('profiles:list', {}));
    expect(JSON.stringify(fromApi)).not.toContain(token);

    // Saving with the field empty keeps the secret: the server still lets us in.
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect(row.getByRole('status')).toContainText('Connected.');
    expect(await app.content()).not.toContain(token);

    // Removing it is explicit; then the server refuses us, in words.
    await row.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByRole('button', { name: 'Remove the saved token' }).click();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect(row.getByRole('status')).toContainText('The server refused the credentials.');
  } finally {
    await locked.close();
  }
});

test('servers can be reordered and deleted', async ({ app }) => {
  const port = await closedPort();
  await addServer(app, 'Box B', `127.0.0.1:${port}`);
  const dialog = serversDialog(app);
  const names = () =>
    dialog.getByRole('listitem').evaluateAll((items) => items.map((li) => li.getAttribute('aria-label')));
  expect(await names()).toEqual(['This computer', 'Box B']);

  const boxB = dialog.getByRole('listitem', { name: 'Box B' });
  await expect(boxB.getByRole('button', { name: 'Move down' })).toBeDisabled();
  await boxB.getByRole('button', { name: 'Move up' }).click();
  await expect.poll(names).toEqual(['Box B', 'This computer']);
  // Focus follows the moved server (Move up is now disabled, so it lands on Move down).
  await expect(boxB.getByRole('button', { name: 'Move down' })).toBeFocused();
  const switcher = app.getByRole('navigation').getByRole('listitem');
  await expect(switcher.first()).toContainText('Box B');

  // The order is main's, not only the screen's.
  await app.reload();
  await app.getByRole('button', { name: 'Manage servers' }).click();
  await expect.poll(names).toEqual(['Box B', 'This computer']);

  await dialog.getByRole('listitem', { name: 'Box B' }).getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete server' }).click();
  await expect.poll(names).toEqual(['This computer']);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByRole('button', { name: /^Box B,/ })).toHaveCount(0);
});
