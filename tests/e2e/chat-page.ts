/**
 * How the chat specs reach the conversation view: by role and label, as a user would. One place, so
 * a label change is one edit.
 */
import type { Page } from '@playwright/test';
import type { FakeOllama } from '../fake-ollama/server';
import { expect } from './fixtures';

export const isChat = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/api/chat';

export function composer(app: Page) {
  return app.getByRole('textbox', { name: 'Message', exact: true });
}

export function lastReply(app: Page) {
  return app.getByRole('article', { name: 'Assistant reply' }).last();
}

export async function newChat(app: Page) {
  await app.getByRole('button', { name: 'New chat' }).first().click();
  await expect(composer(app)).toBeVisible();
}

/** Types and presses Enter; the composer empties once main accepted the message. */
export async function sendWithEnter(app: Page, text: string) {
  await composer(app).fill(text);
  await composer(app).press('Enter');
  await expect(composer(app)).toHaveValue('');
}

/** Types and clicks Send (no wait: error specs check what stays in the composer). */
export async function sendWithButton(app: Page, text: string) {
  await composer(app).fill(text);
  await app.getByRole('button', { name: 'Send' }).click();
}

/** Waits until the reply being written is finished (the Send button is back, no phase shown). */
export async function replyDone(app: Page) {
  await expect(app.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(lastReply(app).getByRole('status')).toHaveCount(0);
}

/** Starts a slow 200-word reply ("word0 word1 …") in a new chat and waits for its first words. */
export async function startLongReply(app: Page, fake: FakeOllama) {
  const words = Array.from({ length: 200 }, (_, i) => `word${i} `);
  fake.setScenario({ tokens: words, pacingMs: 50 });
  await newChat(app);
  await sendWithEnter(app, 'Talk for a long time');
  await expect(lastReply(app)).toContainText('word3 ');
}
