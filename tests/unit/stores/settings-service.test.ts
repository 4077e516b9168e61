import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '@shared/domain';
import { defaultSettings } from '../../../electron/main/core/settings/settings-file';
import { SettingsService } from '../../../electron/main/core/settings/settings-service';
import { confStoreFactory } from '../../../electron/main/core/store/conf-store-factory';
import type { CorruptInfo } from '../../../electron/main/core/store/open-json-store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

/** The switch settings' defaults, beside the ones each test names. */
const REST = { serverSwitch: 'ask', lastModels: {} } as const;

describe('SettingsService', () => {
  it('defaults to closing to the tray on Windows and Linux but not on macOS', () => {
    expect(defaultSettings('win32')).toEqual({
      closeToTray: true,
      theme: 'system',
      checkForUpdates: false,
      ...REST
    });
    expect(defaultSettings('linux')).toEqual({
      closeToTray: true,
      theme: 'system',
      checkForUpdates: false,
      ...REST
    });
    expect(defaultSettings('darwin')).toEqual({
      closeToTray: false,
      theme: 'system',
      checkForUpdates: false,
      ...REST
    });
  });

  it('reads the platform defaults, applies patches, persists them and tells listeners', async () => {
    const cwd = await tempDir();
    const settings = SettingsService.create({ factory: confStoreFactory, cwd, platform: 'darwin' });
    expect(settings.get()).toEqual({ closeToTray: false, theme: 'system', checkForUpdates: false, ...REST });
    const seen: Settings[] = [];
    settings.onChange((s) => seen.push(s));

    expect(settings.set({ theme: 'dark', checkForUpdates: false, ...REST })).toEqual({
      closeToTray: false,
      theme: 'dark',
      checkForUpdates: false,
      ...REST
    });
    expect(settings.set({ closeToTray: true })).toEqual({
      closeToTray: true,
      theme: 'dark',
      checkForUpdates: false,
      ...REST
    });
    expect(settings.set({})).toEqual({ closeToTray: true, theme: 'dark', checkForUpdates: false, ...REST });
    expect(seen).toHaveLength(2);
    expect(() => settings.set({ theme: 'neon' as 'dark' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' })
    );

    expect(JSON.parse(await readFile(join(cwd, 'settings.json'), 'utf8'))).toEqual({
      version: 1,
      closeToTray: true,
      theme: 'dark',
      checkForUpdates: false,
      ...REST
    });
    const reopened = SettingsService.create({ factory: confStoreFactory, cwd, platform: 'linux' });
    expect(reopened.get()).toEqual({ closeToTray: true, theme: 'dark', checkForUpdates: false, ...REST });
  });

  it('keeps "Check for updates" off until turned on, also for a file written before the setting existed', async () => {
    const cwd = await tempDir();
    await writeFile(
      join(cwd, 'settings.json'),
      JSON.stringify({ version: 1, closeToTray: false, theme: 'light' })
    );
    const settings = SettingsService.create({ factory: confStoreFactory, cwd, platform: 'linux' });
    expect(settings.get()).toEqual({ closeToTray: false, theme: 'light', checkForUpdates: false, ...REST });
    const seen: Settings[] = [];
    settings.onChange((s) => seen.push(s));
    expect(settings.set({ checkForUpdates: true, ...REST })).toMatchObject({
      checkForUpdates: true,
      ...REST
    });
    expect(seen).toEqual([{ closeToTray: false, theme: 'light', checkForUpdates: true, ...REST }]);
    const reopened = SettingsService.create({ factory: confStoreFactory, cwd, platform: 'linux' });
    expect(reopened.get().checkForUpdates).toBe(true);
    expect(() => settings.set({ checkForUpdates: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' })
    );
  });

  it('resets a corrupt settings file to the defaults, keeps the old one and reports it', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'settings.json'), '\u0000\u0001garbage');
    const told: CorruptInfo[] = [];
    const settings = SettingsService.create({
      factory: confStoreFactory,
      cwd,
      platform: 'linux',
      onCorrupt: (info) => told.push(info)
    });
    expect(settings.get()).toEqual({ closeToTray: true, theme: 'system', checkForUpdates: false, ...REST });
    expect(told).toHaveLength(1);
    const aside = (await readdir(cwd)).filter((n) => n.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(cwd, aside[0]!), 'utf8')).toBe('\u0000\u0001garbage');
  });

  it('keeps what a server switch does and the model last used on each server', async () => {
    const cwd = await tempDir();
    const settings = SettingsService.create({ factory: confStoreFactory, cwd, platform: 'linux' });
    expect(settings.set({ serverSwitch: 'new', lastModels: { p1: 'phi3:mini' } })).toMatchObject({
      serverSwitch: 'new',
      lastModels: { p1: 'phi3:mini' }
    });
    const reopened = SettingsService.create({ factory: confStoreFactory, cwd, platform: 'linux' });
    expect(reopened.get()).toMatchObject({ serverSwitch: 'new', lastModels: { p1: 'phi3:mini' } });
    expect(() => settings.set({ serverSwitch: 'sometimes' as 'ask' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' })
    );
  });
});
