/**
 * First run with no server reachable: a friendly panel that says how to start Ollama on this computer
 * (the dead server's address is local) with copy buttons, and how to try the fake server (the harness
 * runs from source); it recovers by itself once the server answers. Also the
 * window at its smallest supported size.
 */
import { closedPort } from '../fake-ollama/closed-port';
import { createFakeOllama } from '../fake-ollama/server';
import { test, expect } from './fixtures';

test('a dead server shows how to get one going, then recovers', async ({ app, fake, harness }) => {
  // Restarts the harness: give it room on a busy machine.
  test.slow();
  await fake.close();
  await harness.restart();
  await app.reload();

  const main = app.getByRole('main');
  await expect(main.getByRole('heading', { name: 'No Ollama server is reachable' })).toBeVisible();
  await expect(main).toContainText('Connection refused.');
  await expect(main).toContainText(fake.url.replace(/\/$/, ''));
  // The dead server is this computer: how to start Ollama here, not how to open a LAN box.
  await expect(main.getByRole('heading', { name: 'Start Ollama on this computer' })).toBeVisible();
  await expect(main).toContainText('ollama serve');
  await expect(main.getByRole('heading', { name: /over the network/ })).toHaveCount(0);
  await expect(main).not.toContainText('Is Ollama running?');
  // Each command whole, with a copy button that puts it on the clipboard.
  const copy = main.getByRole('button', { name: 'Copy the command that starts Ollama in a terminal' });
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.url });
  await copy.click();
  await expect(copy).toHaveText('Copied');
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('ollama serve');
  // The harness runs from source, so the fake server is offered.
  await expect(main.getByRole('heading', { name: 'Try it without Ollama' })).toBeVisible();
  await expect(main).toContainText('npm run fake-ollama');
  await expect(app.getByRole('button', { name: 'This computer, unreachable' })).toBeVisible();

  // "Add a server" opens the editor on a new profile.
  await main.getByRole('button', { name: 'Add a server' }).click();
  const dialog = app.getByRole('dialog', { name: 'Servers' });
  await expect(dialog.getByRole('heading', { name: 'Add a server' })).toBeVisible();
  await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Test again, still dead: still the help, never a crash.
  await main.getByRole('button', { name: 'Test again' }).click();
  await expect(main.getByRole('heading', { name: 'No Ollama server is reachable' })).toBeVisible();

  // "Edit server" opens its editor and tests it at once: the reason is right there with the fields.
  await main.getByRole('button', { name: 'Edit server' }).click();
  await expect(dialog.getByRole('heading', { name: 'Edit This computer' })).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText('Connection refused.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByRole('listitem', { name: 'This computer' })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Ollama comes up on that address: Test again finds it and the panel invites to chat.
  const revived = await createFakeOllama({ port: fake.port });
  try {
    await main.getByRole('button', { name: 'Test again' }).click();
    await expect(main.getByRole('heading', { name: 'Start a conversation' })).toBeVisible();
    await expect(app.getByRole('button', { name: 'This computer, reachable' })).toBeVisible();
  } finally {
    await revived.close();
  }
});

test('the active server is dead but another answers: one click switches to it', async ({ app }) => {
  const port = await closedPort();
  await app.evaluate(async (host) => {
    const saved = await window.ollamaDesk.call('profiles:save', {
      name: 'Dead box',
      host,
      auth: { kind: 'none' }
    });
    if (!saved.ok) throw new Error(saved.error.message);
    await window.ollamaDesk.call('profiles:setActive', { id: saved.value.id });
  }, `127.0.0.1:${port}`);
  await app.reload();
  const main = app.getByRole('main');
  await expect(main.getByRole('heading', { name: 'Dead box is not reachable' })).toBeVisible();
  await main.getByRole('button', { name: 'Switch to This computer' }).click();
  await expect(main.getByRole('heading', { name: 'Start a conversation' })).toBeVisible();
  await expect(app.getByRole('button', { name: 'This computer, reachable' })).toHaveAttribute(
    'aria-pressed',
    'true'
  );
});

