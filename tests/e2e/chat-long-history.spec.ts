/**
 * A long conversation: opening it shows the newest messages, scrolling up reaches the first one
 * while only a window of the messages is in the page, and "Jump to latest" brings the newest back.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** Four times the window: the walk up and down must drop and re-add messages. */
const COUNT = 240;
const MAX_MOUNTED = 60;
/** Key presses are retried quickly: the window grows by a batch of messages after each one. */
const PRESSING = { intervals: [100], timeout: 90_000 };

/** An export file (the format conversations:import reads) with one conversation of COUNT messages. */
function longExport(profileId: string): string {
  const start = Date.UTC(2025, 0, 1);
  const messages = Array.from({ length: COUNT }, (_, i) => {
    const user = i % 2 === 0;
    const body = user
      ? `Question number ${i / 2 + 1}?`
      : `Answer number ${(i + 1) / 2}.\n\n- one point\n- another point\n\nA closing paragraph for answer ${(i + 1) / 2}.`;
    return {
      id: `m${i}`,
      role: user ? 'user' : 'assistant',
      content: i === 0 ? `FirstOfAll ${body}` : i === COUNT - 1 ? `${body} LastOfAll` : body,
      createdAt: start + i * 30_000,
      ...(user ? {} : { status: 'done', profileId, model: 'gemma3:4b' })
    };
  });
  const conversation = {
    id: 'long-history',
    title: 'Long history',
    createdAt: start,
    updatedAt: start + COUNT * 30_000,
    profileId,
    model: 'gemma3:4b',
    jsonMode: false,
    messages
  };
  return JSON.stringify({
    app: 'ollama-desk',
    kind: 'conversations',
    version: 1,
    conversations: [conversation]
  });
}

const articles = (app: Page) => app.getByRole('region', { name: 'Messages' }).getByRole('article');

test('a long conversation scrolls to its first message with only a window of it in the page', async ({
  app
}) => {
  // Two walks through the whole history, a batch of messages per key press.
  test.setTimeout(150_000);
  const activeId = await app.evaluate(async () => {
    const profiles = await window.ollamaDesk.call('profiles:list', {});
    return profiles.ok ? profiles.value.activeId : null;
  });
  expect(activeId).toBeTruthy();
  const imported = await app.evaluate(async (text) => {
    const result = await window.ollamaDesk.call('conversations:import', { text });
    return result.ok ? 'ok' : result.error.message;
  }, longExport(activeId!));
  expect(imported).toBe('ok');

  await app.reload();
  await app.getByRole('link', { name: 'Long history', exact: true }).click();
  const messages = app.getByRole('region', { name: 'Messages' });
  await expect(articles(app).last()).toContainText('LastOfAll');
  await expect(articles(app).last()).toBeInViewport();
  expect(await articles(app).count()).toBeLessThan(40);

  // Scroll up with the keyboard until the first message is there.
  await messages.focus();
  // Each press reaches the top of the window, and the window then grows by a batch.
  await expect(async () => {
    await app.keyboard.press('Home');
    await expect(articles(app).first()).toContainText('FirstOfAll', { timeout: 200 });
    await expect(articles(app).first()).toBeInViewport({ timeout: 200 });
  }).toPass(PRESSING);
  // Never the whole conversation in the page at once.
  expect(await articles(app).count()).toBeLessThanOrEqual(MAX_MOUNTED + 20);
  await expect(articles(app).last()).not.toContainText('LastOfAll');
  await expect(messages.getByText(/\d+ later messages/)).toBeAttached();

  await app.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(articles(app).last()).toContainText('LastOfAll');
  await expect(articles(app).last()).toBeInViewport();
  await expect(app.getByRole('button', { name: 'Jump to latest' })).toHaveCount(0);

  // And back down by scrolling: the window follows, ending at the newest message again.
  await messages.focus();
  await expect(async () => {
    await app.keyboard.press('Home');
    await expect(articles(app).first()).toContainText('FirstOfAll', { timeout: 200 });
  }).toPass(PRESSING);
  await expect(async () => {
    await app.keyboard.press('End');
    await expect(articles(app).last()).toContainText('LastOfAll', { timeout: 200 });
  }).toPass(PRESSING);
  expect(await articles(app).count()).toBeLessThanOrEqual(MAX_MOUNTED + 20);
});
