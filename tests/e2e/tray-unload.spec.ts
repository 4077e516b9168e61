/**
 * Unloading from the tray, end to end: a model loaded on the fake server shows in the tray-menu model
 * (the harness's GET /__tray) with the tray's label rules, a click on its item (POST /__tray/click)
 * sends keep_alive 0 for that model, the item reads "unloading…" until /api/ps drops it, then "No
 * models loaded". The window's Loaded models panel follows the same snapshots at the same time, and
 * its own Unload buttons and failures work the same way.
 */
import type { Page } from '@playwright/test';
import type { FakeModel, RecordedRequest } from '../fake-ollama/server';
import { test, expect, trayWhen, type TrayItemJson, type TrayModel } from './fixtures';

const SERVER = 'This computer';

const CPU_MODEL: FakeModel = {
  name: 'cpu-only:1b',
  family: 'llama',
  parameterSize: '1B',
  quantization: 'Q4_K_M',
  sizeBytes: 1_300_000_000,
  vramBytes: 0,
  capabilities: ['completion'],
  contextLength: 8192
};
const SPLIT_MODEL: FakeModel = {
  name: 'split:70b',
  family: 'llama',
  parameterSize: '70B',
  quantization: 'Q4_K_M',
  sizeBytes: 42_000_000_000,
  vramBytes: 31_920_000_000,
  capabilities: ['completion'],
  contextLength: 8192
};

const isUnloadOf = (model: string) => (r: RecordedRequest) => {
  const body = r.body as { model?: unknown; keep_alive?: unknown; messages?: unknown } | null;
  return (
    r.method === 'POST' &&
    r.path === '/api/chat' &&
    body?.model === model &&
    body.keep_alive === 0 &&
    Array.isArray(body.messages) &&
    body.messages.length === 0
  );
};

/** Every item of the tray model, submenus flattened. */
function items(model: TrayModel): TrayItemJson[] {
  return model.items.flatMap((item) => [item, ...(item.submenu ?? [])]);
}

const modelItem = (model: TrayModel, name: string) =>
  items(model).find((item) => item.id.startsWith('unload:') && item.id.endsWith(`:${name}`));

function panel(app: Page) {
  return app.getByRole('dialog', { name: 'Loaded models' });
}

async function openPanel(app: Page) {
  await app.getByRole('button', { name: 'Loaded models', exact: true }).click();
  await expect(panel(app)).toBeVisible();
  return panel(app);
}

test.beforeEach(({ fake }) => {
  // Long enough that "unloading…" is seen before /api/ps drops the model.
  fake.options.unloadGraceMs = 1_500;
});

