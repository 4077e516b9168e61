/**
 * Settings as users expect them: the server for new chats, the shortcut list, where the data lives
 * (the real folder, copyable) and export of every conversation as a file.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { newChat, replyDone, sendWithEnter } from './chat-page';

test('Settings name the server for new chats, list the shortcuts, show the data folder and export all', async ({
  app,
  fake,
  harness
}) => {
  fake.setScenario({ reply: 'The tides follow the moon.' });
  await newChat(app);
  await sendWithEnter(app, 'Why are there tides?');
  await replyDone(app);

  await app.getByRole('button', { name: 'Settings' }).click();
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByRole('combobox', { name: 'Server for new chats' })).toHaveValue(/.+/);
  await expect(
    dialog.getByRole('combobox', { name: 'Server for new chats' }).locator('option:checked')
  ).toHaveText('This computer');

  const shortcuts = dialog.getByRole('region', { name: 'Keyboard shortcuts' });
  for (const action of ['New chat', 'Switch server', 'Search conversations', 'Send', 'Stop the reply']) {
    await expect(shortcuts.getByText(action, { exact: true })).toBeVisible();
  }
  await expect(shortcuts).toContainText(/(Ctrl\+|⌘)N/);

  const data = dialog.getByRole('region', { name: 'Your data' });
  await expect(data.getByText(harness.dataDir, { exact: true })).toBeVisible();
  await expect(data.getByRole('button', { name: "Copy the data folder's path" })).toBeVisible();

  const download = app.waitForEvent('download');
  await data.getByRole('button', { name: 'Export all as JSON' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.json$/);
  const path = test.info().outputPath('all.json');
  await file.saveAs(path);
  expect(readFileSync(path, 'utf8')).toContain('The tides follow the moon.');
});
