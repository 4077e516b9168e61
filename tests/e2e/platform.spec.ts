/**
 * The platform under the UI: the page loads with the app's name, shows the version main reports
 * through app:info, runs under the strict CSP with only `window.ollamaDesk` exposed, and the
 * harness socket refuses a page without the per-run token.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect } from './fixtures';

// The refused inline script and the refused socket are logged by Chromium as console errors.
test.use({ allowConsoleErrors: /Content Security Policy|WebSocket connection to .* failed/ });

const version = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string;
  }
).version;

test('the page shows the app name and the version from app:info, under a strict CSP', async ({
  app,
  harness
}) => {
  await expect(app.getByText('Ollama Desk').first()).toBeVisible();
  await app.getByRole('button', { name: 'Settings' }).click();
  await expect(app.getByText(`Ollama Desk ${version} (test harness)`)).toBeVisible();

  const response = await app.request.get(harness.url);
  const policy = response.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toContain('unsafe-eval');

  // Only the contract's door is exposed, frozen; no Node in the page.
  const exposed = await app.evaluate(() => ({
    keys: Object.keys(window.ollamaDesk).sort(),
    frozen: Object.isFrozen(window.ollamaDesk),
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process
  }));
  expect(exposed).toEqual({ keys: ['call', 'on'], frozen: true, require: 'undefined', process: 'undefined' });

  // An inline script is refused by the CSP.
  const ran = await app.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.body.append(script);
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(ran).toBe(false);
});

test('the harness socket refuses a connection without the token', async ({ app, harness }) => {
  const outcome = await app.evaluate(async (host) => {
    return await new Promise<string>((done) => {
      const socket = new WebSocket(`ws://${host}/__harness/socket?token=wrong`);
      socket.onopen = () => done('open');
      socket.onerror = () => done('refused');
    });
  }, new URL(harness.url).host);
  expect(outcome).toBe('refused');
});
