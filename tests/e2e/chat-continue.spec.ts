/**
 * A stopped reply is marked where its text ends, and Continue sends the partial answer back as the
 * assistant's turn so the model carries on; the new text grows on the same reply.
 */
import type { RecordedRequest } from '../fake-ollama/types';
import { test, expect } from './fixtures';
import { isChat, lastReply, replyDone, startLongReply } from './chat-page';

type ChatBody = { messages: { role: string; content: string }[] };

test('Stop marks the reply where the text ends; Continue sends the partial answer and the reply completes', async ({
  app,
  fake
}) => {
  await startLongReply(app, fake);
  await app.getByRole('button', { name: 'Stop' }).click();

  const stopped = lastReply(app).getByText('Stopped', { exact: true });
  await expect(stopped).toBeVisible();
  const text = lastReply(app).getByRole('paragraph').first();
  const partial = ((await text.textContent()) ?? '').trim();
  expect(partial).toMatch(/^word0 word1 word2 word3/);
  // Below the text, not at the top of the reply.
  const textBox = (await text.boundingBox())!;
  const stoppedBox = (await stopped.boundingBox())!;
  expect(stoppedBox.y).toBeGreaterThanOrEqual(textBox.y + textBox.height - 1);

  fake.setScenario({ tokens: ['and ', 'that ', 'is ', 'all.'] });
  await lastReply(app).getByRole('button', { name: 'Continue' }).click();
  await replyDone(app);

  const continued = fake.requests
    .filter(isChat)
    .map((r: RecordedRequest) => r.body as ChatBody)
    .find((b) => b.messages.at(-1)?.role === 'assistant');
  expect(continued?.messages.at(-1)?.content.trim()).toBe(partial);
  expect(continued?.messages.at(-2)).toEqual({ role: 'user', content: 'Talk for a long time' });
  await expect(app.getByRole('article', { name: 'Assistant reply' })).toHaveCount(1);
  await expect(lastReply(app)).toContainText(`${partial} and that is all.`);
  await expect(lastReply(app).getByText('Stopped', { exact: true })).toHaveCount(0);
  await expect(lastReply(app).getByRole('button', { name: 'Continue' })).toHaveCount(0);
});
