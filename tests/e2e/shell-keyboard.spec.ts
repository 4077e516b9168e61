/**
 * The shell by keyboard alone: Ctrl+N new chat, Ctrl+K then type and Enter to switch server, Ctrl+F
 * to search, Ctrl+, for settings (theme applied at once), and Tab reaching the controls with focus shown.
 */
import type { Page } from '@playwright/test';
import { createFakeOllama } from '../fake-ollama/server';
import { test, expect } from './fixtures';
import { replyDone, sendWithEnter } from './chat-page';

function list(app: Page) {
  return app.getByRole('list', { name: 'Conversations' });
}

test('Ctrl+N starts a chat on the active server and puts the cursor in the composer', async ({ app }) => {
  await expect(app.getByRole('button', { name: 'This computer, reachable' })).toBeVisible();
  await app.keyboard.press('Control+n');
  await expect(app.getByRole('main', { name: 'Conversation' })).toBeVisible();
  await expect(app.getByLabel('Model', { exact: true })).toHaveValue('gemma3:4b');
  const composer = app.getByRole('textbox', { name: 'Message', exact: true });
  await expect(composer).toBeFocused();
  // Listed from its first message on, not before.
  await expect(list(app).getByRole('link')).toHaveCount(0);
  await sendWithEnter(app, 'first');
  await replyDone(app);
  await expect(list(app).getByRole('link')).toHaveCount(1);
  await expect(list(app).getByRole('link').first()).toHaveAttribute('aria-current', 'page');
  await expect(list(app)).toContainText('gemma3:4b');

  // From inside the composer too.
  await composer.focus();
  await app.keyboard.press('Control+n');
  await expect(list(app).getByRole('link').first()).not.toHaveAttribute('aria-current', 'page');
  await expect(composer).toBeFocused();
  await expect(composer).toHaveValue('');
});

test('Ctrl+K, type, Enter switches the server; Esc closes without switching', async ({ app }) => {
  const second = await createFakeOllama();
  try {
    await app.evaluate(
      (url) =>
        window.ollamaDesk.call('profiles:save', { name: 'Garage box', host: url, auth: { kind: 'none' } }),
      second.url
    );
    await app.reload();
    const garage = app.getByRole('button', { name: /^Garage box, / });
    await expect(garage).toHaveAttribute('aria-pressed', 'false');

    await app.keyboard.press('Control+k');
    const palette = app.getByRole('dialog', { name: 'Switch server' });
    await expect(palette).toBeVisible();
    const filter = palette.getByRole('combobox', { name: 'Find a server' });
    await expect(filter).toBeFocused();
    await expect(palette.getByRole('option')).toHaveCount(2);
    await app.keyboard.type('gar');
    await expect(palette.getByRole('option')).toHaveCount(1);
    await expect(palette.getByRole('option', { name: /^Garage box/ })).toHaveAttribute(
      'aria-selected',
      'true'
    );
    await app.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(garage).toHaveAttribute('aria-pressed', 'true');
    await expect(app.getByRole('button', { name: 'Garage box, reachable' })).toBeVisible();

    // Arrows move the choice; Esc closes and nothing changes.
    await app.keyboard.press('Control+k');
    await expect(palette).toBeVisible();
    await app.keyboard.press('ArrowDown');
    await app.keyboard.press('Escape');
    await expect(palette).toBeHidden();
    await expect(garage).toHaveAttribute('aria-pressed', 'true');

    // Arrows then Enter.
    await app.keyboard.press('Control+k');
    await app.keyboard.press('Home');
    await expect(palette.getByRole('option', { name: /^This computer/ })).toHaveAttribute(
      'aria-selected',
      'true'
    );
    await app.keyboard.press('Enter');
    await expect(app.getByRole('button', { name: /^This computer, / })).toHaveAttribute(
      'aria-pressed',
      'true'
    );

    // A new chat by keyboard lands on the server just chosen.
    await app.keyboard.press('Control+k');
    await app.keyboard.type('garage');
    await app.keyboard.press('Enter');
    await app.keyboard.press('Control+n');
    await sendWithEnter(app, 'on the garage box');
    await replyDone(app);
    await expect(list(app).getByRole('listitem').first()).toContainText('Garage box');
  } finally {
    await second.close();
  }
});

test('Ctrl+F focuses the search; Ctrl+, opens settings and the theme applies at once', async ({ app }) => {
  await app.keyboard.press('Control+f');
  await expect(app.getByRole('searchbox', { name: 'Search conversations' })).toBeFocused();

  await app.keyboard.press('Control+,');
  const settings = app.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await settings.getByRole('radio', { name: 'Dark' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await app.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await settings.getByRole('radio', { name: 'Light' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await app.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(dark);
  await settings.getByRole('checkbox', { name: 'Close to tray' }).check();
  await app.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  // Settings live in main: they survive a reload.
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  await app.keyboard.press('Control+,');
  await expect(app.getByRole('checkbox', { name: 'Close to tray' })).toBeChecked();
  await app.getByRole('radio', { name: 'Same as the system' }).check();
  await expect(app.locator('html')).not.toHaveAttribute('data-theme', /.+/);
});

test('Tab reaches the shell controls in order, each with a name and a visible focus ring', async ({
  app
}) => {
  await expect(app.getByRole('button', { name: 'This computer, reachable' })).toBeVisible();
  const seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    await app.keyboard.press('Tab');
    const info = await app.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
      return { name, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
    });
    expect(info, 'focus went somewhere').not.toBeNull();
    expect(info!.name, 'every control has a name').not.toBe('');
    expect(info!.outline, `focus ring on "${info!.name}"`).toBe(true);
    seen.push(info!.name);
  }
  expect(seen).toContain('This computer, reachable');
  expect(seen).toContain('New chat');
  expect(seen).toContain('Search conversations');
  // And Enter on "New chat" starts one.
  await app.getByRole('button', { name: 'New chat' }).first().focus();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('main', { name: 'Conversation' })).toBeVisible();
  await expect(app.getByRole('textbox', { name: 'Message', exact: true })).toBeFocused();
});
