/**
 * What a release ships, packed by electron-builder from electron-builder.yml (see pack-app.ts): the
 * asar holds the built bundles, the run-time icons and the production dependencies, nothing from the
 * tests, the bench, the sources or the dev dependencies; native modules sit beside it, unpacked; and
 * the fuses in the packed executable are the ones the configuration asks for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { FuseV1Options } from '@electron/fuses/dist/config';
import { FuseState } from '@electron/fuses/dist/constants';
import { PROJECT_DIR } from './builder-config';
import { packApp, type PackedApp } from './pack-app';

interface LockEntry {
  name?: string;
  version?: string;
  dev?: boolean;
}
const lock = JSON.parse(readFileSync(join(PROJECT_DIR, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let packed: PackedApp;
let files: string[];

beforeAll(async () => {
  if (!existsSync(join(PROJECT_DIR, 'out/main/index.js'))) throw new Error('run `npm run build` first');
  packed = await packApp();
  files = listPackage(packed.asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
}, 240_000);

afterAll(() => packed?.dispose());

/** Every installed package in the archive, as name@version (electron-builder hoists them anew). */
function packagedPackages(): string[] {
  const found = new Set<string>();
  for (const file of files) {
    if (!/^\/(?:node_modules\/(?:@[^/]+\/)?[^/]+\/)+package\.json$/.test(file)) continue;
    const { name, version } = JSON.parse(
      extractFile(packed.asar, file.slice(1)).toString('utf8')
    ) as LockEntry;
    // Some packages ship a nested package.json without a name (a module-type marker): not a package.
    if (name && version) found.add(`${name}@${version}`);
  }
  return [...found].sort();
}

/** name@version of every package in package-lock.json that the app needs at run time. */
function productionPackages(): Set<string> {
  const out = new Set<string>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key || entry.dev === true) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.add(`${name}@${entry.version}`);
  }
  return out;
}

describe('the packaged app', () => {
  it('holds the built main, preload and renderer, and the run-time icons', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/resources/trayTemplate.png',
        '/resources/trayTemplate@2x.png',
        '/resources/tray-dark.png',
        '/resources/tray-light.png'
      ])
    );
  });

  it('holds nothing from the tests, the bench, the sources or the build configuration', () => {
    const foreign = files.filter((f) =>
      /^\/(tests|bench|electron|renderer|shared|build|\.ci|\.github)(\/|$)|^\/[^/]+\.(ts|yml|md)$|\.map$/.test(
        f
      )
    );
    expect(foreign).toEqual([]);
    const topLevel = new Set(files.map((f) => f.split('/')[1]));
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json', 'resources']);
  });

  it('holds every production dependency and no package that only development needs', () => {
    const packages = packagedPackages();
    const names = new Set(packages.map((p) => p.slice(0, p.lastIndexOf('@'))));
    for (const name of Object.keys(manifest.dependencies)) expect(names).toContain(name);
    for (const name of Object.keys(manifest.devDependencies)) expect(names).not.toContain(name);
    const production = productionPackages();
    expect(packages.filter((p) => !production.has(p))).toEqual([]);
    expect(packages.length).toBeGreaterThan(Object.keys(manifest.dependencies).length);
  });

  it('unpacks the native modules next to the asar, where they can load', () => {
    const unpacked = join(packed.resourcesDir, 'app.asar.unpacked/node_modules');
    expect(existsSync(join(unpacked, 'keytar/package.json'))).toBe(true);
    expect(existsSync(join(unpacked, 'sharp/package.json'))).toBe(true);
    const platformSharp = join(unpacked, `@img/sharp-${process.platform}-${process.arch}`);
    expect(existsSync(platformSharp)).toBe(true);
  });

  it('flips the fuses in the packed executable as the configuration asks', async () => {
    const wire = await getCurrentFuseWire(packed.executable);
    const state = (fuse: FuseV1Options) => wire[fuse];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(FuseState.DISABLE);
  });
});
