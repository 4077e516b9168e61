/**
 * Server addresses are checked like a careful user expects: each address below is refused in words that
 * say what is wrong, Save refuses it too, and nothing reaches the profiles file; the forms Ollama
 * accepts still connect.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

function serversDialog(app: Page) {
  return app.getByRole('dialog', { name: 'Servers' });
}

const BAD: { address: string; words: RegExp }[] = [
  {
    address: 'box.local:0',
    words: /That server address is not valid\. The port "0" is not a number from 1 to 65535/
  },
  { address: 'box.local:99999', words: /The port "99999" is not a number from 1 to 65535/ },
  { address: 'box.local:-1', words: /The port "-1" is not a number from 1 to 65535/ },
  { address: 'box.local:abc', words: /The port "abc" is not a number from 1 to 65535/ },
  { address: 'javascript:alert(1)', words: /Unsupported scheme "javascript:": use http:\/\/ or https:\/\// },
  { address: `${'abcdefghi.'.repeat(40)}com`, words: /host name is 403 characters long: at most 253/ },
  { address: `${'a'.repeat(64)}.lan`, words: /63 are allowed between two dots/ },
  {
    address: `http://${'x'.repeat(4993)}`,
    words: /That address is too long\. The address is 5000 characters long/
  }
];

test('each bad address is refused in words, and nothing is saved', async ({ app }) => {
  await app.getByRole('button', { name: 'Manage servers' }).click();
  const dialog = serversDialog(app);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  const address = dialog.getByLabel('Server address');
  await dialog.getByLabel('Name', { exact: true }).fill('Typo box');
  for (const { address: bad, words } of BAD) {
    await address.fill(bad);
    await expect(address).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog.getByText(words).first()).toBeVisible();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText(words);
    // The editor stays open with what was typed: nothing is lost, nothing is saved.
    await expect(address).toHaveValue(bad);
  }
  const saved = await app.evaluate(() => window.ollamaDesk.call('profiles:list', {}));
  expect(saved.ok && saved.value.profiles.map((p) => p.name)).toEqual(['This computer']);

  // A form Ollama accepts is still accepted as before.
  await address.fill(' "[::1]:8080" ');
  await expect(dialog.getByText('Connects to http://[::1]:8080')).toBeVisible();
  await expect(address).not.toHaveAttribute('aria-invalid', 'true');
  await address.fill('box.local:');
  await expect(dialog.getByText('Connects to http://box.local:11434')).toBeVisible();
});