test('no saved server at all: a welcome that leads to adding one', async ({ app }) => {
  const state = await app.evaluate(async () => {
    const list = await window.ollamaDesk.call('profiles:list', {});
    if (!list.ok) throw new Error(list.error.message);
    for (const p of list.value.profiles) await window.ollamaDesk.call('profiles:delete', { id: p.id });
    return (await window.ollamaDesk.call('profiles:list', {})).ok;
  });
  expect(state).toBe(true);
  await app.reload();
  const main = app.getByRole('main');
  await expect(main.getByRole('heading', { name: 'Welcome to Ollama Desk' })).toBeVisible();
  await expect(main).toContainText('ollama serve');
  await expect(app.getByText('No server saved yet.')).toBeVisible();
  // New chat without a server leads to adding one rather than failing.
  await app.keyboard.press('Control+n');
  await expect(
    app.getByRole('dialog', { name: 'Servers' }).getByRole('heading', { name: 'Add a server' })
  ).toBeVisible();
});

test('usable at 720×480: nothing spills sideways, dialogs fit', async ({ app }) => {
  await app.setViewportSize({ width: 720, height: 480 });
  await expect(app.getByRole('button', { name: 'New chat' }).first()).toBeInViewport();
  await expect(app.getByRole('searchbox', { name: 'Search conversations' })).toBeInViewport();
  const overflow = () => app.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);

  // A chat's composer keeps its settings on three rows at most, every control in view.
  await app.getByRole('button', { name: 'New chat' }).first().click();
  const composer = app.getByRole('group', { name: 'Composer' });
  await expect(composer.getByRole('button', { name: 'Send' })).toBeInViewport();
  const settings = [
    composer.getByRole('combobox', { name: 'Server' }),
    composer.getByRole('combobox', { name: 'Model' }),
    composer.getByRole('combobox', { name: 'Preset' }),
    composer.getByRole('checkbox', { name: 'JSON' }),
    composer.getByRole('button', { name: 'Attach image' }),
    composer.getByText('Options', { exact: true })
  ];
  const middles: number[] = [];
  for (const control of settings) {
    await expect(control).toBeInViewport();
    const at = (await control.boundingBox())!;
    middles.push(at.y + at.height / 2);
  }
  // Controls on one row have their middles within a few pixels; rows are about 30 px apart.
  middles.sort((a, b) => a - b);
  const rows = middles.filter((y, i) => i === 0 || y - middles[i - 1]! > 12).length;
  expect(rows, middles.map(Math.round).join(',')).toBeLessThanOrEqual(3);
  expect(await overflow()).toBeLessThanOrEqual(0);

  // Options open over the messages: the composer does not grow, every control stays in view.
  const options = composer.getByRole('button', { name: 'Options' });
  await options.click();
  const popover = app.getByRole('dialog', { name: 'Model options' });
  await expect(popover.getByRole('spinbutton', { name: 'Temperature' })).toBeFocused();
  const inView = [
    composer.getByRole('button', { name: 'Send' }),
    composer.getByRole('combobox', { name: 'Server' }),
    composer.getByRole('combobox', { name: 'Model' }),
    popover.getByRole('spinbutton', { name: 'Temperature' }),
    popover.getByRole('spinbutton', { name: 'Seed' }),
    popover.getByRole('textbox', { name: 'Keep alive' }),
    popover.getByRole('textbox', { name: /Stop sequences/ }),
    popover.getByRole('button', { name: 'Reset to defaults' })
  ];
  for (const control of inView) await expect(control).toBeInViewport({ ratio: 1 });
  const messages = (await app.getByRole('region', { name: 'Messages' }).boundingBox())!;
  expect(messages.height).toBeGreaterThanOrEqual(120);
  await app.keyboard.press('Escape');
  await expect(popover).toBeHidden();
  await expect(options).toBeFocused();

  await app.getByRole('button', { name: 'Manage servers' }).click();
  const dialog = app.getByRole('dialog', { name: 'Servers' });
  await dialog.getByRole('button', { name: 'Add server' }).click();
  const box = await dialog.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(720);
  expect(box!.height).toBeLessThanOrEqual(480);
  // The form scrolls inside the dialog: Save is reachable.
  await dialog.getByRole('button', { name: 'Save', exact: true }).scrollIntoViewIfNeeded();
  await expect(dialog.getByRole('button', { name: 'Save', exact: true })).toBeInViewport();
  expect(await overflow()).toBeLessThanOrEqual(0);
});
