/**
 * A long reply streamed as fast as the socket goes. The text that scrolls by while the view follows
 * the reply is kept out of layout until it comes near the view again (markdown-dom.ts): the user must
 * never find a blank stretch, neither while the reply streams nor once it is final.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { composer, lastReply, newChat, replyDone } from './chat-page';

const PARAGRAPHS = 600;
const FILLER = 'some words that make this paragraph long enough to wrap onto a few lines of the view '.repeat(
  6
);
const tokens = Array.from({ length: PARAGRAPHS }, (_, i) => `Paragraph ${i}: ${FILLER.trim()}.\n\n`);

/** The text of the paragraph at the centre of the messages area ('' when nothing is drawn there). */
function paragraphAtCentre(app: Page): Promise<string> {
  return app.getByRole('region', { name: 'Messages' }).evaluate((region) => {
    const box = region.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return hit?.closest('p')?.textContent ?? '';
  });
}

/** Whether any part of the reply is held out of layout right now (it is held in wrapping divs). */
function holdsTextBack(app: Page): Promise<boolean> {
  return lastReply(app).evaluate((reply) =>
    [...reply.querySelectorAll('div')].some((el) => getComputedStyle(el).contentVisibility === 'hidden')
  );
}

test('a fast long reply can be read wherever the user scrolls, while it streams and once it is final', async ({
  app,
  fake
}) => {
  // As fast as the socket goes, then the server stalls with the reply unfinished: the checks below run
  // while it streams, whatever the speed of the machine.
  fake.setScenario({ tokens: [...tokens, 'The end.'], pauseAfterChunks: { n: PARAGRAPHS, ms: 60_000 } });
  await newChat(app);
  await composer(app).fill('Write a very long text');
  await composer(app).press('Enter');

  const reply = lastReply(app);
  await expect(reply).toContainText(`Paragraph ${PARAGRAPHS - 1}:`, { timeout: 20_000 });
  // The case under test happens: text the view scrolled past is held out of layout.
  await expect.poll(() => holdsTextBack(app), { timeout: 10_000 }).toBe(true);

  // The user scrolls back up into what streamed by: it is drawn, not a blank stretch.
  const area = (await app.getByRole('region', { name: 'Messages' }).boundingBox())!;
  await app.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
  for (let i = 0; i < 4; i++) await app.mouse.wheel(0, -2_000);
  await expect(app.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
  await expect.poll(() => paragraphAtCentre(app), { timeout: 5_000 }).toMatch(/^Paragraph \d+: some words/);
  // Still streaming: the check above did not lean on the end of the reply.
  await expect(app.getByRole('button', { name: 'Stop' })).toBeVisible();

  await app.getByRole('button', { name: 'Stop' }).click();
  await replyDone(app);
  await expect(reply.getByText('Stopped', { exact: true })).toBeVisible();
  // Final: nothing is held back any more (all of it is laid out and in the accessibility tree).
  await expect.poll(() => holdsTextBack(app), { timeout: 20_000 }).toBe(false);
  const first = reply.getByText('Paragraph 0:', { exact: false });
  await first.scrollIntoViewIfNeeded();
  await expect(first).toBeInViewport();
  await expect.poll(() => paragraphAtCentre(app)).toMatch(/^Paragraph \d+: some words/);
});
