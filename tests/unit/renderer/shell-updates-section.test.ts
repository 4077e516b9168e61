// @vitest-environment jsdom
/**
 * Settings → "Check for updates", rendered alone over a scripted main: off until switched on; a found
 * version is only offered, and downloaded on the user's "Download"; progress, "Restart now", "Not now"
 * and "Try again" reach main as the matching calls; what main says is read out in a status region.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import type { Settings } from '../../../shared/domain';
import type { UpdateState } from '../../../shared/updates';
import { AppState } from '../../../renderer/src/lib/state/app.svelte';
import UpdatesSection from '../../../renderer/src/components/shell/UpdatesSection.svelte';
import { installScriptedApi } from './scripted-api';

afterEach(() => cleanup());

const ok = <T>(value: T) => ({ ok: true as const, value });

async function mount(
  initial: UpdateState,
  enabled: boolean,
  answers: Partial<Record<string, UpdateState>> = {}
) {
  let settings: Settings = {
    closeToTray: true,
    theme: 'system',
    checkForUpdates: enabled,
    serverSwitch: 'ask',
    lastModels: {}
  };
  const api = installScriptedApi('updates:state', {
    'updates:state': () => ok(initial),
    'settings:set': (patch) => ok((settings = { ...settings, ...(patch as Partial<Settings>) })),
    'updates:check': () => ok(answers['updates:check'] ?? initial),
    'updates:download': () => ok(answers['updates:download'] ?? initial),
    'updates:postpone': () => ok(answers['updates:postpone'] ?? initial),
    'updates:install': () => ok(undefined)
  });
  const app = new AppState();
  app.settings = settings;
  render(UpdatesSection, { app });
  await tick();
  await Promise.resolve();
  await tick();
  const updateCalls = () => api.calls.map((c) => c.name).filter((n) => n !== 'updates:state');
  return { api, app, updateCalls };
}

describe('UpdatesSection', () => {
  it('is off by default: the switch is unchecked and nothing is checked or offered', async () => {
    const { updateCalls, app, api } = await mount({ phase: 'off' }, false);
    const box = screen.getByRole('checkbox', { name: 'Check for updates' });
    expect((box as HTMLInputElement).checked).toBe(false);
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.getByRole('status').textContent?.trim()).toBe('');

    await fireEvent.click(box);
    await tick();
    expect(api.calls.find((c) => c.name === 'settings:set')?.input).toEqual({ checkForUpdates: true });
    expect(app.settings.checkForUpdates).toBe(true);
    expect(updateCalls()).toEqual(['settings:set']);
  });

  it('offers a found version and downloads only on "Download", then shows progress and "Restart now"', async () => {
    const { api, updateCalls } = await mount({ phase: 'available', version: '0.2.0' }, true, {
      'updates:download': { phase: 'downloading', version: '0.2.0', percent: 0 }
    });
    expect(screen.getByRole('status').textContent).toContain('Version 0.2.0 is available. Download it now?');
    expect(updateCalls()).toEqual([]);

    await fireEvent.click(screen.getByRole('button', { name: 'Download' }));
    await tick();
    expect(updateCalls()).toEqual(['updates:download']);

    api.emit({ phase: 'downloading', version: '0.2.0', percent: 40 });
    await tick();
    expect(screen.getByRole('status').textContent).toContain('Downloading version 0.2.0… 40%');
    expect(
      (screen.getByRole('progressbar', { name: 'Download progress' }) as HTMLProgressElement).value
    ).toBe(40);
    expect(screen.queryAllByRole('button')).toEqual([]);

    api.emit({ phase: 'ready', version: '0.2.0' });
    await tick();
    expect(screen.getByRole('status').textContent).toContain(
      'Version 0.2.0 is ready. Restart to finish the update'
    );
    await fireEvent.click(screen.getByRole('button', { name: 'Restart now' }));
    expect(updateCalls()).toEqual(['updates:download', 'updates:install']);
  });

  it('"Not now" sets the offer aside and leaves a way to download or check again', async () => {
    const { updateCalls } = await mount({ phase: 'available', version: '0.2.0' }, true, {
      'updates:postpone': { phase: 'postponed', version: '0.2.0' }
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    await tick();
    expect(updateCalls()).toEqual(['updates:postpone']);
    expect(screen.getByRole('status').textContent).toContain(
      'Version 0.2.0 is available whenever you want it.'
    );
    expect(screen.getByRole('button', { name: 'Download' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Check now' })).toBeTruthy();
  });

  it('reads out what went wrong and retries the step that failed', async () => {
    const failedDownload: UpdateState = {
      phase: 'error',
      retry: 'download',
      version: '0.2.0',
      message: 'The download was interrupted. Check your internet connection and try again.'
    };
    const { updateCalls, api } = await mount(failedDownload, true);
    expect(screen.getByRole('status').textContent).toContain('The download was interrupted.');
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(updateCalls()).toEqual(['updates:download']);

    api.emit({ phase: 'error', retry: 'check', message: 'Could not reach the release server.' });
    await tick();
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(updateCalls()).toEqual(['updates:download', 'updates:check']);
  });

  it('checks on "Check now" and says when this copy cannot update itself', async () => {
    const { updateCalls, api } = await mount({ phase: 'idle' }, true, {
      'updates:check': { phase: 'current', checkedAt: Date.parse('2026-01-01T09:30:00') }
    });
    expect(screen.getByRole('status').textContent).toContain('Not checked yet.');
    await fireEvent.click(screen.getByRole('button', { name: 'Check now' }));
    await tick();
    expect(updateCalls()).toEqual(['updates:check']);
    expect(screen.getByRole('status').textContent).toMatch(/Ollama Desk is up to date \(checked at 0?9.30/);

    api.emit({
      phase: 'unavailable',
      message: 'This copy of Ollama Desk runs from source and cannot update itself.'
    });
    await tick();
    expect(screen.getByRole('status').textContent).toContain('runs from source');
    expect(screen.queryAllByRole('button')).toEqual([]);
  });
});
