/**
 * The GitHub workflows, parsed as YAML (no workflow linter installs from npm here) and checked for the
 * jobs the release needs: CI runs the README's test command the way .ci/run does on every push and
 * pull request; a version tag builds on Linux (x64 and arm64), macOS and Windows runners and attaches
 * the packages to a draft release; signing reads secrets and is skipped, with a printed line, without
 * them (the script is run here for real).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { PROJECT_DIR } from './builder-config';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  container?: string;
  env?: Record<string, string>;
  strategy?: { matrix: { include: Record<string, string | boolean>[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (path: string) => readFileSync(join(PROJECT_DIR, path), 'utf8');
const workflow = (name: string) => load(read(`.github/workflows/${name}`)) as Workflow;
const onlyJob = (flow: Workflow) => {
  const jobs = Object.values(flow.jobs);
  expect(jobs).toHaveLength(1);
  return jobs[0]!;
};

describe('ci.yml', () => {
  const flow = workflow('ci.yml');
  const job = onlyJob(flow);

  it('runs on every push and pull request, with read-only access', () => {
    expect(Object.keys(flow.on).sort()).toEqual(['pull_request', 'push']);
    expect(flow.on['push']).toBeNull();
    expect(flow.permissions).toEqual({ contents: 'read' });
  });

  it('runs .ci/run on Linux in a Debian container after checking out', () => {
    expect(job['runs-on']).toMatch(/^ubuntu-/);
    expect(job.container).toMatch(/^node:20-bookworm$/);
    expect(job.steps[0]!.uses).toMatch(/^actions\/checkout@v\d+$/);
    expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  it('runs, through .ci/run, the apt packages, npm ci and the README test command in a keyring session', () => {
    const script = read('.ci/run');
    for (const pkg of ['chromium', 'libsecret-1-dev', 'gnome-keyring', 'dbus']) expect(script).toContain(pkg);
    expect(script).toMatch(/^npm ci\b/m);
    expect(script).toMatch(/dbus-run-session -- sh -c '.*gnome-keyring-daemon --unlock.*; npm test'/);
    const readmeTest = /## Run every test\s+```sh\n(.+)\n```/.exec(read('README.md'));
    expect(readmeTest?.[1]).toBe('npm test');
  });
});

describe('release.yml', () => {
  const flow = workflow('release.yml');
  const job = onlyJob(flow);
  const matrix = job.strategy!.matrix.include;
  const step = (pattern: RegExp) => job.steps.find((s) => pattern.test(s.run ?? ''));

  it('runs on a version tag only, allowed to write releases', () => {
    expect(flow.on).toEqual({ push: { tags: ['v*'] } });
    expect(flow.permissions).toEqual({ contents: 'write' });
  });

  it('builds on Linux x64 and arm64, macOS and Windows runners', () => {
    expect(matrix.map((m) => [m['os'], m['builder-args']])).toEqual([
      ['ubuntu-latest', '--linux AppImage deb --x64'],
      ['ubuntu-24.04-arm', '--linux AppImage deb --arm64'],
      ['macos-latest', '--mac'],
      ['windows-latest', '--win']
    ]);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
  });

  it('installs, builds and attaches the packages to the draft release with the workflow token', () => {
    const runs = job.steps.map((s) => s.run ?? '');
    const order = [/^npm ci$/, /signing-env\.sh/, /^npx electron-vite build$/, /^npx electron-builder /].map(
      (pattern) => runs.findIndex((run) => pattern.test(run))
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const packageStep = step(/^npx electron-builder /)!;
    expect(packageStep.run).toBe('npx electron-builder ${{ matrix.builder-args }} --publish always');
    expect(packageStep.env?.['GH_TOKEN']).toBe('${{ secrets.GITHUB_TOKEN }}');
  });

  it('hands the signing secrets to the signing step through the environment only', () => {
    const secrets = Object.entries(job.env ?? {});
    expect(secrets.map(([, value]) => value)).toEqual(
      expect.arrayContaining([
        '${{ secrets.MACOS_CERTIFICATE }}',
        '${{ secrets.APPLE_ID }}',
        '${{ secrets.APPLE_APP_SPECIFIC_PASSWORD }}',
        '${{ secrets.APPLE_TEAM_ID }}',
        '${{ secrets.WINDOWS_CERTIFICATE }}'
      ])
    );
    for (const s of job.steps) expect(s.run ?? '').not.toContain('secrets.');
    expect(step(/signing-env\.sh/)!.run).toBe('bash .github/scripts/signing-env.sh ${{ matrix.platform }}');
  });

  it('pins every action to a major version', () => {
    const uses = [...job.steps, ...onlyJob(workflow('ci.yml')).steps].map((s) => s.uses).filter(Boolean);
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^actions\/[a-z-]+@v\d+$/);
  });
});

describe('signing-env.sh', () => {
  function run(platform: string, env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'od-signing-'));
    const envFile = join(dir, 'github-env');
    writeFileSync(envFile, '');
    try {
      const stdout = execFileSync('bash', [join(PROJECT_DIR, '.github/scripts/signing-env.sh'), platform], {
        env: { PATH: process.env['PATH'] ?? '', GITHUB_ENV: envFile, ...env },
        encoding: 'utf8'
      });
      return { stdout, exported: readFileSync(envFile, 'utf8') };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('skips macOS signing and notarization with a printed line when no secret is set', () => {
    const { stdout, exported } = run('mac', { MACOS_CERTIFICATE: '', APPLE_ID_SECRET: '' });
    expect(stdout).toContain('macOS signing skipped: the MACOS_CERTIFICATE and MACOS_CERTIFICATE_PASSWORD');
    expect(stdout).toContain('macOS notarization skipped');
    expect(exported).toBe('CSC_IDENTITY_AUTO_DISCOVERY=false\n');
  });

  it('hands the macOS certificate and Apple ID to electron-builder when they are set', () => {
    const { stdout, exported } = run('mac', {
      MACOS_CERTIFICATE: 'base64-p12',
      MACOS_CERTIFICATE_PASSWORD: 'p12-password',
      APPLE_ID_SECRET: 'dev@example.com',
      APPLE_APP_SPECIFIC_PASSWORD_SECRET: 'app-password',
      APPLE_TEAM_ID_SECRET: 'TEAM123'
    });
    expect(stdout).toContain('macOS signing: on');
    expect(stdout).toContain('macOS notarization: on');
    expect(exported.split('\n').filter(Boolean)).toEqual([
      'CSC_LINK=base64-p12',
      'CSC_KEY_PASSWORD=p12-password',
      'APPLE_ID=dev@example.com',
      'APPLE_APP_SPECIFIC_PASSWORD=app-password',
      'APPLE_TEAM_ID=TEAM123'
    ]);
  });

  it('skips Windows signing with a printed line without a certificate, and signs with one', () => {
    const without = run('win', {});
    expect(without.stdout).toContain('Windows signing skipped');
    expect(without.exported).toBe('');
    const withCert = run('win', { WINDOWS_CERTIFICATE: 'base64-pfx', WINDOWS_CERTIFICATE_PASSWORD: 'pw' });
    expect(withCert.stdout).toContain('Windows signing: on');
    expect(withCert.exported).toBe('WIN_CSC_LINK=base64-pfx\nWIN_CSC_KEY_PASSWORD=pw\n');
  });
});
