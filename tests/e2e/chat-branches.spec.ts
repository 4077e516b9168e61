/**
 * Branches instead of loss: Regenerate and "Save and resend" add versions (‹ 2 of 3 ›), every version
 * can be walked to, the path shown is the history the server receives, and all of it survives a
 * reload, an export and an import. Also: an empty chat is never saved, and a conversation file that
 * cannot be read is reported with its folder.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { RecordedRequest } from '../fake-ollama/types';
import { test, expect } from './fixtures';
import { isChat, newChat, replyDone, sendWithEnter as send } from './chat-page';

const replies = (app: Page) => app.getByRole('article', { name: 'Assistant reply' });
const userMessages = (app: Page) => app.getByRole('article', { name: 'Your message' });
const list = (app: Page) => app.getByRole('list', { name: 'Conversations' });
const versions = (message: Locator) => message.getByRole('group', { name: 'Versions' });

/** What the server was sent last, without the system prompt. */
function lastHistory(requests: RecordedRequest[]): string[] {
  const body = requests.filter(isChat).at(-1)?.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((m) => m.role !== 'system').map((m) => m.content);
}

async function step(message: Locator, direction: 'Previous version' | 'Next version', expected: string) {
  await message.getByRole('button', { name: direction }).click();
  await expect(versions(message)).toContainText(expected);
}

/**
 * Walks every branch the test made, from whichever is shown: the first question's three answers and
 * the edited question's one (the first answer was followed up `turnsAfterFirstAnswer` times). Ends
 * on the edited question.
 */
async function walkEveryBranch(app: Page, turnsAfterFirstAnswer: number) {
  const question = userMessages(app).first();
  // To the original question, whatever is shown now.
  if ((await versions(question).textContent())?.includes('2 of 2')) {
    await step(question, 'Previous version', '1 of 2');
  }
  await expect(question).toContainText('What is the tide?');
  const answer = replies(app).first();
  // To the oldest answer, one step at a time (each step waits for the one before).
  for (let label = await versions(answer).textContent(); !label?.includes('1 of 3');) {
    await answer.getByRole('button', { name: 'Previous version' }).click();
    const before = label;
    await expect(versions(answer)).not.toHaveText(before ?? '');
    label = await versions(answer).textContent();
  }
  for (const [label, text] of [
    ['1 of 3', 'Answer A.'],
    ['2 of 3', 'Answer B.'],
    ['3 of 3', 'Answer C.']
  ] as const) {
    if (label !== '1 of 3') await step(answer, 'Next version', label);
    await expect(answer).toContainText(text);
    // Only the first answer was followed up.
    await expect(userMessages(app)).toHaveCount(label === '1 of 3' ? 1 + turnsAfterFirstAnswer : 1);
    if (label === '1 of 3') {
      await expect(userMessages(app).nth(1)).toContainText('And the moon?');
      await expect(replies(app).nth(1)).toContainText('The moon pulls.');
    }
  }
  await expect(answer.getByRole('button', { name: 'Next version' })).toBeDisabled();
  await step(question, 'Next version', '2 of 2');
  await expect(question).toContainText('What makes tides?');
  await expect(replies(app)).toHaveCount(1);
  await expect(replies(app).first()).toContainText('Edited answer.');
  await expect(versions(replies(app).first())).toHaveCount(0);
}

