/**
 * Nothing the app needs at run time is a dev dependency: package.json and package-lock.json are
 * copied to a temporary directory, installed with `npm ci --omit=dev --ignore-scripts` from the
 * registry, the built out/ and resources/ are put beside them, and the built main bundle is started
 * there under plain Node with node_modules/electron being our recording fake (production-driver.mjs).
 * It must open its window, register every handler, answer calls, and load electron-updater when
 * "Check for updates" is turned on. Scripts are skipped (keytar's would fetch a prebuilt binary), so
 * keytar cannot load and the app must fall back from the keychain, as it does anywhere keytar fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { CALL_NAMES } from '../../../shared/contract';
import { PROJECT_DIR } from './builder-config';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Report {
  ok: boolean;
  error?: string;
  loaded?: string;
  handlers?: number;
  info?: { ok: boolean; value?: { name: string; secretBackend: string } };
  profiles?: { ok: boolean; value?: { profiles: unknown[] } };
  tray?: number;
  update?: { ok: boolean; value: { phase: string } };
  log: string[];
}

let dir: string;
let report: Report;

beforeAll(async () => {
  if (!existsSync(join(PROJECT_DIR, 'out/main/index.js'))) throw new Error('run `npm run build` first');
  dir = mkdtempSync(join(tmpdir(), 'od-production-'));
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(PROJECT_DIR, file), join(dir, file));
  await run(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024
  });
  for (const sub of ['out', 'resources']) cpSync(join(PROJECT_DIR, sub), join(dir, sub), { recursive: true });
  // Electron provides `electron` to the app at run time; here the fake stands in for it.
  const fake = join(dir, 'node_modules/electron');
  mkdirSync(fake, { recursive: true });
  writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.cjs' }));
  await build({
    entryPoints: [join(PROJECT_DIR, 'tests/unit/platform/fake-electron.ts')],
    outfile: join(fake, 'index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent'
  });
  cpSync(join(import.meta.dirname, 'production-driver.mjs'), join(dir, 'driver.mjs'));
  const { stdout } = await run(process.execPath, ['driver.mjs'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, OLLAMA_HOST: 'http://127.0.0.1:9' },
    timeout: 60_000
  });
  report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built main bundle on production dependencies only', () => {
  it('installs without a single dev dependency', () => {
    for (const name of ['vitest', 'electron-builder', 'svelte', 'typescript', 'tsx']) {
      expect(existsSync(join(dir, 'node_modules', name))).toBe(false);
    }
    expect(existsSync(join(dir, 'node_modules/electron-updater/package.json'))).toBe(true);
  });

  it('starts, opens its window and registers every handler', () => {
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.loaded).toBe('app://ollama-desk/index.html');
    expect(report.handlers).toBe(CALL_NAMES.length);
    expect(report.tray).toBe(1);
  });

  it('answers calls, with secrets kept outside the keychain since keytar cannot load', () => {
    expect(report.info).toMatchObject({ ok: true, value: { name: 'Ollama Desk' } });
    expect(report.info?.value?.secretBackend).not.toBe('keychain');
    expect(report.profiles).toMatchObject({ ok: true, value: { profiles: [expect.anything()] } });
  });

  it('loads electron-updater from the install when "Check for updates" is turned on', () => {
    expect(report.update?.ok).toBe(true);
    expect(report.log.filter((line) => line.includes('updater:')).length).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      // electron-updater's own verdict: run outside an AppImage, there is nothing it may replace.
      expect(report.log).toContain(
        '[ollama-desk] updater: APPIMAGE env is not defined, current application is not an AppImage'
      );
      expect(report.update?.value.phase).toBe('current');
    }
    // keytar's own native binary is missing on purpose (scripts skipped); nothing else may be.
    const missing = report.log.filter(
      (line) =>
        /Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(line) && !line.includes('keytar.node')
    );
    expect(missing).toEqual([]);
  });
});
