/**
 * electron-builder.yml as electron-builder reads it: its own validator accepts it (and, so that this
 * check can fail, rejects a misplaced option), and it asks for the targets, native-module unpacking
 * and Electron fuses the release needs.
 */
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { loadBuilderConfig, validateBuilderConfig } from './builder-config';

interface TargetEntry {
  target: string;
  arch?: string[];
}
function targets(platform: { target?: unknown } | null | undefined): TargetEntry[] {
  const list = (platform?.target ?? []) as (string | TargetEntry)[];
  return list.map((entry) => (typeof entry === 'string' ? { target: entry } : entry));
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own validator", async () => {
    await expect(validateBuilderConfig(await loadBuilderConfig())).resolves.toBeUndefined();
  });

  it('is rejected by the same validator when an option is misplaced', async () => {
    const config = await loadBuilderConfig();
    const broken = { ...config, linux: { ...config.linux, title: 'dmg-only option' } } as Configuration;
    await expect(validateBuilderConfig(broken)).rejects.toThrow(/configuration\.linux/);
  });

  it('names the app and takes its icons from build/', async () => {
    const config = await loadBuilderConfig();
    expect(config).toMatchObject({
      appId: 'app.ollamadesk.desktop',
      productName: 'Ollama Desk',
      directories: { buildResources: 'build' },
      linux: { icon: 'build/icon.png', category: 'Network' },
      mac: { icon: 'build/icon.png', category: 'public.app-category.productivity' },
      win: { icon: 'build/icon.png' }
    });
  });

  // Linux's x64 and arm64 come from two native runners (release-workflow.test.ts checks them).
  it('builds AppImage and deb for the Linux arch at hand, dmg for both Macs, NSIS for Windows', async () => {
    const config = await loadBuilderConfig();
    expect(targets(config.linux)).toEqual([{ target: 'AppImage' }, { target: 'deb' }]);
    expect(targets(config.mac)).toEqual(expect.arrayContaining([{ target: 'dmg', arch: ['x64', 'arm64'] }]));
    expect(targets(config.win).map((t) => t.target)).toEqual(['nsis']);
  });

  it('keeps the native modules (keytar, sharp and its libvips) out of the asar', async () => {
    const config = await loadBuilderConfig();
    expect(config.asar).not.toBe(false);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/keytar/**',
        '**/node_modules/sharp/**',
        '**/node_modules/@img/**'
      ])
    );
  });

  it('sets the Electron fuses: no Node mode, no NODE_OPTIONS or inspector, only a checked app.asar', async () => {
    const config = await loadBuilderConfig();
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    });
  });

  it('publishes to draft GitHub releases, which electron-updater reads', async () => {
    const config = await loadBuilderConfig();
    expect(config.publish).toMatchObject({ provider: 'github', releaseType: 'draft' });
  });
});
