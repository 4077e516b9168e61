/**
 * One model, one size: the composer's model menu, the Models screen, the Loaded models panel and the
 * tray (the harness's tray JSON) print the same figure from the same formatter, in Ollama's units
 * (MB below 1 GB). The tray's tooltip names each server with its own memory and never adds two
 * machines' VRAM together.
 */
import type { Page } from '@playwright/test';
import { createFakeOllama, type FakeModel } from '../fake-ollama/server';
import { test, expect, trayWhen, type HarnessProcess, type TrayModel } from './fixtures';
import { newChat } from './chat-page';

const SERVER = 'This computer';

const TINY: FakeModel = {
  name: 'tiny:1m',
  family: 'llama',
  parameterSize: '1M',
  quantization: 'Q8_0',
  sizeBytes: 5_700_000,
  capabilities: ['completion'],
  contextLength: 2048
};

const trayLabel = (model: TrayModel, name: string) =>
  model.items.find((item) => item.id.startsWith('unload:') && item.id.endsWith(`:${name}`))?.label;

/** The four places a loaded model's size is shown, each read as the user sees it. */
async function sizesShown(app: Page, harness: HarnessProcess, name: string) {
  const tray = await trayWhen(harness, (m) => trayLabel(m, name) !== undefined);

  const option = app
    .getByRole('combobox', { name: 'Model' })
    .getByRole('option', { name: new RegExp(`^${name}`) });
  await app.getByRole('combobox', { name: 'Model' }).focus();
  await expect(option).toContainText('loaded');
  const menu = (await option.textContent()) ?? '';

  await app.getByRole('button', { name: 'Models', exact: true }).click();
  const models = app.getByRole('dialog', { name: 'Models' });
  const badge = models.getByRole('listitem', { name, exact: true }).getByText(/^loaded · /);
  await expect(badge).toBeVisible();
  const screen = (await badge.textContent()) ?? '';
  await app.keyboard.press('Escape');
  await expect(models).toBeHidden();

  await app.getByRole('button', { name: 'Loaded models', exact: true }).click();
  const loaded = app.getByRole('dialog', { name: 'Loaded models' });
  const row = loaded.getByRole('listitem', { name });
  await expect(row).toBeVisible();
  const panel = (await row.textContent()) ?? '';
  await app.keyboard.press('Escape');
  await expect(loaded).toBeHidden();

  return { tray: trayLabel(tray, name)!, menu, screen, panel, tooltip: tray.tooltip };
}

test('a loaded model has the same size in the model menu, Models, Loaded models and the tray', async ({
  app,
  fake,
  harness
}) => {
  fake.addModel(TINY);
  fake.loadModel('gemma3:4b');
  fake.loadModel('tiny:1m');
  await harness.clickTray('refresh');
  await newChat(app);

  const gemma = await sizesShown(app, harness, 'gemma3:4b');
  // 3,340,000,000 bytes: "3.3 GB" as `ollama ps` prints it (the menu once said 3.1 GB, binary units).
  expect(gemma.tray).toMatch(/^Unload gemma3:4b · 3\.3 GB · [45] min left$/);
  for (const place of [gemma.menu, gemma.screen, gemma.panel]) expect(place).toContain('3.3 GB · 100% GPU');

  const tiny = await sizesShown(app, harness, 'tiny:1m');
  // Below 1 GB the unit is MB: never "0.0 GB".
  expect(tiny.tray).toMatch(/^Unload tiny:1m · 5\.7 MB · [45] min left$/);
  for (const place of [tiny.menu, tiny.screen, tiny.panel]) {
    expect(place).toContain('5.7 MB · 100% GPU');
    expect(place).not.toContain('0.0 GB');
  }
  expect(gemma.tooltip).toBe(`${SERVER}: 2 models · 3.3 GB VRAM`);
});

test('the tray tooltip names each server with its own memory, never a sum across servers', async ({
  app,
  fake,
  harness
}) => {
  const second = await createFakeOllama();
  try {
    fake.loadModel('gemma3:4b');
    second.loadModel('llama3.2:latest');
    const saved = await app.evaluate(
      (host) => window.ollamaDesk.call('profiles:save', { name: 'GPU box', host, auth: { kind: 'none' } }),
      second.url
    );
    expect(saved.ok).toBe(true);
    await harness.clickTray('refresh');

    const tray = await trayWhen(harness, (m) => m.tooltip.includes('GPU box'));
    // Each machine apart: 3.3 GB on one, 2.0 GB on the other; "5.3 GB" would be nobody's VRAM.
    expect(tray.tooltip).toBe(`${SERVER}: 1 model · 3.3 GB VRAM\nGPU box: 1 model · 2.0 GB VRAM`);
    expect(tray.tooltip).not.toContain('5.3');
    // The menu lists the servers in their saved order, whichever is active.
    const headers = tray.items.filter((i) => i.kind === 'header').map((i) => i.label);
    expect(headers).toEqual([`${SERVER} — reachable`, 'GPU box — reachable']);

    // The Loaded panel says the same per server, in the same order.
    await app.getByRole('button', { name: 'Loaded models', exact: true }).click();
    const loaded = app.getByRole('dialog', { name: 'Loaded models' });
    await expect(loaded.getByText(`1 model · 3.3 GB VRAM in use on ${SERVER}`)).toBeVisible();
    await expect(loaded.getByText('1 model · 2.0 GB VRAM in use on GPU box')).toBeVisible();
    await expect(loaded.getByRole('heading', { level: 3 })).toHaveText([SERVER, 'GPU box']);
  } finally {
    await second.close();
  }
});
