/**
 * The store factory for plain Node (tests, the harness): conf, which electron-store wraps.
 * The app passes `(opts) => new ElectronStore(opts)` instead; electron-store maps `name` to
 * conf's `configName` itself.
 */
import Conf from 'conf';
import type { StoreFactory } from './open-json-store';

export const confStoreFactory: StoreFactory = ({ name, cwd, defaults }) =>
  new Conf<Record<string, unknown>>({ configName: name, cwd, defaults });
