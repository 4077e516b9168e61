/**
 * The Models screen against the fake server: the installed models with their facts and details on
 * demand, pulls with one overall bar that moves and completes (several at once), Cancel that hangs up
 * on the server, an unknown name in words, and delete after a confirmation naming model and server.
 */
import type { Locator, Page } from '@playwright/test';
import type { RecordedRequest } from '../fake-ollama/server';
import { test, expect } from './fixtures';

const SERVER = 'This computer';

function screen(app: Page) {
  return app.getByRole('dialog', { name: 'Models' });
}

async function openModels(app: Page) {
  await app.getByRole('button', { name: 'Models', exact: true }).click();
  await expect(screen(app)).toBeVisible();
  await expect(screen(app).getByRole('list', { name: `Installed models on ${SERVER}` })).toBeVisible();
  return screen(app);
}

const installed = (dialog: Locator) =>
  dialog.getByRole('list', { name: `Installed models on ${SERVER}` }).getByRole('listitem');

async function pull(dialog: Locator, name: string) {
  const input = dialog.getByRole('textbox', { name: 'Model to pull' });
  await input.fill(name);
  await input.press('Enter');
}

/**
 * Records in the page every aria-valuenow each progress bar shows (by its name), and every speed line
 * of a pull, so fast steps are not missed between two looks from the test.
 */
async function recordProgress(app: Page) {
  await app.evaluate(() => {
    const w = window as unknown as {
      __bars: Record<string, number[]>;
      __speeds: string[];
      __cancels: number;
    };
    w.__bars = {};
    w.__speeds = [];
    w.__cancels = 0;
    const record = () => {
      // The most pulls that could be cancelled at the same moment.
      const cancels = document.querySelectorAll('button[aria-label^="Cancel pull of"]').length;
      w.__cancels = Math.max(w.__cancels, cancels);
      for (const bar of document.querySelectorAll('[role="progressbar"]')) {
        const list = (w.__bars[bar.getAttribute('aria-label') ?? ''] ??= []);
        const value = Number(bar.getAttribute('aria-valuenow'));
        if (list.at(-1) !== value) list.push(value);
      }
      for (const line of document.querySelectorAll('[aria-label^="Pull of"] .amount')) {
        const text = line.textContent ?? '';
        if (w.__speeds.at(-1) !== text) w.__speeds.push(text);
      }
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-valuenow']
    });
  });
  return () =>
    app.evaluate(() => {
      const w = window as unknown as {
        __bars: Record<string, number[]>;
        __speeds: string[];
        __cancels: number;
      };
      return { bars: w.__bars, speeds: w.__speeds, cancels: w.__cancels };
    });
}

