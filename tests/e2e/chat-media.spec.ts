/**
 * Media and model settings in the composer: thinking shown as a collapsible block with its duration,
 * the per-conversation Think switch, model options (and their reset) and images for vision models,
 * each checked in the request the fake Ollama server received.
 */
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import type { RecordedRequest } from '../fake-ollama/server';
import { test, expect } from './fixtures';
import { newChat, composer, lastReply, isChat } from './chat-page';

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

async function png(color: string, size = 16): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: color } })
    .png()
    .toBuffer();
}

test('an image attached for a vision model reaches the server as bare base64 and stays in the history', async ({
  app,
  fake
}) => {
  fake.setScenario({ reply: 'A red square.' });
  await newChat(app);
  await pickModel(app, 'llama3.2:latest');
  const attach = app.getByRole('button', { name: 'Attach image' });
  await expect(attach).toBeDisabled();
  await expect(attach).toHaveAccessibleDescription('llama3.2:latest cannot see images');

  await pickModel(app, 'gemma3:4b');
  await expect(attach).toBeEnabled();
  const files = app.getByLabel('Image files');
  await files.setInputFiles([
    { name: 'red.png', mimeType: 'image/png', buffer: await png('#ff0000') },
    { name: 'blue.png', mimeType: 'image/png', buffer: await png('#0000ff') }
  ]);
  const box = app.getByRole('group', { name: 'Composer' });
  await expect(box.getByRole('img')).toHaveCount(2);
  await box.getByRole('button', { name: 'Remove blue.png' }).click();
  await expect(box.getByRole('img', { name: 'red.png' })).toBeVisible();
  await expect(box.getByRole('img')).toHaveCount(1);

  const body = await sendAndRecord(app, fake, 'What is this?');
  const messages = body['messages'] as { role: string; images?: string[] }[];
  const user = messages.filter((m) => m.role === 'user').at(-1)!;
  expect(user.images).toHaveLength(1);
  const image = user.images![0]!;
  expect(image.startsWith('data:')).toBe(false);
  const meta = await sharp(Buffer.from(image, 'base64')).metadata();
  expect(['png', 'jpeg']).toContain(meta.format);
  // Sent: the composer is empty again, the message shows its image.
  await expect(box.getByRole('img')).toHaveCount(0);
  const mine = app.getByRole('article', { name: 'Your message' }).last();
  const thumb = mine.getByRole('img');
  await expect(thumb).toHaveCount(1);
  expect(await thumb.getAttribute('src')).toMatch(/^data:image\/(png|jpeg);base64,/);
  await expect(lastReply(app)).toContainText('A red square.');

  // The thumbnail opens larger, by keyboard too, and Esc closes it.
  const open = mine.getByRole('button', { name: /^Open .+ larger$/ });
  const [src, small] = [await thumb.getAttribute('src'), await thumb.boundingBox()];
  await open.focus();
  await app.keyboard.press('Enter');
  const viewer = app.getByRole('dialog');
  await expect(viewer).toBeVisible();
  const large = viewer.getByRole('img');
  expect(await large.getAttribute('src')).toBe(src);
  const big = await large.boundingBox();
  expect(big!.width).toBeGreaterThan(small!.width * 2);
  await app.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
});

test('images can be dropped or pasted into the composer, within the limits', async ({ app, fake }) => {
  fake.setScenario({ reply: 'ok' });
  await newChat(app);
  await pickModel(app, 'gemma3:4b');
  const box = app.getByRole('group', { name: 'Composer' });
  const base64 = (await png('#00ff00')).toString('base64');

  // Drop: a DataTransfer with a file, built in the page.
  await box.evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, base64);
  await expect(box.getByRole('img', { name: 'dropped.png' })).toBeVisible();

  // Paste into the message box.
  await composer(app).evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
    el.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
    );
  }, base64);
  await expect(box.getByRole('img', { name: 'pasted.png' })).toBeVisible();

  // Over 16: the extra ones are refused, and the composer says why.
  const many = await Promise.all(
    Array.from({ length: 15 }, async (_, i) => ({
      name: `n${i}.png`,
      mimeType: 'image/png',
      buffer: await png('#123456', 4)
    }))
  );
  await app.getByLabel('Image files').setInputFiles(many);
  await expect(box.getByRole('alert')).toHaveText(/At most 16 images per message/);
  await expect(box.getByRole('img')).toHaveCount(16);

  const body = await sendAndRecord(app, fake, 'many');
  const user = (body['messages'] as { role: string; images?: string[] }[]).at(-1)!;
  expect(user.images).toHaveLength(16);
  expect(user.images!.every((i) => !i.startsWith('data:'))).toBe(true);
});
