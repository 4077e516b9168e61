/**
 * The presets screen end to end: built-ins marked, create / edit / duplicate / delete / restore,
 * main's validation shown by the field, the schema editor's live parse error, a bad import file that
 * changes nothing, export → import round trip, the num_ctx reload warning, and a picked preset reaching
 * the server (system message first; a schema as `format`) in the fake's request log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { newChat, sendWithButton } from './chat-page';

const TWO_SENTENCES = 'You are a helpful assistant yet you can only respond two sentences at a time.';

function dialog(app: Page) {
  return app.getByRole('dialog', { name: 'Presets' });
}

function row(app: Page, name: string) {
  return dialog(app).getByRole('listitem', { name, exact: true });
}

function rows(app: Page) {
  return dialog(app).getByRole('list', { name: 'Presets' }).getByRole('listitem');
}

async function openPresets(app: Page) {
  await app.getByRole('button', { name: 'Presets', exact: true }).click();
  await expect(dialog(app)).toBeVisible();
  await expect(row(app, 'Helpful assistant')).toBeVisible();
}

/** Fills the editor's fields by their labels; blank values are left alone. */
async function fillEditor(scope: Locator, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    const field = scope.getByLabel(label, { exact: true });
    // The model is a menu of the server's models, not free text.
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

async function save(app: Page) {
  await dialog(app).getByRole('button', { name: 'Save', exact: true }).click();
}

interface ChatBody {
  messages: { role: string; content: string }[];
  format?: unknown;
  options?: Record<string, unknown>;
  keep_alive?: unknown;
}

test('built-ins are marked; create, edit (with main’s verdict by the field), duplicate, delete, restore', async ({
  app
}) => {
  await openPresets(app);
  const d = dialog(app);
  await expect(rows(app)).toHaveCount(3);
  for (const name of ['Helpful assistant', 'Two sentences at a time', 'Answer in JSON']) {
    await expect(row(app, name).getByText('built-in', { exact: true })).toBeVisible();
  }
  await expect(row(app, 'Answer in JSON')).toContainText('JSON');

  // Create.
  await d.getByRole('button', { name: 'New preset' }).click();
  await expect(d.getByRole('heading', { name: 'New preset' })).toBeVisible();
  await expect(d.getByLabel('Name', { exact: true })).toBeFocused();
  await fillEditor(d, {
    Name: 'Pirate',
    'System prompt': 'Talk like a pirate.\nAlways.',
    Temperature: '0.3',
    'Context length (num_ctx)': '2048'
  });
  await d.getByRole('button', { name: 'Add stop sequence' }).click();
  await expect(d.getByLabel('Stop sequence 1', { exact: true })).toBeFocused();
  await d.getByLabel('Stop sequence 1', { exact: true }).fill('\\n\\n');
  await d.getByLabel('For a duration').check();
  await d.getByLabel('Duration', { exact: true }).fill('10m');
  await save(app);
  await expect(d.getByRole('status')).toHaveText('Created “Pirate”.');
  const pirate = row(app, 'Pirate');
  await expect(pirate).toContainText('Talk like a pirate.');
  await expect(pirate).toContainText('temperature 0.3 · num_ctx 2048 · 1 stop sequence · kept loaded 10m');
  await expect(pirate.getByText('built-in', { exact: true })).toHaveCount(0);
  await expect(pirate.getByRole('button', { name: 'Edit' })).toBeFocused();

  // Edit: main refuses a temperature over 5, and says so next to the field.
  await pirate.getByRole('button', { name: 'Edit' }).click();
  await expect(d.getByRole('heading', { name: 'Edit “Pirate”' })).toBeVisible();
  await expect(d.getByLabel('Stop sequence 1', { exact: true })).toHaveValue('\\n\\n');
  await expect(d.getByLabel('Duration', { exact: true })).toHaveValue('10m');
  await fillEditor(d, { Name: 'Pirate captain', Temperature: '9' });
  await save(app);
  const temperature = d.getByLabel('Temperature', { exact: true });
  await expect(temperature).toHaveAttribute('aria-invalid', 'true');
  await expect(temperature).toHaveAccessibleDescription('At most 5.');
  await expect(temperature).toBeFocused();
  await temperature.fill('0.5');
  await expect(temperature).not.toHaveAttribute('aria-invalid', 'true');
  await save(app);
  await expect(row(app, 'Pirate captain')).toContainText('temperature 0.5');
  await expect(row(app, 'Pirate')).toHaveCount(0);

  // Duplicate.
  await row(app, 'Pirate captain').getByRole('button', { name: 'Duplicate' }).click();
  const copy = row(app, 'Pirate captain (copy)');
  await expect(copy).toContainText('temperature 0.5');
  await expect(copy.getByRole('button', { name: 'Edit' })).toBeFocused();
  await expect(rows(app)).toHaveCount(5);

  // Delete asks first; "Keep" keeps it.
  await copy.getByRole('button', { name: 'Delete' }).click();
  await copy.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Keep' }).click();
  await expect(copy).toBeVisible();
  await copy.getByRole('button', { name: 'Delete' }).click();
  await copy.getByRole('button', { name: 'Delete preset' }).click();
  await expect(copy).toHaveCount(0);
  await expect(rows(app)).toHaveCount(4);

  // Change a built-in and delete another, then restore: both come back as shipped, ours stays.
  await row(app, 'Two sentences at a time').getByRole('button', { name: 'Edit' }).click();
  await expect(d.getByText('A built-in preset.')).toBeVisible();
  await fillEditor(d, { 'System prompt': 'Changed.' });
  await save(app);
  await expect(row(app, 'Two sentences at a time')).toContainText('Changed.');
  await row(app, 'Helpful assistant').getByRole('button', { name: 'Delete' }).click();
  await row(app, 'Helpful assistant').getByRole('button', { name: 'Delete preset' }).click();
  await expect(row(app, 'Helpful assistant')).toHaveCount(0);

  await d.getByRole('button', { name: 'Restore built-ins' }).click();
  await d.getByRole('group', { name: 'Confirm restore' }).getByRole('button', { name: 'Restore' }).click();
  await expect(row(app, 'Helpful assistant')).toBeVisible();
  await expect(row(app, 'Two sentences at a time')).toContainText(TWO_SENTENCES);
  await expect(row(app, 'Pirate captain')).toBeVisible();
  await expect(rows(app)).toHaveCount(4);

  // Esc closes the screen; the pickers already know the new preset.
  await app.keyboard.press('Escape');
  await expect(dialog(app)).toBeHidden();
  await expect(app.getByRole('button', { name: 'Presets', exact: true })).toBeFocused();
  await newChat(app);
  await expect(
    app.getByLabel('Preset', { exact: true }).getByRole('option', { name: 'Pirate captain' })
  ).toHaveCount(1);
});

test('the schema editor shows a parse error with its position while typing, and that it must be an object', async ({
  app
}) => {
  await openPresets(app);
  const d = dialog(app);
  await d.getByRole('button', { name: 'New preset' }).click();
  await fillEditor(d, { Name: 'Typed reply' });
  await d.getByLabel('JSON schema', { exact: true }).check();
  const schema = d.getByRole('textbox', { name: 'JSON schema' });
  // A fresh schema starts from a valid template.
  await expect(schema).toHaveValue(/"type": "object"/);
  await expect(d.getByText('Valid JSON schema object.')).toBeVisible();

  await schema.fill('');
  const typed = '{"type": "object", "properties": {"n": {"type": "number"}';
  await schema.pressSequentially(typed);
  await expect(schema).toHaveAttribute('aria-invalid', 'true');
  // The text ends where a ',' or '}' is due: position = its length, on line 1.
  await expect(schema).toHaveAccessibleDescription(
    `Expected ',' or '}' but found end of text (line 1, column ${typed.length + 1}, position ${typed.length})`
  );
  // "Go to the error" puts the caret there.
  await d.getByRole('button', { name: 'Go to the error' }).click();
  await expect(schema).toBeFocused();
  expect(await schema.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe(typed.length);

  const more = ', "x": nope';
  await schema.pressSequentially(more);
  const at = typed.length + more.indexOf('nope');
  await expect(schema).toHaveAccessibleDescription(
    `Expected a value but found "n" (line 1, column ${at + 1}, position ${at})`
  );
  await schema.fill('["not", "an", "object"]');
  await expect(schema).toHaveAccessibleDescription('A schema must be a JSON object ({ … }), not a list.');

  // Save is refused while it is wrong, and focus goes to the schema.
  await save(app);
  await expect(d.getByRole('alert')).toContainText('Some fields need a change');
  await expect(schema).toBeFocused();

  await schema.fill('{"type":"object","properties":{"n":{"type":"number"}},"required":["n"]}');
  await expect(schema).not.toHaveAttribute('aria-invalid', 'true');
  await d.getByRole('button', { name: 'Pretty-print' }).click();
  await expect(schema).toHaveValue(/\{\n {2}"type": "object",\n/);
  await save(app);
  await expect(row(app, 'Typed reply')).toContainText('JSON schema');
});

test('importing a bad file shows why and leaves the presets as they were', async ({ app }, testInfo) => {
  await openPresets(app);
  const d = dialog(app);
  await d.getByRole('button', { name: 'Duplicate' }).first().click();
  await expect(rows(app)).toHaveCount(4);
  const before = await rows(app).allInnerTexts();
  const input = d.getByLabel('Import presets from a file');

  await input.setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ not json')
  });
  const alert = d.getByRole('alert');
  await expect(alert).toContainText('Import of bad.json failed: That file cannot be imported.');
  await expect(alert).toContainText('The file is not valid JSON');
  await expect(alert).toContainText('Your presets are unchanged.');
  expect(await rows(app).allInnerTexts()).toEqual(before);

  // One good preset and one bad one: nothing is imported, and the bad one is named.
  const mixed = testInfo.outputPath('mixed.json');
  writeFileSync(
    mixed,
    JSON.stringify([
      { name: 'Would be fine', system: 'ok' },
      { name: 'Broken', system: 'x', options: { temperature: 'hot' } }
    ])
  );
  await input.setInputFiles(mixed);
  await expect(alert).toContainText('Import of mixed.json failed');
  await expect(alert).toContainText('Preset 2 ("Broken") is not valid: options.temperature');
  await expect(row(app, 'Would be fine')).toHaveCount(0);
  expect(await rows(app).allInnerTexts()).toEqual(before);

  // The list after reopening (read from main again) is the same too.
  await app.keyboard.press('Escape');
  await openPresets(app);
  expect(await rows(app).allInnerTexts()).toEqual(before);
});

test('export one and all, then import: the preset comes back whole', async ({ app }, testInfo) => {
  await openPresets(app);
  const d = dialog(app);
  await d.getByRole('button', { name: 'New preset' }).click();
  await fillEditor(d, {
    Name: 'Round trip',
    'System prompt': 'Line one\n“quoted” — ünïcödé',
    Model: 'gemma3:4b',
    'Top P (top_p)': '0.8',
    Seed: '7',
    'Max tokens (num_predict)': '128'
  });
  await d.getByRole('button', { name: 'Add stop sequence' }).click();
  await d.getByLabel('Stop sequence 1', { exact: true }).fill('END');
  await d.getByLabel('JSON schema', { exact: true }).check();
  await d.getByLabel('Forever').check();
  await save(app);
  await expect(row(app, 'Round trip')).toBeVisible();

  const [one] = await Promise.all([
    app.waitForEvent('download'),
    row(app, 'Round trip').getByRole('button', { name: 'Export' }).click()
  ]);
  expect(one.suggestedFilename()).toBe('round-trip.preset.json');
  const oneText = readFileSync((await one.path())!, 'utf8');
  const file = JSON.parse(oneText) as { presets: Record<string, unknown>[] };
  expect(file.presets).toEqual([
    {
      name: 'Round trip',
      system: 'Line one\n“quoted” — ünïcödé',
      model: 'gemma3:4b',
      options: { top_p: 0.8, seed: 7, num_predict: 128, stop: ['END'] },
      format: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
      keepAlive: -1
    }
  ]);

  const [all] = await Promise.all([
    app.waitForEvent('download'),
    d.getByRole('button', { name: 'Export all' }).click()
  ]);
  const allFile = JSON.parse(readFileSync((await all.path())!, 'utf8')) as { presets: { name: string }[] };
  expect(allFile.presets.map((p) => p.name)).toEqual([
    'Helpful assistant',
    'Two sentences at a time',
    'Answer in JSON',
    'Round trip'
  ]);

  // Delete it, import the exported file: it is back with every field.
  await row(app, 'Round trip').getByRole('button', { name: 'Delete' }).click();
  await row(app, 'Round trip').getByRole('button', { name: 'Delete preset' }).click();
  await expect(row(app, 'Round trip')).toHaveCount(0);
  const path = join(testInfo.outputPath(), 'round-trip.preset.json');
  writeFileSync(path, oneText);
  await d.getByLabel('Import presets from a file').setInputFiles(path);
  await expect(d.getByRole('status')).toHaveText('Imported “Round trip”.');
  const back = row(app, 'Round trip');
  await expect(back).toContainText(
    'gemma3:4b · top_p 0.8 · seed 7 · num_predict 128 · 1 stop sequence · JSON schema · kept loaded forever'
  );
  await back.getByRole('button', { name: 'Edit' }).click();
  await expect(d.getByLabel('System prompt')).toHaveValue('Line one\n“quoted” — ünïcödé');
  await expect(d.getByLabel('Forever')).toBeChecked();
  await expect(d.getByRole('textbox', { name: 'JSON schema' })).toHaveValue(/"required": \[\s*"answer"\s*\]/);

  // Importing the same file again does not overwrite: the copy gets another name.
  await d.getByRole('button', { name: 'Cancel' }).click();
  await d.getByLabel('Import presets from a file').setInputFiles(path);
  await expect(row(app, 'Round trip (imported)')).toBeVisible();
  await expect(row(app, 'Round trip')).toBeVisible();
});

test('warns when num_ctx differs from the context a loaded model has', async ({ app, fake }) => {
  fake.loadModel('gemma3:4b', { contextLength: 8192, keepAliveSec: -1 });
  await openPresets(app);
  const d = dialog(app);
  await d.getByRole('button', { name: 'New preset' }).click();
  await fillEditor(d, { Name: 'Small context', Model: 'gemma3:4b', 'Context length (num_ctx)': '4096' });
  const note = d.getByRole('note', { name: 'Context length differs' });
  await expect(note).toContainText('gemma3:4b is loaded on This computer with a context length of 8192');
  await expect(note).toContainText('Ollama reloads the model when num_ctx changes');
  // The same number as loaded: no warning.
  await fillEditor(d, { 'Context length (num_ctx)': '8192' });
  await expect(note).toHaveCount(0);
  await fillEditor(d, { 'Context length (num_ctx)': '4096' });
  await save(app);
  await expect(row(app, 'Small context').getByRole('note')).toContainText(
    'num_ctx 4096 differs from gemma3:4b (loaded with 8192)'
  );
  // Another model: nothing to warn about.
  await expect(row(app, 'Helpful assistant').getByRole('note')).toHaveCount(0);
});

test('“Two sentences at a time” picked in a chat sends its system message first', async ({ app, fake }) => {
  await newChat(app);
  await app.getByLabel('Preset', { exact: true }).selectOption({ label: 'Two sentences at a time' });
  await sendWithButton(app, 'Tell me about the sea.');
  const request = await fake.waitForRequest((r) => r.method === 'POST' && r.path === '/api/chat');
  const body = request.body as ChatBody;
  expect(body.messages[0]).toEqual({ role: 'system', content: TWO_SENTENCES });
  expect(body.messages[1]).toMatchObject({ role: 'user', content: 'Tell me about the sea.' });
  expect(body.messages).toHaveLength(2);
});

test('a preset made on the screen with a schema sends the schema as format', async ({ app, fake }) => {
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' }, population: { type: 'integer' } },
    required: ['city', 'population']
  };
  await openPresets(app);
  const d = dialog(app);
  await d.getByRole('button', { name: 'New preset' }).click();
  await fillEditor(d, { Name: 'City facts', 'System prompt': 'Answer with facts.', Temperature: '0' });
  await d.getByLabel('JSON schema', { exact: true }).check();
  await d.getByRole('textbox', { name: 'JSON schema' }).fill(JSON.stringify(schema));
  await d.getByLabel('Unload after each reply').check();
  await save(app);
  await expect(row(app, 'City facts')).toBeVisible();
  await app.keyboard.press('Escape');

  await newChat(app);
  await app.getByLabel('Preset', { exact: true }).selectOption({ label: 'City facts' });
  await sendWithButton(app, 'Paris');
  const request = await fake.waitForRequest((r) => r.method === 'POST' && r.path === '/api/chat');
  const body = request.body as ChatBody;
  expect(body.format).toEqual(schema);
  expect(body.messages[0]).toEqual({ role: 'system', content: 'Answer with facts.' });
  expect(body.options).toMatchObject({ temperature: 0 });
  expect(body.keep_alive).toBe(0);
});
