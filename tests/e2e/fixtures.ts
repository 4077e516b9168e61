/**
 * Playwright fixtures: a fake Ollama server in the test process, a fresh harness (the real core under
 * Node serving the built renderer) pointed at it, and the app page. Every page's console errors fail
 * the test unless it declares them expected.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createFakeOllama, type FakeOllama } from '../fake-ollama/server';

const ROOT = resolve(import.meta.dirname, '../..');

export interface HarnessProcess {
  url: string;
  dataDir: string;
  token: string;
  /** Stops the harness process and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** The tray-menu model as JSON (harness-only route). */
  tray(): Promise<TrayModel>;
  clickTray(id: string): Promise<void>;
}

export interface TrayItemJson {
  id: string;
  label: string;
  enabled: boolean;
  kind: string;
  checked?: boolean;
  submenu?: TrayItemJson[];
}
export interface TrayModel {
  tooltip: string;
  items: TrayItemJson[];
}

async function launch(
  env: Record<string, string>,
  dataDir: string,
  port: number
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'tests/harness/cli.ts'), '--port', String(port), '--data-dir', dataDir],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`harness did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /harness listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`harness exited with ${code}: ${stderr}`));
    });
  });
  return { child, url };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

interface Fixtures {
  fake: FakeOllama;
  harness: HarnessProcess;
  app: Page;
  /** Console errors a test expects (e.g. a failed resource it provokes), as one pattern. */
  allowConsoleErrors: RegExp | null;
  /** Extra environment for the harness process (e.g. HARNESS_SECRETS=basic_text). */
  harnessEnv: Record<string, string>;
}

export const test = base.extend<Fixtures>({
  fake: async ({}, use) => {
    const fake = await createFakeOllama();
    await use(fake);
    await fake.close();
  },
  harnessEnv: [{}, { option: true }],
  harness: async ({ fake, harnessEnv }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ollama-desk-e2e-'));
    const token = randomBytes(16).toString('hex');
    const env = { ...harnessEnv, OLLAMA_HOST: fake.url, HARNESS_TOKEN: token };
    let running = await launch(env, dataDir, 0);
    const port = Number(new URL(running.url).port);
    const harness: HarnessProcess = {
      url: running.url,
      dataDir,
      token,
      async restart() {
        await stopProcess(running.child);
        running = await launch(env, dataDir, port);
      },
      async tray() {
        const response = await fetch(`${running.url}/__tray`, { headers: { 'x-harness-token': token } });
        return (await response.json()) as TrayModel;
      },
      async clickTray(id) {
        await fetch(`${running.url}/__tray/click`, {
          method: 'POST',
          headers: { 'x-harness-token': token, 'Content-Type': 'application/json' },
          body: JSON.stringify({ id })
        });
      }
    };
    await use(harness);
    await stopProcess(running.child);
    rmSync(dataDir, { recursive: true, force: true });
  },
  allowConsoleErrors: [null, { option: true }],
  app: async ({ page, harness, allowConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(harness.url);
    await use(page);
    const unexpected = errors.filter((text) => !allowConsoleErrors?.test(text));
    expect(unexpected, 'console errors in the page').toEqual([]);
  }
});

export { expect };

/** Polls the harness's tray model until it satisfies a check, and returns that model. */
export async function trayWhen(
  harness: HarnessProcess,
  check: (model: TrayModel) => boolean,
  timeout = 15_000
): Promise<TrayModel> {
  let last: TrayModel | undefined;
  await expect
    .poll(
      async () => {
        last = await harness.tray();
        return check(last);
      },
      { timeout, intervals: [100] }
    )
    .toBe(true);
  return last!;
}