const isPullOf = (model: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path === '/api/pull' && (r.body as { model?: string }).model === model;

test('lists the installed models with their facts, loaded state and details on demand', async ({
  app,
  fake,
  harness
}) => {
  fake.loadModel('gemma3:4b');
  // Polls /api/ps now instead of at the monitor's calm pace.
  await harness.clickTray('refresh');
  const dialog = await openModels(app);
  await expect(dialog.getByRole('combobox', { name: 'Server' })).toHaveValue(/.+/);
  await expect(dialog.getByRole('combobox', { name: 'Server' }).locator('option:checked')).toHaveText(SERVER);
  await expect(installed(dialog)).toHaveCount(4);
  await expect(dialog.getByRole('heading', { name: `Installed on ${SERVER} (4)` })).toBeVisible();

  const gemma = dialog.getByRole('listitem', { name: 'gemma3:4b', exact: true });
  for (const fact of ['3.3 GB', 'gemma3', '4.3B parameters', 'Q4_K_M', 'vision']) {
    await expect(gemma).toContainText(fact);
  }
  await expect(gemma).toContainText(/modified (Jun \d+|\d+ days ago)/);
  const qwen = dialog.getByRole('listitem', { name: 'qwen3:8b', exact: true });
  await expect(qwen).toContainText('tools');
  await expect(qwen).toContainText('thinking');
  await expect(qwen).not.toContainText('completion');
  await expect(dialog.getByRole('listitem', { name: 'nomic-embed-text:latest', exact: true })).toContainText(
    'embedding'
  );

  // The monitor's snapshot marks the loaded one with its memory.
  const again = dialog;
  await expect(again.getByRole('listitem', { name: 'gemma3:4b', exact: true })).toContainText(
    'loaded · 3.3 GB · 100% GPU'
  );
  await expect(again.getByRole('listitem', { name: 'qwen3:8b', exact: true })).not.toContainText('loaded');

  // Details: the keyboard opens them, /api/show fills them in.
  const details = again.getByRole('button', { name: 'Details of gemma3:4b' });
  await expect(details).toHaveAttribute('aria-expanded', 'false');
  await details.focus();
  await app.keyboard.press('Enter');
  await expect(details).toHaveAttribute('aria-expanded', 'true');
  const region = again.getByRole('region', { name: 'Details of gemma3:4b' });
  await expect(region).toContainText('131,072 tokens');
  await expect(region).toContainText('temperature');
  await expect(region).toContainText('<|assistant|>');
  await expect(region).toContainText('Fake license for fake-ollama test models');
  await expect(region).toContainText('System prompt');
  await fake.waitForRequest(
    (r) => r.path === '/api/show' && (r.body as { model?: string }).model === 'gemma3:4b'
  );
  await app.keyboard.press('Space');
  await expect(details).toHaveAttribute('aria-expanded', 'false');
  await expect(region).toHaveCount(0);
});

test('a pull shows one overall bar with speed and time left, folds away when done, and a delete clears it', async ({
  app,
  fake
}) => {
  fake.options.pullChunkMs = 150;
  // A conversation is open behind the dialog: its model picker has read the list already.
  await app.getByRole('button', { name: 'New chat' }).first().click();
  const picker = app.getByRole('combobox', { name: 'Model' });
  await expect(picker.locator('option', { hasText: 'gemma3:4b' })).toHaveCount(1);
  const dialog = await openModels(app);
  const progress = await recordProgress(app);
  await pull(dialog, 'tinyllama');
  await pull(dialog, 'smollm2:135m');
  await fake.waitForRequest(isPullOf('tinyllama'));
  await fake.waitForRequest(isPullOf('smollm2:135m'));

  const card = dialog.getByRole('listitem', { name: 'Pull of tinyllama' });
  const other = dialog.getByRole('listitem', { name: 'Pull of smollm2:135m' });
  await expect(card).toBeVisible();
  await expect(other).toBeVisible();
  // One bar per pull, whatever the number of layers.
  const bar = card.getByRole('progressbar');
  await expect(bar).toHaveCount(1);
  await expect(bar).toHaveAccessibleName('Progress of tinyllama');
  // The layers are there for who asks.
  const layers = card.getByRole('list', { name: 'Layers of tinyllama' });
  await expect(layers).toBeHidden();
  await card.getByText(/^\d layers?$/).click();
  await expect(layers.getByRole('listitem').first()).toContainText(/^[0-9a-f]{12}/);

  await expect(card.getByRole('status')).toHaveText('Pulled tinyllama.', { timeout: 15_000 });
  await expect(other.getByRole('status')).toHaveText('Pulled smollm2:135m.', { timeout: 15_000 });
  const { bars, speeds, cancels } = await progress();
  // Two pulls ran at once, each with its own Cancel and its own bar.
  expect(cancels).toBe(2);
  expect(Object.keys(bars).sort()).toEqual(['Progress of smollm2:135m', 'Progress of tinyllama']);
  // Each bar only moved forward, in several steps, to 99 (every byte in, 100 is success, and then the
  // card folds: the bar goes).
  for (const [name, values] of Object.entries(bars)) {
    expect(values.length, `${name}: ${values.join(',')}`).toBeGreaterThan(3);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(values.at(-1)).toBe(99);
  }
  // While bytes moved, the share, the amount, the speed and the time left of the whole pull were shown.
  expect(
    speeds.some((line) =>
      /^\d+% · [\d.]+ [KM]B of [\d.]+ MB · [\d.]+ [KM]B\/s · about \d+ s left$/.test(line)
    ),
    speeds.join(' | ')
  ).toBe(true);

  // Done, the card folds to one line: no bar, no steps.
  await expect(card.getByRole('progressbar')).toHaveCount(0);
  await expect(card.getByRole('list', { name: 'Steps of tinyllama' })).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Dismiss pull of tinyllama' })).toBeVisible();

  // The list re-reads itself on success.
  await expect(dialog.getByRole('listitem', { name: 'tinyllama:latest', exact: true })).toBeVisible();
  await expect(dialog.getByRole('listitem', { name: 'smollm2:135m', exact: true })).toBeVisible();
  await expect(installed(dialog)).toHaveCount(6);

  await card.getByRole('button', { name: 'Dismiss pull of tinyllama' }).click();
  await expect(card).toHaveCount(0);

  // Deleting the pulled model takes its "Pulled" line with it.
  await dialog.getByRole('button', { name: 'Delete smollm2:135m' }).click();
  await app
    .getByRole('dialog', { name: `Delete smollm2:135m from ${SERVER}?` })
    .getByRole('button', { name: 'Delete smollm2:135m' })
    .click();
  await expect(dialog.getByRole('listitem', { name: 'smollm2:135m', exact: true })).toHaveCount(0);
  await expect(other).toHaveCount(0);

  // The open conversation's picker offers it at once (it heard of the pull), and so does a new chat's.
  await dialog.press('Escape');
  await expect(picker.locator('option', { hasText: 'tinyllama:latest' })).toHaveCount(1, { timeout: 3_000 });
  await app.getByRole('button', { name: 'New chat' }).first().click();
  await expect(picker.locator('option', { hasText: 'tinyllama:latest' })).toHaveCount(1);
});

test('Cancel stops the transfer: the server sees the hang-up and nothing is installed', async ({
  app,
  fake
}) => {
  fake.options.pullChunkMs = 400;
  const dialog = await openModels(app);
  await pull(dialog, 'phi3:mini');
  const card = dialog.getByRole('listitem', { name: 'Pull of phi3:mini' });
  const bar = card.getByRole('progressbar');
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 })
    .toBeGreaterThan(0);

  await card.getByRole('button', { name: 'Cancel pull of phi3:mini' }).click();
  const hungUp = await fake.waitForHangUp(isPullOf('phi3:mini'));
  expect(hungUp.finished).toBe(false);
  // Cancelled, the card folds to one line that says so.
  await expect(card.getByRole('status')).toHaveText('Cancelled.');
  await expect(bar).toHaveCount(0);
  await expect(card.getByRole('button', { name: /Cancel pull/ })).toHaveCount(0);

  await dialog.getByRole('button', { name: 'Refresh installed models' }).click();
  await expect(dialog.getByRole('heading', { name: `Installed on ${SERVER} (4)` })).toBeVisible();
  await expect(dialog.getByRole('listitem', { name: /^phi3/ })).toHaveCount(0);
  // Still cancelled later: no more progress arrives.
  await new Promise((resolve) => setTimeout(resolve, 600));
  await expect(card.getByRole('status')).toHaveText('Cancelled.');
  await expect(bar).toHaveCount(0);
});

