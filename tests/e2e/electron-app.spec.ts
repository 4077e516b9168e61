/**
 * The same first scenario against the real Electron app. Runs where the Electron binary exists
 * (a normal `npm install`); skipped with a printed reason where it could not be downloaded.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createFakeOllama } from '../fake-ollama/server';

function electronBinary(): string | null {
  // Without path.txt the binary was never installed, and requiring 'electron' would try to
  // download it (Electron >= 36 fetches a missing binary on first use): tests reach no network.
  const installed = join(dirname(createRequire(import.meta.url).resolve('electron')), 'path.txt');
  if (!existsSync(installed)) return null;
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.log(
    'electron-app.spec: skipped: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD).'
  );
}

test.describe('the Electron app', () => {
  test.skip(!binary, 'the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)');

  test('opens a secure window showing the app name, with the preload api and no Node', async () => {
    const fake = await createFakeOllama();
    const app = await electron.launch({
      executablePath: binary!,
      args: [
        resolve(import.meta.dirname, '../..'),
        `--user-data-dir=${mkdtempSync(join(tmpdir(), 'od-electron-'))}`
      ],
      env: { ...process.env, OLLAMA_HOST: fake.url }
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('heading', { name: 'Ollama Desk' }).first()).toBeVisible();
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe(
        'undefined'
      );
      expect(await page.evaluate(() => typeof window.ollamaDesk.call)).toBe('function');
    } finally {
      await app.close();
      await fake.close();
    }
  });
});
