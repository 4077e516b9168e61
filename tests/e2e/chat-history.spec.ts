/**
 * Conversations with more than one turn: history goes back to the server, a user message can be
 * edited and resent (a new version; the original and what followed stay one step back), and the last
 * reply can be regenerated (a new version beside the first). chat-branches.spec.ts walks them all.
 */
import type { Page } from '@playwright/test';
import type { RecordedRequest } from '../fake-ollama/types';
import { test, expect } from './fixtures';
import { newChat, composer, replyDone, sendWithEnter as send } from './chat-page';

type ChatBody = { messages: { role: string; content: string }[] };

function replies(app: Page) {
  return app.getByRole('article', { name: 'Assistant reply' });
}

function userMessages(app: Page) {
  return app.getByRole('article', { name: 'Your message' });
}

const chats = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/chat').map((r) => r.body as ChatBody);

test('the second request carries the first exchange', async ({ app, fake }) => {
  await newChat(app);
  await send(app, 'My name is Ada.');
  await expect(replies(app).last()).toContainText('You said: My name is Ada.');
  await replyDone(app);
  await send(app, 'What is my name?');
  await expect(replies(app).last()).toContainText('You said: What is my name?');
  await replyDone(app);

  const bodies = chats(fake.requests);
  expect(bodies).toHaveLength(2);
  const second = bodies[1]!.messages.filter((m) => m.role !== 'system');
  expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  expect(second[0]!.content).toBe('My name is Ada.');
  expect(second[1]!.content).toMatch(/^You said: My name is Ada\./);
  expect(second[2]!.content).toBe('What is my name?');
  await expect(userMessages(app)).toHaveCount(2);
  await expect(replies(app)).toHaveCount(2);
});

test('edit and resend shows a new version without what followed, and asks again', async ({ app, fake }) => {
  await newChat(app);
  await send(app, 'first question');
  await replyDone(app);
  await send(app, 'second question');
  await replyDone(app);

  await userMessages(app).first().getByRole('button', { name: 'Edit' }).click();
  const editor = app.getByRole('textbox', { name: 'Edit your message' });
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue('first question');
  await editor.fill('a better first question');
  await app.getByRole('button', { name: 'Save and resend' }).click();

  await expect(replies(app).last()).toContainText('You said: a better first question');
  await replyDone(app);
  await expect(userMessages(app)).toHaveCount(1);
  await expect(replies(app)).toHaveCount(1);
  await expect(userMessages(app).first()).toHaveText(/a better first question/);
  await expect(userMessages(app).first().getByRole('group', { name: 'Versions' })).toHaveText(/2 of 2/);
  const last = chats(fake.requests)
    .at(-1)!
    .messages.filter((m) => m.role !== 'system');
  expect(last).toEqual([expect.objectContaining({ role: 'user', content: 'a better first question' })]);
});

test('Up arrow in an empty composer edits the last message; Esc cancels', async ({ app }) => {
  await newChat(app);
  await send(app, 'only question');
  await replyDone(app);
  await composer(app).focus();
  await app.keyboard.press('ArrowUp');
  const editor = app.getByRole('textbox', { name: 'Edit your message' });
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue('only question');
  await app.keyboard.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(composer(app)).toBeFocused();
});

test('regenerate shows a new reply in place of the last one, the first a step back', async ({
  app,
  fake
}) => {
  fake.setScenario({ reply: 'The first answer.' });
  await newChat(app);
  await send(app, 'question');
  await expect(replies(app).last()).toContainText('The first answer.');
  await replyDone(app);

  fake.setScenario({ reply: 'A different answer.' });
  const before = chats(fake.requests).length;
  await replies(app).last().getByRole('button', { name: 'Regenerate' }).click();
  await expect(replies(app).last()).toContainText('A different answer.');
  await replyDone(app);
  await expect(replies(app)).toHaveCount(1);
  await expect(replies(app).getByText('The first answer.')).toHaveCount(0);
  await replies(app).last().getByRole('button', { name: 'Previous version' }).click();
  await expect(replies(app).last()).toContainText('The first answer.');
  await expect(replies(app)).toHaveCount(1);

  const bodies = chats(fake.requests);
  expect(bodies.length).toBe(before + 1);
  const last = bodies.at(-1)!.messages.filter((m) => m.role !== 'system');
  expect(last).toEqual([expect.objectContaining({ role: 'user', content: 'question' })]);
});
