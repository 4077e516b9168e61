/**
 * Electron's release data as shipped in packages (no network at test time): every stable version
 * known to `electron-releases` (its lite.json, with each release's Node and Chrome) and to
 * `electron-to-chromium` (each Electron version's Chromium; it is republished with every Electron
 * release, while electron-releases' own data stops in 2022). Electron patches only its latest three
 * stable majors.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const SUPPORTED_MAJORS = 3;

export interface KnownRelease {
  version: string;
  /** Chromium version, when a source says. */
  chrome?: string;
  /** Node version built in, when a source says. */
  node?: string;
}

const STABLE = /^\d+\.\d+\.\d+$/;

export const majorOf = (version: string): number => Number.parseInt(version.replace(/^[^\d]*/, ''), 10);

/** Stable releases from both packages, merged by version. */
export function knownStableReleases(): KnownRelease[] {
  const byVersion = new Map<string, KnownRelease>();
  const lite = require('electron-releases/lite.json') as {
    version: string;
    prerelease: boolean;
    deps?: { node?: string; chrome?: string };
  }[];
  for (const release of lite) {
    if (release.prerelease || !STABLE.test(release.version)) continue;
    byVersion.set(release.version, {
      version: release.version,
      ...(release.deps?.chrome ? { chrome: release.deps.chrome } : {}),
      ...(release.deps?.node ? { node: release.deps.node } : {})
    });
  }
  const chromium = require('electron-to-chromium/full-versions.json') as Record<string, string>;
  for (const [version, chrome] of Object.entries(chromium)) {
    if (!STABLE.test(version)) continue;
    byVersion.set(version, { ...byVersion.get(version), version, chrome });
  }
  return [...byVersion.values()];
}

/** The newest `count` stable majors, newest first. */
export function latestStableMajors(releases: KnownRelease[], count = SUPPORTED_MAJORS): number[] {
  const majors = [...new Set(releases.map((r) => majorOf(r.version)))].sort((a, b) => b - a);
  return majors.slice(0, count);
}
