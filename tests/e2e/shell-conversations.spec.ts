/**
 * The conversation list: search by a word inside a reply, rename inline, delete with Undo, export
 * (Markdown / JSON, one or all) and import that round-trips, and a bad file that changes nothing.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { FakeOllama } from '../fake-ollama/server';
import { test, expect } from './fixtures';

/**
 * A finished exchange made through the api (as the composer would), titled by the fake's default
 * reply. Returns the conversation id once the reply and its title are in.
 */
async function chatThroughApi(app: Page, fake: FakeOllama, prompt: string, reply: string, title: string) {
  fake.setScenario({ reply: title });
  fake.queueScenario({ reply });
  return app.evaluate(
    async ({ prompt, title }) => {
      const api = window.ollamaDesk;
      const created = await api.call('conversations:create', { model: 'gemma3:4b' });
      if (!created.ok) throw new Error(created.error.message);
      const id = created.value.id;
      const sent = await api.call('chat:send', { conversationId: id, content: prompt });
      if (!sent.ok) throw new Error(sent.error.message);
      for (let i = 0; i < 400; i++) {
        const conv = await api.call('conversations:get', { id });
        if (conv.ok && conv.value.messages.at(-1)?.status === 'done' && conv.value.title === title) return id;
        await new Promise((done) => setTimeout(done, 25));
      }
      throw new Error('the reply or its title did not arrive');
    },
    { prompt, title }
  );
}

function list(app: Page) {
  return app.getByRole('list', { name: 'Conversations' });
}

/** The toasts' live regions. */
function notifications(app: Page) {
  return app.getByRole('region', { name: 'Notifications' });
}

async function rowAction(app: Page, title: string, action: string) {
  await app.getByRole('button', { name: `Actions for ${title}` }).click();
  await app.getByRole('menuitem', { name: action }).click();
}

test('search as you type finds a conversation by a word inside a reply', async ({ app, fake }) => {
  await chatThroughApi(
    app,
    fake,
    'Tell me about Freedonia',
    'Its capital hides the zanzibarquux bridge.',
    'Geography'
  );
  await chatThroughApi(app, fake, 'Say hello', 'Hello to you too.', 'Greetings');
  await app.reload();
  await expect(list(app).getByRole('link')).toHaveCount(2);
  // Newest first.
  await expect(list(app).getByRole('link').first()).toHaveAccessibleName('Greetings');

  const search = app.getByRole('searchbox', { name: 'Search conversations' });
  await search.pressSequentially('zanzibar', { delay: 20 });
  await expect(list(app).getByRole('link')).toHaveCount(1);
  await expect(list(app).getByRole('link', { name: 'Geography' })).toBeVisible();
  await expect(list(app)).toContainText('zanzibarquux');

  await search.fill('no-such-word-anywhere');
  await expect(list(app).getByRole('link')).toHaveCount(0);
  await expect(app.getByText('Nothing matches “no-such-word-anywhere”.')).toBeVisible();

  // Enter opens the first hit of what was typed, even before the list caught up with the last key.
  await search.fill('');
  await search.pressSequentially('freedo', { delay: 5 });
  await search.press('Enter');
  await expect(list(app).getByRole('link', { name: 'Geography' })).toHaveAttribute('aria-current', 'page');
  await expect(app.getByRole('main')).toContainText('zanzibarquux');
  // No hit: Enter changes nothing.
  await search.fill('no-such-word-anywhere');
  await expect(list(app).getByRole('link')).toHaveCount(0);
  await search.press('Enter');
  await expect(app.getByRole('main')).toContainText('zanzibarquux');

  // Esc clears the search and brings everything back.
  await search.press('Escape');
  await expect(search).toHaveValue('');
  await expect(list(app).getByRole('link')).toHaveCount(2);

  // Opening a result shows the conversation.
  await list(app).getByRole('link', { name: 'Geography' }).click();
  await expect(list(app).getByRole('link', { name: 'Geography' })).toHaveAttribute('aria-current', 'page');
  await expect(app.getByRole('main')).toContainText('zanzibarquux');
});

