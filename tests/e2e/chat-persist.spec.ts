/** A conversation is main's, not the page's: it survives a reload of the page and a restart of the app. */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { composer } from './chat-page';

async function openFirstConversation(app: Page) {
  const list = app.getByRole('list', { name: 'Conversations' });
  await list.getByRole('listitem').first().getByRole('link').first().click();
}

test('a conversation survives a page reload and a harness restart', async ({ app, fake, harness }) => {
  fake.setScenario({ reply: 'Remember the **blue** door.' });
  await app.getByRole('button', { name: 'New chat' }).first().click();
  await composer(app).fill('Where is the key?');
  await composer(app).press('Enter');
  const reply = () => app.getByRole('article', { name: 'Assistant reply' }).last();
  await expect(reply()).toContainText('Remember the blue door.');
  await expect(app.getByRole('button', { name: 'Send' })).toBeVisible();

  // An unsent draft in the composer is not what we test here; the exchange is.
  await app.reload();
  await openFirstConversation(app);
  await expect(app.getByRole('article', { name: 'Your message' })).toHaveText(/Where is the key\?/);
  await expect(reply()).toContainText('Remember the blue door.');
  await expect(reply().getByText('blue', { exact: true })).toBeVisible();

  await harness.restart();
  await app.reload();
  await openFirstConversation(app);
  await expect(app.getByRole('article', { name: 'Your message' })).toHaveText(/Where is the key\?/);
  await expect(reply()).toContainText('Remember the blue door.');

  // And it goes on from where it was: the next request carries the history.
  await composer(app).fill('And the lock?');
  await composer(app).press('Enter');
  await expect(app.getByRole('article', { name: 'Assistant reply' })).toHaveCount(2);
  const request = await fake.waitForRequest(
    (r) => r.path === '/api/chat' && JSON.stringify(r.body).includes('And the lock?')
  );
  const roles = (request.body as { messages: { role: string }[] }).messages.map((m) => m.role);
  expect(roles.filter((r) => r !== 'system')).toEqual(['user', 'assistant', 'user']);
});
