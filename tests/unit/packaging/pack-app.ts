/**
 * Packs the built app with electron-builder itself (its file matching, production-dependency
 * collection, asar and fuse flipping), for the host's Linux `dir` target. Electron's binary cannot be
 * downloaded here, so the Electron distribution is a stand-in: a file that carries the fuse wire
 * exactly where a real binary does (after @electron/fuses' sentinel), set to Electron's defaults.
 * Native modules are not rebuilt for Electron (that needs Electron's headers from the network).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SENTINEL } from '@electron/fuses/dist/constants';
import { PROJECT_DIR } from './builder-config';

/** Electron's own defaults, fuse by fuse (RunAsNode … GrantFileProtocolExtraPrivileges): '1' on. */
export const ELECTRON_DEFAULT_FUSES = '10110001';

export interface PackedApp {
  /** resources/app.asar */
  asar: string;
  /** the (stand-in) Electron executable after electron-builder renamed it and flipped its fuses */
  executable: string;
  resourcesDir: string;
  dispose(): void;
}

function standInElectron(): string {
  const dist = mkdtempSync(join(tmpdir(), 'od-electron-dist-'));
  mkdirSync(join(dist, 'resources'));
  const wire = Buffer.concat([
    Buffer.from('stand-in electron binary\n'),
    Buffer.from(SENTINEL),
    Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]),
    Buffer.from(ELECTRON_DEFAULT_FUSES),
    Buffer.from('\n')
  ]);
  writeFileSync(join(dist, 'electron'), wire, { mode: 0o755 });
  return dist;
}

export async function packApp(): Promise<PackedApp> {
  const output = mkdtempSync(join(tmpdir(), 'od-pack-'));
  const electronDist = standInElectron();
  const cli = join(PROJECT_DIR, 'node_modules/electron-builder/cli.js');
  const args = [
    cli,
    '--linux',
    'dir',
    `--${process.arch}`,
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    '-c.npmRebuild=false',
    `-c.directories.output=${output}`
  ];
  await promisify(execFile)(process.execPath, args, {
    cwd: PROJECT_DIR,
    env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    maxBuffer: 16 * 1024 * 1024
  });
  const unpacked = join(output, process.arch === 'x64' ? 'linux-unpacked' : `linux-${process.arch}-unpacked`);
  return {
    asar: join(unpacked, 'resources/app.asar'),
    executable: join(unpacked, 'ollama-desk'),
    resourcesDir: join(unpacked, 'resources'),
    dispose() {
      for (const dir of [output, electronDist]) rmSync(dir, { recursive: true, force: true });
    }
  };
}