test('rename inline, delete with Undo', async ({ app, fake }) => {
  await chatThroughApi(app, fake, 'Plan a trip', 'Pack light.', 'Trip plan');
  await app.reload();
  await rowAction(app, 'Trip plan', 'Rename');
  const field = app.getByRole('textbox', { name: 'Conversation title' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('Trip plan');
  await field.fill('Lisbon in May');
  await field.press('Enter');
  await expect(list(app).getByRole('link', { name: 'Lisbon in May' })).toBeFocused();

  // Esc abandons a rename.
  await rowAction(app, 'Lisbon in May', 'Rename');
  await field.fill('Something else');
  await field.press('Escape');
  await expect(list(app).getByRole('link', { name: 'Lisbon in May' })).toBeVisible();

  await app.reload();
  await expect(list(app).getByRole('link', { name: 'Lisbon in May' })).toBeVisible();

  await list(app).getByRole('link', { name: 'Lisbon in May' }).click();
  await rowAction(app, 'Lisbon in May', 'Delete');
  await expect(list(app).getByRole('link')).toHaveCount(0);
  // Keyboard users are not dropped on the page: focus lands on the search (no neighbour left).
  await expect(app.getByRole('searchbox', { name: 'Search conversations' })).toBeFocused();
  // The deleted conversation is no longer shown.
  await expect(app.getByRole('main')).not.toContainText('Pack light.');
  await notifications(app).getByRole('button', { name: 'Undo' }).click();
  await expect(list(app).getByRole('link', { name: 'Lisbon in May' })).toBeVisible();
  await app.reload();
  await expect(list(app).getByRole('link', { name: 'Lisbon in May' })).toBeVisible();
});

test('export as JSON then import round-trips; Markdown and export all download', async ({ app, fake }) => {
  const originalId = await chatThroughApi(
    app,
    fake,
    'Explain tides',
    'The moon pulls the oceans: quuxtide.',
    'Tides'
  );
  await app.reload();

  const download = app.waitForEvent('download');
  await rowAction(app, 'Tides', 'Export as JSON');
  const json = await download;
  expect(json.suggestedFilename()).toMatch(/\.json$/);
  const jsonPath = test.info().outputPath('tides.json');
  await json.saveAs(jsonPath);
  expect(readFileSync(jsonPath, 'utf8')).toContain('quuxtide');

  const mdDownload = app.waitForEvent('download');
  await rowAction(app, 'Tides', 'Export as Markdown');
  const md = await mdDownload;
  expect(md.suggestedFilename()).toMatch(/\.md$/);
  const mdPath = test.info().outputPath('tides.md');
  await md.saveAs(mdPath);
  const markdown = readFileSync(mdPath, 'utf8');
  expect(markdown).toContain('# Tides');
  expect(markdown).toContain('quuxtide');

  const allDownload = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Import and export' }).click();
  await app.getByRole('menuitem', { name: 'Export all as JSON' }).click();
  expect(readFileSync((await (await allDownload).path())!, 'utf8')).toContain('quuxtide');

  // Importing the export adds a copy (ids never collide) with the same messages.
  await app.getByLabel('Import conversations from a file').setInputFiles(jsonPath);
  await expect(notifications(app).getByRole('status')).toContainText('Imported “Tides”.');
  await expect(list(app).getByRole('link', { name: 'Tides' })).toHaveCount(2);
  // The copy (not the original) is opened.
  const opened = list(app).locator('a[aria-current="page"]');
  await expect(opened).toHaveAccessibleName('Tides');
  await expect(opened).not.toHaveAttribute('href', `#c=${originalId}`);
  await expect(app.getByRole('main')).toContainText('The moon pulls the oceans: quuxtide.');
});

test('a bad import file shows the error in words and changes nothing', async ({ app, fake }) => {
  await chatThroughApi(app, fake, 'Hi', 'Hello.', 'Hello chat');
  await app.reload();
  await app.getByLabel('Import conversations from a file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"this is": not json')
  });
  await expect(notifications(app).getByRole('alert')).toContainText('That file cannot be imported.');
  await expect(list(app).getByRole('link')).toHaveCount(1);
  await app.reload();
  await expect(list(app).getByRole('link')).toHaveCount(1);
});
