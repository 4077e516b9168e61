/**
 * The pinned Electron must be one of the latest three stable majors in the release data we ship:
 * Electron patches Chromium only there, and our window renders untrusted model output. When a new
 * major ships and the data is updated, this fails until Electron is moved on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownStableReleases, latestStableMajors, majorOf, SUPPORTED_MAJORS } from './electron-releases';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const installed = (require('electron/package.json') as { version: string }).version;

describe('Electron support', () => {
  it('package.json pins the major that is installed', () => {
    expect(majorOf(manifest.devDependencies['electron']!)).toBe(majorOf(installed));
  });

  it(`the pinned major is among the latest ${SUPPORTED_MAJORS} stable majors`, () => {
    const releases = knownStableReleases();
    const supported = latestStableMajors(releases);
    const pinned = majorOf(installed);
    // Data older than what we pin cannot judge it: say so instead of passing.
    expect(supported[0], 'the shipped release data does not know the pinned Electron').toBeGreaterThanOrEqual(
      pinned
    );
    expect(supported, `Electron ${pinned} is out of support; move to ${supported[0]}`).toContain(pinned);
  });

  it('judges by majors: an old major falls out once three newer ones ship', () => {
    const releases = ['40.1.0', '41.0.0', '42.0.0', '43.2.1', '43.0.0'].map((version) => ({ version }));
    expect(latestStableMajors(releases)).toEqual([43, 42, 41]);
    expect(latestStableMajors(releases)).not.toContain(40);
  });
});