test('an unknown model name fails with clear words; an invalid one too', async ({ app, fake }) => {
  const dialog = await openModels(app);
  await pull(dialog, 'no-such-model:7b');
  const card = dialog.getByRole('listitem', { name: 'Pull of no-such-model:7b' });
  await expect(card.getByRole('status')).toContainText(
    'No model called “no-such-model:7b” was found in the registry.'
  );
  await expect(card).toContainText('The server said: pull model manifest: file does not exist');
  await expect(card.getByRole('progressbar')).toHaveCount(0);
  await expect(installed(dialog)).toHaveCount(4);

  await pull(dialog, 'bad name!');
  const bad = dialog.getByRole('listitem', { name: 'Pull of bad name!' });
  await expect(bad.getByRole('status')).toContainText('The server returned an error.');
  await expect(bad).toContainText('invalid model name');
  expect(fake.requests.filter((r) => r.path === '/api/pull')).toHaveLength(2);
});

test('delete asks first, naming the model and the server, and then deletes it', async ({ app, fake }) => {
  const dialog = await openModels(app);
  const isDelete = (r: RecordedRequest) => r.method === 'DELETE' && r.path === '/api/delete';

  await dialog.getByRole('button', { name: 'Delete llama3.2:latest' }).click();
  const confirm = app.getByRole('dialog', { name: `Delete llama3.2:latest from ${SERVER}?` });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(fake.url.replace(/\/$/, ''));
  // The safe choice has the focus; Esc keeps the model.
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(screen(app)).toBeVisible();
  expect(fake.requests.some(isDelete)).toBe(false);

  await dialog.getByRole('button', { name: 'Delete llama3.2:latest' }).click();
  await confirm.getByRole('button', { name: 'Delete llama3.2:latest' }).click();
  const request = await fake.waitForRequest(isDelete);
  expect(request.body).toEqual({ model: 'llama3.2:latest' });
  await expect(confirm).toHaveCount(0);
  await expect(dialog.getByRole('status').filter({ hasText: 'Deleted' })).toHaveText(
    `Deleted llama3.2:latest from ${SERVER}.`
  );
  await expect(dialog.getByRole('listitem', { name: 'llama3.2:latest', exact: true })).toHaveCount(0);
  await expect(installed(dialog)).toHaveCount(3);
  await expect(dialog.getByRole('heading', { name: `Installed on ${SERVER} (3)` })).toBeFocused();

  // A failure stays in the dialog, in words: the model is already gone on the server.
  fake.setModels([]);
  await dialog.getByRole('button', { name: 'Delete qwen3:8b' }).click();
  const second = app.getByRole('dialog', { name: `Delete qwen3:8b from ${SERVER}?` });
  await second.getByRole('button', { name: 'Delete qwen3:8b' }).click();
  await expect(second.getByRole('alert')).toContainText(
    'Could not delete qwen3:8b: This model is not installed on the server.'
  );
  await second.getByRole('button', { name: 'Cancel' }).click();
  await expect(second).toHaveCount(0);
});
