/**
 * Model output is untrusted: raw HTML in a reply stays visible, inert text; no handler, script,
 * frame or `javascript:` link ever runs, and links never navigate the app.
 */
import { test, expect } from './fixtures';
import { newChat, composer } from './chat-page';

type Probe = { __pwned?: number };

const HOSTILE = [
  'Look: <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> inline.',
  '',
  '[click me](javascript:window.__pwned=3) and [safe link](https://ollama.com/library)',
  '',
  '<iframe src="https://example.com" onload="window.__pwned=4"></iframe>',
  '',
  '<b onmouseover="window.__pwned=5">hover me</b> <a href="javascript:window.__pwned=6">raw link</a>',
  '',
  '```html',
  '<script>window.__pwned=7</script>',
  '```'
].join('\n');

test('hostile HTML in a reply stays inert, visible text', async ({ app, fake }) => {
  fake.setScenario({ reply: HOSTILE, pacingMs: 5 });
  await newChat(app);
  const startUrl = app.url();
  await composer(app).fill('show me some html');
  await composer(app).press('Enter');

  const reply = app.getByRole('article', { name: 'Assistant reply' }).last();
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Send' })).toBeVisible();

  // The markup is shown as text…
  await expect(reply).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(reply).toContainText('<script>window.__pwned=2</script>');
  await expect(reply).toContainText('<iframe src="https://example.com" onload="window.__pwned=4"></iframe>');
  await expect(reply).toContainText('<b onmouseover="window.__pwned=5">hover me</b>');
  await expect(
    reply.getByRole('code').or(reply.getByText('<script>window.__pwned=7</script>'))
  ).not.toHaveCount(0);

  // …and none of it became an element that can run.
  const live = await app.evaluate(() => ({
    handlers: document.querySelectorAll('[onerror], [onload], [onmouseover], [onclick]').length,
    frames: document.querySelectorAll('iframe, object, embed').length,
    images: document.querySelectorAll('main img').length,
    inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
      /^\s*javascript:/i.test(a.getAttribute('href') ?? '')
    ).length
  }));
  expect(live).toEqual({ handlers: 0, frames: 0, images: 0, inlineScripts: 0, jsLinks: 0 });

  // Clicking the links neither runs code nor navigates the app.
  await reply.getByText('click me').click();
  await reply.getByText('raw link').click();
  await reply.getByRole('link', { name: 'safe link' }).click();
  await reply.getByText('hover me').hover();
  await app.waitForTimeout(300);
  expect(app.url()).toBe(startUrl);
  expect(await app.evaluate(() => (window as Probe).__pwned)).toBeUndefined();
  expect(app.context().pages()).toHaveLength(1);
});
