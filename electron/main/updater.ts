/**
 * electron-updater behind the core's Updater port (core/updates/update-service.ts holds the flow).
 * Loaded on first use, so an app with "Check for updates" off never loads it. It never downloads on
 * its own: autoDownload is off and a download starts only from the user's yes.
 */
import type { AppUpdater } from 'electron-updater';
import type { Updater } from './core/updates/update-service';

export function electronUpdater(log: (line: string) => void): Updater {
  let loaded: Promise<AppUpdater> | null = null;
  const load = () =>
    (loaded ??= import('electron-updater').then(({ default: { autoUpdater } }) => {
      autoUpdater.autoDownload = false;
      // A download the user said yes to also installs when they quit instead of restarting.
      autoUpdater.autoInstallOnAppQuit = true;
      autoUpdater.logger = {
        info: (m: unknown) => log(`updater: ${String(m)}`),
        warn: (m: unknown) => log(`updater: ${String(m)}`),
        error: (m: unknown) => log(`updater: ${String(m)}`),
        debug: () => {}
      };
      autoUpdater.on('error', () => {}); // the promise of each call carries the error too
      return autoUpdater;
    }));

  return {
    async check() {
      const result = await (await load()).checkForUpdates();
      return result?.isUpdateAvailable ? { version: result.updateInfo.version } : null;
    },
    async download(onProgress) {
      const updater = await load();
      const progress = (info: { percent: number }) => onProgress(info.percent);
      updater.on('download-progress', progress);
      try {
        await updater.downloadUpdate();
      } finally {
        updater.off('download-progress', progress);
      }
    },
    quitAndInstall() {
      void load().then((updater) => updater.quitAndInstall());
    }
  };
}
