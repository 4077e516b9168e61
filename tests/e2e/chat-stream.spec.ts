/**
 * Streaming replies in the conversation view: text arrives in order (even when the server's writes
 * cut characters in half), Stop and Esc abort the request at the server, and the keyboard alone
 * is enough to send and stop.
 */
import { test, expect } from './fixtures';
import {
  composer,
  lastReply,
  isChat,
  newChat,
  sendWithButton,
  sendWithEnter,
  startLongReply
} from './chat-page';

test('a streamed reply arrives in order, split mid-character, with a visible phase', async ({
  app,
  fake
}) => {
  const sentence = 'Grüße aus Köln — naïve café 😀 日本語のテキスト, ';
  const reply = sentence.repeat(30) + 'and the end.';
  // A cold load: nothing at all for a while, so the waiting phase is there to see.
  fake.setScenario({ reply, splitWritesAt: 'every-byte', firstByteDelayMs: 1500 });
  await newChat(app);

  // Record every state of the reply's text the page ever shows.
  await app.evaluate(() => {
    const w = window as unknown as { __samples: string[] };
    w.__samples = [];
    new MutationObserver(() => {
      const replies = document.querySelectorAll('[aria-label="Assistant reply"]');
      const text = replies[replies.length - 1]?.querySelector('p')?.textContent ?? '';
      if (text && w.__samples.at(-1) !== text) w.__samples.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await sendWithButton(app, 'Say something in many scripts');
  // Before the first byte: waiting, then (Ollama sends nothing while it loads) loading the model.
  await expect(lastReply(app).getByRole('status')).toContainText(/Waiting for server…|Loading model…/);
  await expect(lastReply(app).getByRole('status')).toContainText('Loading model…');
  await expect(lastReply(app).getByRole('paragraph').first()).toHaveText(reply, { timeout: 20_000 });

  const samples = await app.evaluate(() => (window as unknown as { __samples: string[] }).__samples);
  expect(samples.at(-1)).toBe(reply);
  expect(samples.length).toBeGreaterThan(1);
  for (const sample of samples) {
    expect(reply.startsWith(sample), `"${sample}" is not a prefix of the reply`).toBe(true);
    expect(sample).not.toContain('\uFFFD');
  }
  for (let i = 1; i < samples.length; i++) expect(samples[i]!.length).toBeGreaterThan(samples[i - 1]!.length);
  await expect(lastReply(app).getByRole('status')).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(composer(app)).toHaveValue('');

  // The details show who answered and how fast.
  await lastReply(app).getByText('Details').click();
  await expect(lastReply(app)).toContainText('tokens/s');
  await expect(lastReply(app)).toContainText('gemma3:4b');
});

test('Stop aborts the request at the server and keeps the partial reply, marked stopped', async ({
  app,
  fake
}) => {
  await startLongReply(app, fake);
  await expect(lastReply(app).getByRole('status')).toContainText('Writing…');
  await expect(lastReply(app).getByRole('status')).toContainText('tokens/s');
  await app.getByRole('button', { name: 'Stop' }).click();

  const hungUp = await fake.waitForHangUp(isChat, 5_000);
  expect(hungUp.finished).toBe(false);
  await expect(lastReply(app).getByText('Stopped', { exact: true })).toBeVisible();
  const partial = (await lastReply(app).getByRole('paragraph').first().textContent()) ?? '';
  expect(partial).toMatch(/^word0 word1 word2 word3/);
  expect(partial).not.toContain('word199');
  await expect(app.getByRole('button', { name: 'Send' })).toBeVisible();
});

test('keyboard only: type, Enter sends, Shift+Enter makes a new line, Esc stops', async ({ app, fake }) => {
  fake.setScenario({ tokens: Array.from({ length: 200 }, (_, i) => `tok${i} `), pacingMs: 50 });
  await newChat(app);
  const box = composer(app);
  await expect(box).toBeFocused();
  await app.keyboard.type('first line');
  await app.keyboard.press('Shift+Enter');
  await app.keyboard.type('second line');
  await expect(box).toHaveValue('first line\nsecond line');
  await app.keyboard.press('Enter');

  const request = await fake.waitForRequest(isChat);
  const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
  expect(messages.at(-1)).toEqual(
    expect.objectContaining({ role: 'user', content: 'first line\nsecond line' })
  );
  await expect(app.getByRole('article', { name: 'Your message' })).toContainText('first line');
  await expect(lastReply(app)).toContainText('tok2 ');

  await app.keyboard.press('Escape');
  await fake.waitForHangUp(isChat, 5_000);
  await expect(lastReply(app).getByText('Stopped', { exact: true })).toBeVisible();
});

test('autoscroll stops when the user scrolls up, and "Jump to latest" brings the newest text back', async ({
  app,
  fake
}) => {
  const tokens = Array.from({ length: 120 }, (_, i) => `Line ${i} of a long reply.\n\n`);
  fake.setScenario({ tokens, pacingMs: 40 });
  await newChat(app);
  await sendWithEnter(app, 'Write a lot');

  const reply = lastReply(app);
  await expect(reply).toContainText('Line 30 of a long reply.');
  // Following the reply: its newest text, and the live status under it, are on screen.
  await expect(reply.getByRole('status')).toBeInViewport();
  await expect(app.getByRole('button', { name: 'Jump to latest' })).toBeHidden();
  // The pointer over the messages (hover() would wait for the growing reply to hold still).
  const area = (await app.getByRole('region', { name: 'Messages' }).boundingBox())!;
  await app.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
  await app.mouse.wheel(0, -1500);
  const jump = app.getByRole('button', { name: 'Jump to latest' });
  await expect(jump).toBeVisible();
  // The user's position is kept while text keeps arriving below it: a line that arrives after the
  // wheel turn (wherever the stream was by then) is not brought into view.
  const newest = Math.max(
    ...[...((await reply.textContent()) ?? '').matchAll(/Line (\d+) of/g)].map((m) => Number(m[1]))
  );
  const later = `Line ${Math.min(newest + 15, 119)} of a long reply.`;
  expect(newest + 15, 'the wheel turn came before the end of the reply').toBeLessThanOrEqual(119);
  await expect(reply).toContainText(later);
  await expect(reply.getByText(later)).not.toBeInViewport();

  await jump.click();
  await expect(jump).toBeHidden();
  await expect(reply.getByText('Line 119 of a long reply.')).toBeVisible({ timeout: 20_000 });
  await expect(reply.getByText('Line 119 of a long reply.')).toBeInViewport();
});