test('a model loaded by a chat shows in the tray; its click unloads it and the panel follows', async ({
  app,
  fake,
  harness
}) => {
  // Nothing loaded yet: the tray says so once the first poll answered.
  await trayWhen(harness, (m) => items(m).some((i) => i.label === 'No models loaded'));

  await app.getByRole('button', { name: 'New chat' }).first().click();
  const composer = app.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill('Hello there');
  await composer.press('Enter');
  await expect(app.getByRole('article', { name: 'Assistant reply' }).last()).toContainText('You said');

  // The chat's end starts a burst of polls: the model appears without anyone refreshing.
  const loaded = await trayWhen(harness, (m) => modelItem(m, 'gemma3:4b') !== undefined);
  const item = modelItem(loaded, 'gemma3:4b')!;
  expect(item.label).toMatch(/^Unload gemma3:4b · 3\.3 GB · [45] min left$/);
  expect(item.enabled).toBe(true);
  expect(items(loaded).find((i) => i.kind === 'header')?.label).toBe(`${SERVER} — reachable`);
  expect(loaded.tooltip).toBe(`${SERVER}: 1 model · 3.3 GB VRAM`);
  // One model: no "Unload all".
  expect(items(loaded).some((i) => i.label.startsWith('Unload all'))).toBe(false);

  const dialog = await openPanel(app);
  const row = dialog.getByRole('listitem', { name: 'gemma3:4b' });
  await expect(row).toContainText('3.3 GB · 100% GPU');
  await expect(row).toContainText('4K context');
  await expect(row).toContainText(/unloads in [45]:\d\d/);
  // The countdown is live: it moves without any new snapshot.
  const before = await row.locator('.expiry').textContent();
  await expect(row.locator('.expiry')).not.toHaveText(before!, { timeout: 3_000 });
  await expect(dialog.getByText(`1 model · 3.3 GB VRAM in use on ${SERVER}`)).toBeVisible();

  const sentBefore = fake.requests.filter(isUnloadOf('gemma3:4b')).length;
  const click = harness.clickTray(item.id);
  await fake.waitForRequest(isUnloadOf('gemma3:4b'));

  const unloading = await trayWhen(
    harness,
    (m) => modelItem(m, 'gemma3:4b')?.label.startsWith('Unloading') ?? false
  );
  expect(modelItem(unloading, 'gemma3:4b')).toMatchObject({
    label: 'Unloading gemma3:4b…',
    enabled: false
  });
  await expect(row).toContainText('unloading…');
  await expect(row.getByRole('button', { name: `Unloading gemma3:4b on ${SERVER}` })).toHaveAttribute(
    'aria-disabled',
    'true'
  );

  // A second click while it goes sends nothing more.
  await harness.clickTray(item.id).catch(() => {});
  const gone = await trayWhen(harness, (m) => modelItem(m, 'gemma3:4b') === undefined);
  expect(items(gone).some((i) => i.label === 'No models loaded')).toBe(true);
  expect(gone.tooltip).toBe('No models loaded');
  await click;
  expect(fake.requests.filter(isUnloadOf('gemma3:4b')).length - sentBefore).toBe(1);

  await expect(row).toHaveCount(0);
  await expect(dialog.getByText('No models loaded')).toBeVisible();
});

test('"Unload all" in the tray unloads every model; labels for CPU, partial and forever', async ({
  app,
  fake,
  harness
}) => {
  fake.addModel(CPU_MODEL);
  fake.addModel(SPLIT_MODEL);
  fake.loadModel('gemma3:4b');
  fake.loadModel('qwen3:8b', { keepAliveSec: -1, contextLength: 8192 });
  fake.loadModel('cpu-only:1b');
  fake.loadModel('split:70b', { contextLength: 2048 });
  await harness.clickTray('refresh');

  const menu = await trayWhen(harness, (m) => modelItem(m, 'split:70b') !== undefined);
  expect(modelItem(menu, 'qwen3:8b')!.label).toBe('Unload qwen3:8b · 5.2 GB · kept loaded');
  expect(modelItem(menu, 'cpu-only:1b')!.label).toMatch(
    /^Unload cpu-only:1b · 1\.3 GB · 100% CPU · [45] min left$/
  );
  expect(modelItem(menu, 'split:70b')!.label).toMatch(
    /^Unload split:70b · 42 GB · 24%\/76% CPU\/GPU · [45] min left$/
  );
  const all = items(menu).find((i) => i.label === `Unload all on ${SERVER}`);
  expect(all).toMatchObject({ enabled: true });
  expect(menu.tooltip).toBe(`${SERVER}: 4 models · 40 GB VRAM · 11 GB RAM`);

  // The window shows the same four with the same words, and the server's memory in use.
  const dialog = await openPanel(app);
  const rows = dialog.getByRole('list', { name: `Models loaded on ${SERVER}` }).getByRole('listitem');
  await expect(rows).toHaveCount(4);
  await expect(dialog.getByRole('listitem', { name: 'qwen3:8b' })).toContainText('kept loaded');
  await expect(dialog.getByRole('listitem', { name: 'qwen3:8b' })).toContainText('8K context');
  await expect(dialog.getByRole('listitem', { name: 'cpu-only:1b' })).toContainText('1.3 GB · 100% CPU');
  await expect(dialog.getByRole('listitem', { name: 'split:70b' })).toContainText('42 GB · 24%/76% CPU/GPU');
  await expect(dialog.getByText(`4 models · 40 GB VRAM · 11 GB RAM in use on ${SERVER}`)).toBeVisible();
  await expect(dialog.getByRole('button', { name: `Unload all on ${SERVER}` })).toBeVisible();

  const click = harness.clickTray(all!.id);
  for (const name of ['gemma3:4b', 'qwen3:8b', 'cpu-only:1b', 'split:70b']) {
    await fake.waitForRequest(isUnloadOf(name));
  }
  const going = await trayWhen(harness, (m) =>
    ['gemma3:4b', 'qwen3:8b'].every((name) => modelItem(m, name)?.label === `Unloading ${name}…`)
  );
  expect(items(going).find((i) => i.label === `Unload all on ${SERVER}`)?.enabled).toBe(false);
  await expect(dialog.getByRole('listitem', { name: 'qwen3:8b' })).toContainText('unloading…');

  const empty = await trayWhen(harness, (m) => items(m).some((i) => i.label === 'No models loaded'));
  expect(items(empty).some((i) => i.id.startsWith('unload'))).toBe(false);
  await click;
  await expect(rows).toHaveCount(0);
  await expect(dialog.getByText('No models loaded')).toBeVisible();
  await expect(dialog.getByRole('button', { name: `Unload all on ${SERVER}` })).toHaveCount(0);
});

