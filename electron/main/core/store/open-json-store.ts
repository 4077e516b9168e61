/**
 * Opens a JSON settings file (electron-store in the app, conf under Node) with a zod schema,
 * defaults and versioned migrations. The file holds `{ version, ...data }`.
 *
 * We read, migrate and validate the file ourselves before the store library opens it, because
 * conf throws on malformed JSON and would otherwise either crash the app or (with
 * clearInvalidConfig) silently wipe the user's data. A bad file is moved aside instead, defaults
 * load and the caller is told, so the UI can say so.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '@shared/errors';
import type { KeyValueStore } from '../ports';

/**
 * Builds the underlying store. Takes the options both `new Conf(…)` (with `configName`) and
 * `new ElectronStore(…)` understand, so the app can pass `(opts) => new ElectronStore(opts)`.
 */
export type StoreFactory = (opts: StoreFactoryOptions) => KeyValueStore<Record<string, unknown>>;

export interface StoreFactoryOptions {
  /** File name without `.json`. */
  name: string;
  /** Absolute directory of the file. */
  cwd: string;
  defaults: Record<string, unknown>;
}

/** Migrates the data of the previous version to `version` (the key it is filed under). */
export type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

export interface CorruptInfo {
  /** The file that could not be used. */
  path: string;
  /** Where it was moved; null when moving it failed too (it will be overwritten). */
  movedTo: string | null;
  /** Why it was refused: not JSON, failed the schema, a migration threw. */
  reason: string;
}

export interface OpenJsonStoreOptions<S extends z.ZodType<Record<string, unknown>>> {
  factory: StoreFactory;
  /** File name without `.json`. */
  name: string;
  /** Absolute directory of the file. */
  cwd: string;
  schema: S;
  defaults: z.output<S>;
  /** The version this code writes; starts at 1. */
  version: number;
  /** Keyed by target version; those above the file's version run in ascending order. */
  migrations?: Record<number, Migration>;
  onCorrupt?: (info: CorruptInfo) => void;
  now?: () => number;
}

export const VERSION_KEY = 'version';

/** conf and electron-store have delete(); the port does not need it otherwise. */
interface Deletable {
  delete(key: string): void;
}

type Loaded =
  | { kind: 'missing' }
  | { kind: 'ok'; data: Record<string, unknown>; rewrite: boolean; version: number }
  | { kind: 'corrupt'; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeZodError(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'failed the schema';
  const at = first.path.length > 0 ? first.path.join('.') : '(root)';
  return `failed the schema at ${at}: ${first.message}`;
}

function load<S extends z.ZodType<Record<string, unknown>>>(
  file: string,
  opts: OpenJsonStoreOptions<S>
): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: `cannot be read: ${(error as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', reason: `is not JSON: ${(error as Error).message}` };
  }
  if (!isPlainObject(raw)) return { kind: 'corrupt', reason: 'is not a JSON object' };

  const { [VERSION_KEY]: rawVersion, ...rest } = raw;
  // A file written before versioning existed counts as version 0.
  const fileVersion = rawVersion === undefined ? 0 : rawVersion;
  if (typeof fileVersion !== 'number' || !Number.isInteger(fileVersion) || fileVersion < 0) {
    return { kind: 'corrupt', reason: `has an invalid version (${JSON.stringify(rawVersion)})` };
  }

  let data: Record<string, unknown> = rest;
  const steps = Object.keys(opts.migrations ?? {})
    .map(Number)
    .filter((v) => v > fileVersion && v <= opts.version)
    .sort((a, b) => a - b);
  for (const step of steps) {
    const migrate = opts.migrations?.[step];
    if (!migrate) continue;
    try {
      data = migrate(structuredClone(data));
    } catch (error) {
      return {
        kind: 'corrupt',
        reason: `could not be migrated to version ${step}: ${(error as Error).message}`
      };
    }
  }

  // Keys the file lacks (added in a later version without a migration) take their defaults.
  const parsed = opts.schema.safeParse({ ...structuredClone(opts.defaults), ...data });
  if (!parsed.success) return { kind: 'corrupt', reason: describeZodError(parsed.error) };

  // A file from a newer app keeps its version mark so that app does not migrate it again.
  const version = Math.max(fileVersion, opts.version);
  const rewrite = fileVersion !== version || JSON.stringify(parsed.data) !== JSON.stringify(rest);
  return { kind: 'ok', data: parsed.data, rewrite, version };
}

function moveAside(file: string, now: number): string | null {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  if (existsSync(target)) target = `${target}-${randomBytes(3).toString('hex')}`;
  try {
    renameSync(file, target);
    return target;
  } catch {
    return null;
  }
}

/** Writes via temp file + rename so a crash never leaves half a file. */
function writeAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, file);
}

/** Stands in for the file when it cannot be written: values live only until the app quits. */
function memoryStore(path: string): KeyValueStore<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  return {
    path,
    get: (key) => values[key],
    set: (key, value) => {
      values[key] = value;
    }
  };
}

/**
 * Opens the store. Values are kept in memory after a validated load, so reads never hit a file
 * that something else may have broken since; writes go through to the file.
 */
export function openJsonStore<S extends z.ZodType<Record<string, unknown>>>(
  opts: OpenJsonStoreOptions<S>
): KeyValueStore<z.output<S>> {
  type T = z.output<S>;
  const file = resolve(opts.cwd, `${opts.name}.json`);
  const now = opts.now ?? Date.now;
  const loaded = load(file, opts);

  let data: Record<string, unknown> = structuredClone(opts.defaults);
  let version = opts.version;
  let inner: KeyValueStore<Record<string, unknown>>;
  let problem: CorruptInfo | null = null;
  try {
    if (loaded.kind === 'ok') {
      data = loaded.data;
      version = loaded.version;
      if (loaded.rewrite) writeAtomic(file, JSON.stringify({ [VERSION_KEY]: version, ...data }, null, '\t'));
    } else if (loaded.kind === 'corrupt') {
      const movedTo = moveAside(file, now());
      writeAtomic(file, JSON.stringify({ [VERSION_KEY]: version, ...data }, null, '\t'));
      problem = { path: file, movedTo, reason: `${file} ${loaded.reason}` };
    }
    inner = opts.factory({
      name: opts.name,
      cwd: opts.cwd,
      defaults: { [VERSION_KEY]: version, ...structuredClone(opts.defaults) }
    });
  } catch (error) {
    // The file cannot be written (read-only or full disk, a file where the folder should be):
    // keep working in memory rather than refuse to start, and say so.
    inner = memoryStore(file);
    problem = {
      path: file,
      movedTo: problem?.movedTo ?? null,
      reason: `${file} cannot be written (${(error as Error).message}); changes will not be saved`
    };
  }
  if (problem) opts.onCorrupt?.(problem);
  let cache = data as T;

  return {
    path: inner.path,
    get(key) {
      return cache[key];
    },
    set(key, value) {
      // Refuse to write what the next start would have to throw away as corrupt.
      const next = opts.schema.safeParse({ ...cache, [key]: value });
      if (!next.success) {
        throw new AppError(
          'INTERNAL',
          `Refused to write ${String(key)} to ${file}: ${describeZodError(next.error)}`
        );
      }
      const stored = (next.data as T)[key];
      // conf refuses `undefined` (it wants delete()); an optional key being cleared is a delete.
      if (stored === undefined) (inner as Partial<Deletable>).delete?.(key as string);
      else inner.set(key as string, stored);
      cache = next.data as T;
    }
  };
}
