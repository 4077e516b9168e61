/**
 * What the user reads when a reply fails: words from error codes, the partial reply kept and marked,
 * and the action that helps (Retry, Test connection, Choose a model). Typed text is never lost.
 */
import { test, expect } from './fixtures';
import { newChat, composer, lastReply, sendWithButton as send } from './chat-page';

test('a stream that breaks keeps the partial reply, marks it, and Retry asks again', async ({
  app,
  fake
}) => {
  fake.queueScenario({
    tokens: ['Partial ', 'answer ', 'that ', 'breaks ', 'here ', 'never'],
    cutAfterChunks: 4
  });
  fake.setScenario({ reply: 'A complete answer.' });
  await newChat(app);
  await send(app, 'tell me');

  const reply = lastReply(app);
  await expect(reply.getByText('Connection lost', { exact: true })).toBeVisible();
  await expect(reply.getByRole('alert')).toContainText('Connection lost during the reply.');
  await expect(reply.getByRole('paragraph').first()).toHaveText('Partial answer that breaks');

  await reply.getByRole('button', { name: 'Retry' }).click();
  await expect(lastReply(app).getByRole('paragraph').first()).toHaveText('A complete answer.');
  await expect(lastReply(app).getByRole('alert')).toHaveCount(0);
  await expect(app.getByText('Connection lost', { exact: true })).toHaveCount(0);
  await expect(app.getByRole('article', { name: 'Assistant reply' })).toHaveCount(1);
});

test('an error line inside the stream is shown in words with what the server said', async ({ app, fake }) => {
  fake.setScenario({
    tokens: ['Half ', 'of ', 'a ', 'reply'],
    errorAfterChunks: { n: 2, message: 'an error was encountered while running the model' }
  });
  await newChat(app);
  await send(app, 'go');

  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText('The model stopped with an error.');
  await expect(alert).toContainText('an error was encountered while running the model');
  await expect(lastReply(app).getByRole('paragraph').first()).toHaveText('Half of');
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
});

test('a dead server: the words, its URL, and Test connection opens the server screen', async ({
  app,
  fake
}) => {
  await newChat(app);
  const url = fake.url;
  await fake.close();
  await send(app, 'anyone there?');

  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText(/Connection refused|cannot be reached/);
  await expect(alert).toContainText(url.replace(/^http:\/\//, ''));
  // The question itself is kept in the conversation.
  await expect(app.getByRole('article', { name: 'Your message' })).toContainText('anyone there?');
  await alert.getByRole('button', { name: 'Test connection' }).click();
  await expect(app.getByRole('dialog')).toBeVisible();
});

test('a model the server does not have: the words and a way to the model picker', async ({ app, fake }) => {
  fake.setScenario({ httpError: { status: 404, error: "model 'gemma3:4b' not found" } });
  await newChat(app);
  await send(app, 'hello?');

  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText('This model is not installed on the server.');
  await alert.getByRole('button', { name: 'Choose a model' }).click();
  await expect(app.getByRole('combobox', { name: 'Model' })).toBeFocused();
});

test('credentials refused: the words and a way to the server settings', async ({ app, fake }) => {
  await newChat(app);
  fake.requireAuth({ bearer: 'secret-token' });
  await send(app, 'let me in');

  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText('The server refused the credentials.');
  await alert.getByRole('button', { name: 'Edit server' }).click();
  await expect(app.getByRole('dialog')).toBeVisible();
});

test('no model to send to: says what to do and keeps the typed text', async ({ app, fake }) => {
  fake.setModels([]);
  await newChat(app);
  await composer(app).fill('my carefully typed question');
  await composer(app).press('Enter');

  // Send is disabled with the reason and its fix, not after a failed try.
  await expect(
    app.getByRole('main').getByRole('status').filter({ hasText: 'has no models yet' })
  ).toBeVisible();
  await expect(app.getByRole('button', { name: 'Send' })).toBeDisabled();
  await expect(composer(app)).toHaveValue('my carefully typed question');
  expect(fake.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
});