test('regenerate twice and edit once: every version is kept, walked, reloaded, exported and imported', async ({
  app,
  fake
}) => {
  fake.setScenario({ reply: 'Tides chat' }); // the title
  await newChat(app);
  fake.queueScenario({ reply: 'Answer A.' });
  await send(app, 'What is the tide?');
  await replyDone(app);
  await expect(replies(app).first()).toContainText('Answer A.');
  await expect(versions(replies(app).first())).toHaveCount(0);

  for (const text of ['Answer B.', 'Answer C.']) {
    fake.queueScenario({ reply: text });
    await replies(app).last().getByRole('button', { name: 'Regenerate' }).click();
    await expect(replies(app).last()).toContainText(text);
    await replyDone(app);
    expect(lastHistory(fake.requests)).toEqual(['What is the tide?']);
  }
  await expect(replies(app)).toHaveCount(1);
  await expect(versions(replies(app).first())).toContainText('3 of 3');

  // Back to the first answer and on from there: the server gets that path as the history.
  await step(replies(app).first(), 'Previous version', '2 of 3');
  await expect(replies(app).first()).toContainText('Answer B.');
  await step(replies(app).first(), 'Previous version', '1 of 3');
  await expect(replies(app).first()).toContainText('Answer A.');
  await expect(replies(app).first().getByRole('button', { name: 'Previous version' })).toBeDisabled();
  fake.queueScenario({ reply: 'The moon pulls.' });
  await send(app, 'And the moon?');
  await replyDone(app);
  expect(lastHistory(fake.requests)).toEqual(['What is the tide?', 'Answer A.', 'And the moon?']);

  // Edit the first question: a new version of it, and the old one keeps everything that followed.
  fake.queueScenario({ reply: 'Edited answer.' });
  await userMessages(app).first().getByRole('button', { name: 'Edit' }).click();
  await app.getByRole('textbox', { name: 'Edit your message' }).fill('What makes tides?');
  await app.getByRole('button', { name: 'Save and resend' }).click();
  await expect(replies(app).last()).toContainText('Edited answer.');
  await replyDone(app);
  expect(lastHistory(fake.requests)).toEqual(['What makes tides?']);
  await expect(userMessages(app)).toHaveCount(1);
  await expect(versions(userMessages(app).first())).toContainText('2 of 2');

  await walkEveryBranch(app, 1);

  // The path shown is what the next message is sent with: the original question's first answer.
  await step(userMessages(app).first(), 'Previous version', '1 of 2');
  await expect(versions(replies(app).first())).toContainText('3 of 3'); // as the walk left it
  await step(replies(app).first(), 'Previous version', '2 of 3');
  await step(replies(app).first(), 'Previous version', '1 of 3');
  await expect(userMessages(app)).toHaveCount(2);
  await replyDone(app);
  fake.queueScenario({ reply: 'Spring tides.' });
  await send(app, 'When are they highest?');
  await replyDone(app);
  expect(lastHistory(fake.requests)).toEqual([
    'What is the tide?',
    'Answer A.',
    'And the moon?',
    'The moon pulls.',
    'When are they highest?'
  ]);

  // A reload shows the same path and every branch is still there.
  await app.reload();
  await list(app).getByRole('link', { name: 'Tides chat' }).click();
  await expect(userMessages(app)).toHaveCount(3);
  await expect(replies(app).last()).toContainText('Spring tides.');
  await walkEveryBranch(app, 2);

  // Search finds a version that is not shown.
  await app.getByRole('searchbox', { name: 'Search conversations' }).fill('Answer B');
  await expect(list(app).getByRole('link')).toHaveCount(1);
  await app.getByRole('searchbox', { name: 'Search conversations' }).fill('');

  // Export as JSON, import it: the copy has every branch too.
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Actions for Tides chat' }).click();
  await app.getByRole('menuitem', { name: 'Export as JSON' }).click();
  const path = test.info().outputPath('tides.json');
  await (await download).saveAs(path);
  await app.getByLabel('Import conversations from a file').setInputFiles(path);
  await expect(list(app).getByRole('link', { name: 'Tides chat' })).toHaveCount(2);
  await expect(list(app).locator('a[aria-current="page"]')).toHaveAccessibleName('Tides chat');
  await expect(replies(app).first()).toContainText('Edited answer.');
  await walkEveryBranch(app, 2);
});

test('an empty chat never reaches the list or the data folder; its first message saves it', async ({
  app,
  harness
}) => {
  const folder = join(harness.dataDir, 'conversations');
  const files = () => readdirSync(folder).filter((f) => f.endsWith('.json'));
  await newChat(app);
  await newChat(app);
  await expect(list(app).getByRole('link')).toHaveCount(0);
  await expect(list(app)).not.toContainText('no model');
  expect(files()).toEqual([]);
  await app.reload();
  await expect(list(app).getByRole('link')).toHaveCount(0);

  await newChat(app);
  await send(app, 'Now it counts');
  await replyDone(app);
  await expect(list(app).getByRole('link')).toHaveCount(1);
  expect(files()).toHaveLength(1);
});

test('a conversation file that cannot be read is reported once, naming the folder it is kept in', async ({
  app,
  harness
}) => {
  await newChat(app);
  await send(app, 'A good one');
  await replyDone(app);
  const folder = join(harness.dataDir, 'conversations');
  writeFileSync(join(folder, 'half-written.json'), '{"id": "half-written", "title": ');
  await harness.restart();
  await app.reload();

  const notice = app.getByRole('region', { name: 'Notifications' });
  await expect(notice).toContainText('A conversation file could not be read');
  await expect(notice).toContainText(folder);
  await expect(notice).toContainText('half-written.json.corrupt-');
  expect(readdirSync(folder).filter((f) => f.startsWith('half-written.json.corrupt-'))).toHaveLength(1);
  // The good one is still listed; and the notice is not repeated on the next load.
  await expect(list(app).getByRole('link')).toHaveCount(1);
  await app.reload();
  await expect(list(app).getByRole('link')).toHaveCount(1);
  await expect(notice).not.toContainText('could not be read');
});
