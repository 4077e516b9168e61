/**
 * A reply is main's, not the view's: it keeps streaming while the user reads or starts another
 * conversation, and is there, live or whole, when they come back. (A peer's stream died when the user
 * switched chats: open-webui#452 in peers.md.)
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { composer, isChat, lastReply, newChat, replyDone, sendWithEnter } from './chat-page';

/** The conversation in the list that is not the one open. */
const otherConversation = (app: Page) =>
  app
    .getByRole('list', { name: 'Conversations' })
    .getByRole('link')
    .and(app.locator(':not([aria-current="page"])'));

test('a reply keeps streaming while the user is in another conversation, and is live and then whole on return', async ({
  app,
  fake
}) => {
  const words = Array.from({ length: 60 }, (_, i) => `story${i} `);
  // The server stalls after ten words, long enough for the user to be away and back whatever the
  // machine's speed; then the rest comes.
  fake.setScenario({ tokens: words, pacingMs: 20, pauseAfterChunks: { n: 10, ms: 10_000 } });
  await newChat(app);
  await sendWithEnter(app, 'Tell me a long story');
  await expect(lastReply(app)).toContainText('story9 ');
  const storyUrl = app.url();

  // Away: a new conversation, with something typed in it.
  await newChat(app);
  await expect(app).not.toHaveURL(storyUrl);
  await expect(app.getByRole('article', { name: 'Assistant reply' })).toHaveCount(0);
  await composer(app).fill('A draft for later');

  // Back while it still streams: the reply is live, and grows.
  await otherConversation(app).click();
  await expect(app).toHaveURL(storyUrl);
  await expect(lastReply(app).getByRole('status')).toContainText('Writing…');
  expect((await lastReply(app).textContent()) ?? '').not.toContain('story10 ');
  await expect(lastReply(app)).toContainText('story59 ', { timeout: 20_000 });
  await replyDone(app);

  // The server wrote the whole reply: nobody hung up on it.
  const request = await fake.waitForRequest((r) => isChat(r) && r.finished, 5_000);
  expect(request.clientHungUp).toBe(false);
  const text = (await lastReply(app).getByRole('paragraph').first().textContent()) ?? '';
  expect(text.trim()).toBe(words.join('').trim());

  // The draft in the other conversation is still there: that chat is unsent, so it is not in the
  // list, and New chat opens it again instead of another empty one.
  await expect(otherConversation(app)).toHaveCount(0);
  await newChat(app);
  await expect(app).not.toHaveURL(storyUrl);
  await expect(composer(app)).toHaveValue('A draft for later');
});

test('a reply that finishes while the user is elsewhere is whole and saved when they open it again', async ({
  app,
  fake
}) => {
  const words = Array.from({ length: 30 }, (_, i) => `part${i} `);
  fake.setScenario({ tokens: words, pacingMs: 40 });
  await newChat(app);
  await sendWithEnter(app, 'Write thirty parts');
  await expect(lastReply(app)).toContainText('part1 ');

  await newChat(app);
  const request = await fake.waitForRequest((r) => isChat(r) && r.finished, 15_000);
  expect(request.clientHungUp).toBe(false);

  // Its entry in the list is the way back.
  await expect(otherConversation(app)).toHaveCount(1);
  await otherConversation(app).click();
  await expect(lastReply(app)).toContainText('part29 ');
  await expect(lastReply(app).getByRole('status')).toHaveCount(0);
  await expect(app.getByRole('article', { name: 'Your message' })).toContainText('Write thirty parts');

  // Saved: a reload shows it the same.
  await app.reload();
  await expect(lastReply(app)).toContainText('part29 ');
});
