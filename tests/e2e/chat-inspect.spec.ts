/**
 * "Inspect" on a reply: the exact request and the response's metrics, and "Copy as curl" whose
 * command, run with the real curl, gets the same reply from the server. No secret is shown unless
 * the user asks for it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { newChat, lastReply, replyDone, sendWithEnter } from './chat-page';

const run = promisify(execFile);
const SECRET = 'sekret-token-1234567';

async function sendAndWait(app: Page, text: string) {
  await sendWithEnter(app, text);
  await replyDone(app);
}

/** Opens "Inspect" on the last reply; returns its dialog. */
async function inspectLastReply(app: Page) {
  await lastReply(app).getByRole('button', { name: 'Inspect' }).click();
  return app.getByRole('dialog', { name: 'Inspect request' });
}

async function curlText(app: Page): Promise<string> {
  const pre = app.getByRole('dialog').getByLabel('curl command');
  await expect(pre).toContainText('curl ');
  return (await pre.textContent()) ?? '';
}

test('Inspect shows the request and metrics; the curl command gets the same reply', async ({ app, fake }) => {
  fake.setScenario({ reply: "It's a \"quoted\" reply — with unicode ✓ and 'single quotes'." });
  await newChat(app);
  await sendAndWait(app, 'Say it\'s "fine"\nacross two lines ✓');

  const dialog = await inspectLastReply(app);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`${fake.url}/api/chat`);
  const body = dialog.getByLabel('Request body');
  await expect(body).toContainText('"model": "gemma3:4b"');
  await expect(body).toContainText('across two lines');
  await expect(dialog).toContainText('done_reason');
  await expect(dialog).toContainText('stop');
  await expect(dialog).toContainText('tokens/s');

  // Streaming off: one JSON object back, as the seed's curl examples do.
  await dialog.getByRole('checkbox', { name: 'Stream' }).uncheck();
  await expect(dialog.getByLabel('curl command')).toContainText('"stream": false');
  const command = await curlText(app);
  expect(command).toMatch(/^curl http:\/\/127\.0\.0\.1:\d+\/api\/chat -d '/);
  const { stdout } = await run('sh', ['-c', command], { timeout: 15_000 });
  const answer = JSON.parse(stdout) as { message: { content: string }; done: boolean };
  expect(answer.done).toBe(true);
  expect(answer.message.content).toBe("It's a \"quoted\" reply — with unicode ✓ and 'single quotes'.");
  const sent = fake.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as {
    messages: { role: string; content: string }[];
  };
  expect(sent.messages.at(-1)?.content).toBe('Say it\'s "fine"\nacross two lines ✓');

  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});

test('no secret in the inspector or the curl text unless asked for', async ({ app, fake }) => {
  // The server wants a token; the profile has it (in the keychain or its fallback, never the page).
  const saved = await app.evaluate(async (token) => {
    const state = await window.ollamaDesk.call('profiles:list', {});
    if (!state.ok) return state;
    const profile = state.value.profiles[0]!;
    return window.ollamaDesk.call('profiles:save', {
      id: profile.id,
      name: profile.name,
      host: profile.host,
      auth: { kind: 'bearer', token },
      defaults: profile.defaults
    });
  }, SECRET);
  expect(saved.ok).toBe(true);
  fake.requireAuth({ bearer: SECRET });

  await newChat(app);
  await sendAndWait(app, 'hello with a token');
  const dialog = await inspectLastReply(app);
  await dialog.getByRole('checkbox', { name: 'Stream' }).uncheck();
  await expect(dialog.getByLabel('curl command')).toContainText('"stream": false');
  await expect(dialog).not.toContainText(SECRET);
  const without = await curlText(app);
  expect(without).not.toContain('Authorization');
  expect(await app.content()).not.toContain(SECRET);

  // Without the token the server refuses; with it, the same command works.
  const refused = await run('sh', ['-c', `${without} -s -o /dev/null -w '%{http_code}'`], {
    timeout: 15_000
  });
  expect(refused.stdout).toBe('401');

  await dialog.getByRole('checkbox', { name: 'Include credentials' }).check();
  await expect(dialog.getByLabel('curl command')).toContainText(`Authorization: Bearer ${SECRET}`);
  const withToken = await curlText(app);
  const { stdout } = await run('sh', ['-c', withToken], { timeout: 15_000 });
  expect((JSON.parse(stdout) as { done: boolean }).done).toBe(true);

  await dialog.getByRole('checkbox', { name: 'Include credentials' }).uncheck();
  await expect(dialog.getByLabel('curl command')).not.toContainText(SECRET);
});