test('Unload in the window reaches the server and the tray; a failure is shown in words', async ({
  app,
  fake,
  harness
}) => {
  fake.loadModel('gemma3:4b');
  fake.loadModel('llama3.2:latest');
  const dialog = await openPanel(app);
  await dialog.getByRole('button', { name: 'Refresh loaded models' }).click();
  const row = dialog.getByRole('listitem', { name: 'gemma3:4b' });
  await expect(row).toBeVisible();

  // Keyboard: the Unload button is reachable and works with Enter.
  const unload = row.getByRole('button', { name: `Unload gemma3:4b on ${SERVER}` });
  await unload.focus();
  await app.keyboard.press('Enter');
  await fake.waitForRequest(isUnloadOf('gemma3:4b'));
  await trayWhen(harness, (m) => modelItem(m, 'gemma3:4b')?.label === 'Unloading gemma3:4b…');
  await expect(row).toContainText('unloading…');
  await expect(row).toHaveCount(0);
  await trayWhen(harness, (m) => modelItem(m, 'gemma3:4b') === undefined);
  // The focus did not fall out of the dialog with the removed row.
  await expect(dialog.getByRole('heading', { name: SERVER })).toBeFocused();

  // The model vanished from the server's disk meanwhile: the unload gets a 404, shown in words.
  fake.setModels([]);
  await dialog.getByRole('button', { name: `Unload llama3.2:latest on ${SERVER}` }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText(
    'Could not unload llama3.2:latest: This model is not installed on the server.'
  );
  await expect(alert).toContainText("model 'llama3.2:latest' not found");
  // Not stuck in "unloading…".
  await expect(dialog.getByRole('listitem', { name: 'llama3.2:latest' })).not.toContainText('unloading…');
});

test('a failed unload from the tray shows in the tray and as a message in the open window', async ({
  app,
  fake,
  harness
}) => {
  fake.loadModel('qwen3:8b');
  await harness.clickTray('refresh');
  const menu = await trayWhen(harness, (m) => modelItem(m, 'qwen3:8b') !== undefined);
  fake.setModels([]);
  await harness.clickTray(modelItem(menu, 'qwen3:8b')!.id);
  await expect(app.getByText("model 'qwen3:8b' not found")).toBeVisible();
  // The item is clickable again: not left as "unloading…".
  const after = await harness.tray();
  expect(modelItem(after, 'qwen3:8b')).toMatchObject({ enabled: true });
});
