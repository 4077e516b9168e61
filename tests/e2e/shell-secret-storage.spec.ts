/**
 * Where no keychain answers and the system's encryption is basic_text (a built-in key), the app does
 * not claim encryption: a token is kept for this session only until the user stores it under a
 * passphrase, and every place that shows where it lives says so. After a restart the passphrase
 * file is locked until unlocked with the right passphrase.
 */
import type { Page } from '@playwright/test';
import { createFakeOllama } from '../fake-ollama/server';
import { test, expect } from './fixtures';

test.use({ harnessEnv: { HARNESS_SECRETS: 'basic_text' } });

const TOKEN = 'tok-SECRET-77ab';
const PASSPHRASE = 'correct horse battery';

function serversDialog(app: Page) {
  return app.getByRole('dialog', { name: 'Servers' });
}

test('session only until a passphrase is given; the words follow every move', async ({ app, harness }) => {
  const locked = await createFakeOllama();
  locked.requireAuth({ bearer: TOKEN });
  try {
    await app.getByRole('button', { name: 'Manage servers' }).click();
    const dialog = serversDialog(app);
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('Locked box');
    await dialog.getByLabel('Server address').fill(locked.url);
    await dialog.getByLabel('Authentication').selectOption('bearer');
    const choice = dialog.getByRole('group', { name: 'Where secrets are kept' });
    await expect(choice).toContainText('no real encryption');
    await expect(choice).toContainText('Until you choose, secrets are kept for this session only.');
    await expect(dialog.getByText('Kept in memory for this session only, never shown again.')).toBeVisible();
    await expect(dialog.getByText(/encrypted/)).toHaveCount(0);
    await dialog.getByLabel('Token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const row = dialog.getByRole('listitem', { name: 'Locked box' });
    await expect(row).toContainText('· reachable');

    await row.getByRole('button', { name: 'Edit' }).click();
    await expect(dialog.getByLabel('Token')).toHaveAttribute('placeholder', 'kept for this session only');
    await dialog.getByLabel('Passphrase for saved secrets').fill('short');
    await choice.getByRole('button', { name: 'Store under this passphrase' }).click();
    await expect(choice.getByRole('alert')).toContainText('at least 8 characters');
    await dialog.getByLabel('Passphrase for saved secrets').fill(PASSPHRASE);
    await dialog.getByLabel('Passphrase for saved secrets').press('Enter');
    await expect(choice).toContainText('Secrets are saved in a file locked by your passphrase.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Edit' }).click();
    await expect(dialog.getByLabel('Token')).toHaveAttribute(
      'placeholder',
      'saved in a file locked by your passphrase'
    );
    expect(await app.content()).not.toContain(TOKEN);

    // After a restart the file is locked: the token is not sent until it is unlocked.
    await harness.restart();
    await app.reload();
    await app.getByRole('button', { name: 'Manage servers' }).click();
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect(row.getByRole('status')).toContainText('The server refused the credentials.');
    await row.getByRole('button', { name: 'Edit' }).click();
    await expect(choice).toContainText('Saved secrets are locked by your passphrase');
    await dialog.getByLabel('Passphrase for saved secrets').fill('wrong passphrase');
    await choice.getByRole('button', { name: 'Unlock' }).click();
    await expect(choice.getByRole('alert')).toContainText('does not open the saved secrets');
    await dialog.getByLabel('Passphrase for saved secrets').fill(PASSPHRASE);
    await choice.getByRole('button', { name: 'Unlock' }).click();
    await expect(choice).toContainText('Secrets are saved in a file locked by your passphrase.');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(dialog.getByRole('status')).toContainText('Connected.');
  } finally {
    await locked.close();
  }
});
