/**
 * A stand-in for electron-updater behind the Updater port: each check and download waits until the
 * test answers it, so every step of the flow (and what happens meanwhile) can be looked at.
 */
import type { Updater } from '../../../electron/main/core/updates/update-service';

interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

export class FakeUpdater implements Updater {
  checks = 0;
  downloads = 0;
  installs = 0;
  #check: Pending<{ version: string } | null> | null = null;
  #download: (Pending<void> & { progress(percent: number): void }) | null = null;

  check(): Promise<{ version: string } | null> {
    this.checks++;
    return new Promise((resolve, reject) => (this.#check = { resolve, reject }));
  }

  download(onProgress: (percent: number) => void): Promise<void> {
    this.downloads++;
    return new Promise((resolve, reject) => (this.#download = { resolve, reject, progress: onProgress }));
  }

  quitAndInstall(): void {
    this.installs++;
  }

  /** Answers the check in flight: a newer version, or null for "this is the latest". */
  answerCheck(found: string | null): void {
    this.#takeCheck().resolve(found === null ? null : { version: found });
  }
  failCheck(error: unknown): void {
    this.#takeCheck().reject(error);
  }
  progress(percent: number): void {
    if (!this.#download) throw new Error('no download in flight');
    this.#download.progress(percent);
  }
  finishDownload(): void {
    this.#takeDownload().resolve();
  }
  failDownload(error: unknown): void {
    this.#takeDownload().reject(error);
  }
  get checkInFlight(): boolean {
    return this.#check !== null;
  }

  #takeCheck(): Pending<{ version: string } | null> {
    const pending = this.#check;
    if (!pending) throw new Error('no check in flight');
    this.#check = null;
    return pending;
  }
  #takeDownload(): Pending<void> {
    const pending = this.#download;
    if (!pending) throw new Error('no download in flight');
    this.#download = null;
    return pending;
  }
}

/** Lets the service's awaits run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
