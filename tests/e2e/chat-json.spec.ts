/**
 * Presets and JSON mode in the composer: the preset's system prompt goes first, the JSON toggle sends
 * `format: "json"`, a JSON reply is a tree whose paths can be copied, a truncated reply shows where
 * it breaks, and a schema's violations are listed with their paths.
 */
import { test, expect } from './fixtures';
import { newChat, lastReply, isChat, sendWithEnter as send } from './chat-page';

type ChatBody = { messages: { role: string; content: string }[]; format?: unknown };
test('the JSON toggle sends format json; the reply is a tree whose paths can be copied', async ({
  app,
  fake,
  harness
}) => {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
  fake.setScenario({ reply: '{"person": {"name": "Ada", "langs": ["en", "fr"]}, "count": 2, "ok": true}' });
  await newChat(app);
  const toggle = app.getByRole('checkbox', { name: 'JSON' });
  await toggle.check();
  await expect(toggle).toBeChecked();
  await send(app, 'Describe Ada as JSON');

  const request = await fake.waitForRequest(isChat);
  expect((request.body as ChatBody).format).toBe('json');

  const tree = lastReply(app).getByRole('list', { name: 'JSON reply' });
  await expect(tree).toBeVisible();
  await expect(tree).toContainText('"count"');
  await expect(tree).toContainText('true');
  await tree.getByRole('button', { name: 'person: {2 keys}' }).click();
  await tree.getByRole('button', { name: 'langs: [2 items]' }).click();
  await expect(tree).toContainText('"fr"');

  await tree.getByRole('button', { name: 'Copy path $.person.langs[1]' }).click();
  await expect(lastReply(app).getByRole('status')).toContainText('Copied path $.person.langs[1]');
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('$.person.langs[1]');

  await lastReply(app).getByRole('button', { name: 'Raw' }).click();
  await expect(lastReply(app).getByLabel('Raw JSON reply')).toContainText('"langs": ["en", "fr"]');
});

test('the "Two sentences at a time" preset puts its system prompt first', async ({ app, fake }) => {
  await newChat(app);
  await app.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Two sentences at a time' });
  await expect(app.getByRole('combobox', { name: 'Preset' })).toHaveValue('builtin-two-sentences');
  await send(app, 'Tell me about the sea');

  const request = await fake.waitForRequest(isChat);
  const messages = (request.body as ChatBody).messages;
  expect(messages[0]).toEqual(
    expect.objectContaining({
      role: 'system',
      content: 'You are a helpful assistant yet you can only respond two sentences at a time.'
    })
  );
  expect(messages.at(-1)).toEqual(
    expect.objectContaining({ role: 'user', content: 'Tell me about the sea' })
  );
});

test('a truncated JSON reply shows the raw text, the parse error and where it is', async ({ app, fake }) => {
  fake.setScenario({ reply: '{"items": [1, 2, 3', doneReason: 'length' });
  await newChat(app);
  await app.getByRole('checkbox', { name: 'JSON' }).check();
  await expect(app.getByRole('checkbox', { name: 'JSON' })).toBeChecked();
  await send(app, 'List numbers');

  const alert = lastReply(app).getByRole('alert');
  await expect(alert).toContainText('This reply is not valid JSON.');
  await expect(alert).toContainText(/line 1, column 19/);
  await expect(alert).toContainText('cut off by the length limit');
  await expect(lastReply(app).getByLabel('Raw reply')).toHaveText('{"items": [1, 2, 3');
});

test('a schema preset sends the schema, and a reply that breaks it lists the violation', async ({
  app,
  fake
}) => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
    required: ['name', 'age']
  };
  const saved = await app.evaluate(
    (format) =>
      window.ollamaDesk.call('presets:save', { name: 'Person schema', system: 'Describe a person.', format }),
    schema
  );
  expect(saved.ok).toBe(true);
  await app.reload();

  fake.setScenario({ reply: '{"name": "Ada", "age": "old"}' });
  await newChat(app);
  await app.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Person schema' });
  await expect(app.getByRole('checkbox', { name: 'JSON' })).toBeChecked();
  await send(app, 'Ada');

  const request = await fake.waitForRequest(isChat);
  expect((request.body as ChatBody).format).toEqual(schema);
  const reply = lastReply(app);
  await expect(reply.getByRole('list', { name: 'JSON reply' })).toContainText('"old"');
  const violations = reply.getByRole('alert');
  await expect(violations).toContainText('breaks the schema in one place');
  await expect(violations).toContainText('$.age');
});

test('a reply that is only JSON can be viewed as a tree on demand', async ({ app, fake }) => {
  fake.setScenario({ reply: '```json\n{"a": [1, 2, 3]}\n```' });
  await newChat(app);
  await send(app, 'json please, but not in JSON mode');
  const reply = lastReply(app);
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await reply.getByRole('button', { name: 'View as JSON' }).click();
  await expect(
    reply.getByRole('list', { name: 'JSON reply' }).getByRole('button', { name: 'a: [3 items]' })
  ).toBeVisible();
});

test("a conversation's own system prompt replaces the preset's for this conversation only", async ({
  app,
  fake
}) => {
  await newChat(app);
  await app.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'Two sentences at a time' });
  await expect(app.getByRole('combobox', { name: 'Preset' })).toHaveValue('builtin-two-sentences');
  await app.getByRole('button', { name: /^System prompt/ }).click();
  const editor = app.getByRole('textbox', { name: 'System prompt for this conversation' });
  await expect(editor).toHaveValue(
    'You are a helpful assistant yet you can only respond two sentences at a time.'
  );
  await editor.fill('You answer like a pirate.');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByRole('button', { name: /^System prompt/ })).toContainText('own system prompt');
  await send(app, 'Hello');

  const request = await fake.waitForRequest(isChat);
  const messages = (request.body as ChatBody).messages;
  expect(messages[0]).toEqual(
    expect.objectContaining({ role: 'system', content: 'You answer like a pirate.' })
  );
  expect(messages.filter((m) => m.role === 'system')).toHaveLength(1);
});
