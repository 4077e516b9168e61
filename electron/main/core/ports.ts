/**
 * The platform parts the core takes from outside, so tests hand it real alternatives
 * (conf in a temp dir, keytar against gnome-keyring, the fake server) instead of Electron.
 */
import type { SecretLocation } from '@shared/domain';

/** A JSON key-value store: electron-store in the app, conf under Node. */
export interface KeyValueStore<T extends Record<string, unknown>> {
  get<K extends keyof T>(key: K): T[K];
  set<K extends keyof T>(key: K, value: T[K]): void;
  /** Path of the file behind it, for messages. */
  readonly path: string;
}

/** Where secrets live: the OS keychain (keytar) or an encrypted fallback. */
export interface SecretStore {
  readonly location: SecretLocation;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** Time, injectable so countdowns and pacing are testable. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  }
};
