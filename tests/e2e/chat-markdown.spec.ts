/**
 * A reply's markdown as the user sees it: a table is a table (header cells, rows), a list is a list,
 * code is a code block with its copy button, and in a narrow window a wide table scrolls sideways
 * instead of cutting its words into pieces.
 */
import type { Locator } from '@playwright/test';
import { test, expect } from './fixtures';
import { lastReply, newChat, replyDone, sendWithEnter } from './chat-page';

const REPLY = [
  'The models on this server:',
  '',
  '| model | size | quantization | context | family | parameters |',
  '| --- | ---: | --- | ---: | --- | --- |',
  '| gemma3:4b | 3.3 GB | Q4_K_M | 131072 | gemma3 | 4.3B |',
  '| qwen3:8b | 5.2 GB | Q4_K_M | 40960 | qwen3 | 8.2B |',
  '',
  '- the first one is loaded',
  '- the second one is not',
  '',
  '```python',
  'def largest(models):',
  '    return max(models, key=lambda m: m["size"])',
  '```'
].join('\n');

/** How many lines a cell's text takes. */
function lineCount(cell: Locator): Promise<number> {
  return cell.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    // One rect per line box the text is on (rects on the same line share their top).
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
}

test('a table, a list and a code block; in a narrow window the table scrolls and keeps its words whole', async ({
  app,
  fake
}) => {
  await app.setViewportSize({ width: 720, height: 480 });
  fake.setScenario({ reply: REPLY });
  await newChat(app);
  await sendWithEnter(app, 'Which models are there?');
  await replyDone(app);

  const reply = lastReply(app);
  const table = reply.getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText([
    'model',
    'size',
    'quantization',
    'context',
    'family',
    'parameters'
  ]);
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('cell', { name: '131072' })).toBeVisible();
  await expect(reply.getByRole('listitem')).toHaveText(['the first one is loaded', 'the second one is not']);
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(reply.getByRole('code').last()).toContainText('def largest(models):');

  for (const name of ['quantization', 'parameters']) {
    expect(await lineCount(table.getByRole('columnheader', { name })), `"${name}" on one line`).toBe(1);
  }
  expect(await lineCount(table.getByRole('cell', { name: '131072' }))).toBe(1);
  // Wider than the reply: it scrolls sideways, in its own box.
  expect(await table.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  // Scrolled to its end, its last column is inside the table's box.
  const last = table.getByRole('columnheader', { name: 'parameters' });
  const inside = async () => {
    const [box, cell] = [await table.boundingBox(), await last.boundingBox()];
    return cell!.x >= box!.x && cell!.x + cell!.width <= box!.x + box!.width + 1;
  };
  expect(await inside()).toBe(false);
  await table.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  expect(await inside()).toBe(true);
});
