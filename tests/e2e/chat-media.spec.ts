/**
 * Media and model settings in the composer: thinking shown as a collapsible block with its duration,
 * the per-conversation Think switch, model options (and their reset) and images for vision models,
 * each checked in the request the fake Ollama server received.
 */
import type { Page } from '@playwright/test';
import type { RecordedRequest } from '../fake-ollama/server';
import { test, expect } from './fixtures';

const isChat = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/api/chat';

async function newChat(app: Page) {
  await app.getByRole('button', { name: 'New chat' }).first().click();
  await expect(composer(app)).toBeVisible();
}

function composer(app: Page) {
  return app.getByRole('textbox', { name: 'Message', exact: true });
}

function lastReply(app: Page) {
  return app.getByRole('article', { name: 'Assistant reply' }).last();
}

async function pickModel(app: Page, model: string) {
  const picker = app.getByRole('combobox', { name: 'Model' });
  await picker.selectOption(model);
  await expect(picker).toHaveValue(model);
}

/** Sends a message and returns the /api/chat body the fake received for it. */
async function sendAndRecord(app: Page, fake: { requests: RecordedRequest[] }, text: string) {
  const before = fake.requests.filter(isChat).length;
  await composer(app).fill(text);
  await app.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => fake.requests.filter(isChat).length).toBeGreaterThan(before);
  await expect(app.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 15_000 });
  return fake.requests.filter(isChat).at(-1)!.body as Record<string, unknown>;
}

test('thinking streams in an open block, then collapses with its duration', async ({ app, fake }) => {
  const thinking = Array.from({ length: 30 }, (_, i) => `step${i} `).join('');
  fake.setScenario({ thinking, reply: 'The answer is 4.', pacingMs: 40 });
  await newChat(app);
  await pickModel(app, 'qwen3:8b');
  await composer(app).fill('What is 2 + 2?');
  await app.getByRole('button', { name: 'Send' }).click();

  const block = lastReply(app).locator('details.thinking');
  await expect(block.locator('summary')).toHaveText('Thinking…');
  await expect(block).toHaveAttribute('open', '');
  await expect(block).toContainText('step3 ');

  await expect(lastReply(app)).toContainText('The answer is 4.', { timeout: 15_000 });
  await expect(block.locator('summary')).toHaveText(/^Thought for \d+(\.\d)? s$/);
  await expect(block).not.toHaveAttribute('open');
  // Still there on demand.
  await block.locator('summary').click();
  await expect(block).toHaveAttribute('open', '');
  await expect(block.getByText('step29')).toBeVisible();
});

test('the Think switch shows for thinking models only and sends think false, then true', async ({
  app,
  fake
}) => {
  fake.setScenario({ thinking: 'hmm', reply: 'ok' });
  await newChat(app);
  await pickModel(app, 'gemma3:4b');
  await expect(app.getByRole('checkbox', { name: 'Think' })).toHaveCount(0);

  await pickModel(app, 'qwen3:8b');
  const think = app.getByRole('checkbox', { name: 'Think' });
  await expect(think).toBeChecked();
  // Unset: the model's default, nothing sent.
  expect(await sendAndRecord(app, fake, 'first')).not.toHaveProperty('think');

  await think.uncheck();
  const off = await sendAndRecord(app, fake, 'second');
  expect(off['think']).toBe(false);
  await expect(lastReply(app).locator('details.thinking')).toHaveCount(0);

  await think.check();
  const on = await sendAndRecord(app, fake, 'third');
  expect(on['think']).toBe(true);
  await expect(lastReply(app).locator('details.thinking')).toHaveCount(1);
});

test('model options reach the request, invalid ones are refused, and reset removes them', async ({
  app,
  fake
}) => {
  fake.setScenario({ reply: 'ok' });
  await newChat(app);
  await pickModel(app, 'gemma3:4b');
  await app.getByText('Options', { exact: true }).click();

  await app.getByRole('spinbutton', { name: 'Temperature' }).fill('0.2');
  await app.getByRole('spinbutton', { name: 'Temperature' }).press('Tab');
  await app.getByRole('spinbutton', { name: 'Context length (num_ctx)' }).fill('8192');
  await app.getByRole('spinbutton', { name: 'Context length (num_ctx)' }).press('Tab');
  await app.getByRole('spinbutton', { name: 'Seed' }).fill('42');
  await app.getByRole('spinbutton', { name: 'Seed' }).press('Tab');
  await app.getByRole('textbox', { name: /Stop sequences/ }).fill('END\n###');
  await app.getByRole('textbox', { name: /Stop sequences/ }).press('Tab');
  await app.getByRole('textbox', { name: 'Keep alive' }).fill('10m');
  await app.getByRole('textbox', { name: 'Keep alive' }).press('Tab');
  // Out of range: said at the field, not sent.
  await app.getByRole('spinbutton', { name: 'Top P' }).fill('3');
  await app.getByRole('spinbutton', { name: 'Top P' }).press('Tab');
  await expect(app.getByRole('alert').filter({ hasText: 'At most 1.' })).toBeVisible();
  await expect(app.getByText('Options (5)')).toBeVisible();

  const body = await sendAndRecord(app, fake, 'with options');
  expect(body['options']).toEqual({ temperature: 0.2, num_ctx: 8192, seed: 42, stop: ['END', '###'] });
  expect(body['keep_alive']).toBe('10m');

  await app.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(app.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue('');
  await expect(app.getByText('Options', { exact: true })).toBeVisible();
  const after = await sendAndRecord(app, fake, 'defaults again');
  expect(after['options'] ?? {}).toEqual({});
  expect(after).not.toHaveProperty('keep_alive');
});
