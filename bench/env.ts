/**
 * The benchmark's world: the fake Ollama server in a process of its own (with the write probe around
 * its replies, see fake-process.ts), the harness in this process, the app in headless Chromium with
 * the page probe, and a cleanup that undoes all of it whatever failed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../tests/harness/server';
import { installPageProbe } from './page-probe';
import { startRemoteFake, type RemoteFake } from './remote-fake';
import { installWsProbe, type WsProbe } from './ws-probe';

export interface BenchEnv {
  /** The fake server; it also timestamps its own socket writes (firstWrite, end). */
  fake: RemoteFake;
  harness: Harness;
  browser: Browser;
  page: Page;
  wsProbe: WsProbe;
  dataDir: string;
  /** Page errors seen so far (the app should have none). */
  pageErrors: string[];
  close(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

/** Rejects when `promise` takes longer than ms. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface BenchEnvOptions {
  /** Another build of the renderer (e.g. unminified, for profiling); default out/renderer. */
  rendererDir?: string;
}

export async function startBenchEnv(opts: BenchEnvOptions = {}): Promise<BenchEnv> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await withTimeout(Promise.resolve(cleanup()), 10_000, 'cleanup');
      } catch (error) {
        console.error(`bench: cleanup failed: ${String(error)}`);
      }
    }
  };
  try {
    const wsProbe = installWsProbe();
    cleanups.push(() => wsProbe.uninstall());
    const dataDir = await mkdtemp(join(tmpdir(), 'ollama-desk-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const fake = await startRemoteFake();
    cleanups.push(() => fake.close());
    const harness = await withTimeout(
      startHarness({
        port: 0,
        dataDir,
        env: { OLLAMA_HOST: fake.url },
        ...(opts.rendererDir ? { rendererDir: opts.rendererDir } : {})
      }),
      30_000,
      'harness start'
    );
    cleanups.push(() => harness.close());
    const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
    const browser = await chromium.launch({
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      ...(executablePath ? { executablePath } : {})
    });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    context.setDefaultTimeout(15_000);
    // tsx (esbuild keepNames) may wrap nested functions in __name(): give the page a no-op one.
    await context.addInitScript({
      content: `var __name = (f) => f;\n(${installPageProbe.toString()})();`
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    return { fake, harness, browser, page, wsProbe, dataDir, pageErrors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
