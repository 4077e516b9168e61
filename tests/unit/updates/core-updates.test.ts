/**
 * "Check for updates" through the core's handler table, as the window reaches it: the setting in
 * settings.json drives the flow (off by default, on checks at once, the choice survives a restart)
 * and every step reaches the window as an updates:state event.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../shared/events';
import type { UpdateState } from '../../../shared/updates';
import type { Core } from '../../../electron/main/core/app-core';
import { createTestCore } from '../test-core';
import { ManualClock } from '../models/manual-clock';
import { FakeUpdater, settle } from './fake-updater';

const cores: Core[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string, updater: FakeUpdater | null) {
  const events: UpdateState[] = [];
  const clock = new ManualClock();
  const core = await createTestCore(dataDir, {
    env: { OLLAMA_HOST: 'http://127.0.0.1:1' },
    app: { version: '0.1.0', shell: 'test', platform: 'linux' },
    emit: (event: EventName, payload: unknown) => {
      if (event === 'updates:state') events.push(payload as UpdateState);
    },
    clock,
    updater
  });
  cores.push(core);
  return { core, events, clock };
}

describe('updates in the core', () => {
  it('stays off by default, checks once the setting is on, and keeps the choice across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'core-updates-'));
    dirs.push(dataDir);
    const updater = new FakeUpdater();
    const first = await start(dataDir, updater);
    expect((await first.core.handlers['settings:get'](undefined)).checkForUpdates).toBe(false);
    await expect(first.core.handlers['updates:state'](undefined)).resolves.toEqual({ phase: 'off' });
    first.clock.advance(24 * 60 * 60 * 1000);
    expect(updater.checks).toBe(0);

    await first.core.handlers['settings:set']({ checkForUpdates: true });
    expect(updater.checks).toBe(1);
    updater.answerCheck('0.2.0');
    await settle();
    expect(first.events).toEqual([{ phase: 'checking' }, { phase: 'available', version: '0.2.0' }]);
    expect(updater.downloads).toBe(0);

    const downloading = first.core.handlers['updates:download'](undefined);
    updater.progress(50);
    updater.finishDownload();
    await expect(downloading).resolves.toEqual({ phase: 'ready', version: '0.2.0' });
    expect(first.events.at(-2)).toEqual({ phase: 'downloading', version: '0.2.0', percent: 50 });
    await first.core.handlers['updates:install'](undefined);
    expect(updater.installs).toBe(1);
    await first.core.dispose();
    cores.length = 0;

    const second = await start(dataDir, new FakeUpdater());
    await expect(second.core.handlers['updates:state'](undefined)).resolves.toEqual({ phase: 'idle' });
  });

  it('where the app cannot update itself, turning the setting on says so', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'core-updates-'));
    dirs.push(dataDir);
    const { core } = await start(dataDir, null);
    await core.handlers['settings:set']({ checkForUpdates: true });
    await expect(core.handlers['updates:state'](undefined)).resolves.toMatchObject({ phase: 'unavailable' });
    await expect(core.handlers['updates:check'](undefined)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
