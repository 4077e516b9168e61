import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { confStoreFactory } from '../../../electron/main/core/store/conf-store-factory';
import { openJsonStore, type CorruptInfo } from '../../../electron/main/core/store/open-json-store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

// Version 3 of a made-up file: v1 had `colour`, v2 renamed it to `color`, v3 added `size`.
const schema = z.object({ color: z.string(), size: z.number().int(), tags: z.array(z.string()) });
const defaults = { color: 'blue', size: 1, tags: [] as string[] };
const migrations = {
  2: (d: Record<string, unknown>) => {
    const { colour, ...rest } = d;
    return { ...rest, color: colour };
  },
  3: (d: Record<string, unknown>) => ({ ...d, size: String(d.color).length })
};

function open(
  cwd: string,
  onCorrupt?: (info: CorruptInfo) => void,
  now = () => Date.UTC(2025, 0, 2, 3, 4, 5)
) {
  return openJsonStore({
    factory: confStoreFactory,
    name: 'things',
    cwd,
    schema,
    defaults,
    version: 3,
    migrations,
    onCorrupt,
    now
  });
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

describe('openJsonStore', () => {
  it('starts from the defaults, writes the version, and keeps what was set across a reopen', async () => {
    const dir = await tempDir();
    const store = open(dir);
    expect(store.path).toBe(join(dir, 'things.json'));
    expect(store.get('color')).toBe('blue');
    store.set('tags', ['a', 'b']);
    expect(await readJson(store.path)).toEqual({ version: 3, color: 'blue', size: 1, tags: ['a', 'b'] });

    const again = open(dir);
    expect(again.get('tags')).toEqual(['a', 'b']);
  });

  it('runs the migrations above the file version in ascending order and rewrites the file', async () => {
    const dir = await tempDir();
    const order: number[] = [];
    const tracked = Object.fromEntries(
      Object.entries(migrations).map(([v, m]) => [
        v,
        (d: Record<string, unknown>) => (order.push(Number(v)), m(d))
      ])
    );
    await writeFile(join(dir, 'things.json'), JSON.stringify({ version: 1, colour: 'green', tags: ['x'] }));
    const store = openJsonStore({
      factory: confStoreFactory,
      name: 'things',
      cwd: dir,
      schema,
      defaults,
      version: 3,
      migrations: tracked
    });
    expect(order).toEqual([2, 3]);
    expect(store.get('color')).toBe('green');
    expect(store.get('size')).toBe(5);
    expect(await readJson(store.path)).toEqual({ version: 3, color: 'green', size: 5, tags: ['x'] });
  });

  it('runs only the migrations the file has not had yet', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'things.json'), JSON.stringify({ version: 2, color: 'red', tags: [] }));
    const store = open(dir);
    expect(store.get('size')).toBe(3);
  });

  it('treats a file without a version as version 0 and fills keys it lacks from the defaults', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'things.json'), JSON.stringify({ colour: 'teal' }));
    const store = open(dir);
    expect(store.get('color')).toBe('teal');
    expect(store.get('tags')).toEqual([]);
  });

  it('moves a file that is not JSON aside, loads the defaults and tells the caller', async () => {
    const dir = await tempDir();
    const file = join(dir, 'things.json');
    await writeFile(file, '{"version": 3, "color": "bl');
    const told: CorruptInfo[] = [];
    const store = open(dir, (info) => told.push(info));

    expect(store.get('color')).toBe('blue');
    const names = await readdir(dir);
    const aside = names.find((n) => n.startsWith('things.json.corrupt-'));
    expect(aside).toBe('things.json.corrupt-2025-01-02T03-04-05-000Z');
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{"version": 3, "color": "bl');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ path: file, movedTo: join(dir, aside!) });
    expect(told[0]?.reason).toMatch(/not JSON/);
    // The store works and the new file is valid.
    store.set('color', 'red');
    expect(await readJson(file)).toMatchObject({ version: 3, color: 'red' });
  });

  it('moves aside a file that fails the schema after migration', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'things.json'), JSON.stringify({ version: 3, color: 7, size: 1, tags: [] }));
    const told: CorruptInfo[] = [];
    const store = open(dir, (info) => told.push(info));
    expect(store.get('color')).toBe('blue');
    expect(told[0]?.reason).toMatch(/schema at color/);
    expect((await readdir(dir)).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
  });

  it('moves aside a file whose migration throws, and one that is not an object', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'things.json'), JSON.stringify({ version: 1, colour: 'x', tags: [] }));
    const told: CorruptInfo[] = [];
    openJsonStore({
      factory: confStoreFactory,
      name: 'things',
      cwd: dir,
      schema,
      defaults,
      version: 2,
      migrations: {
        2: () => {
          throw new Error('boom');
        }
      },
      onCorrupt: (info) => told.push(info),
      now: () => 1
    });
    expect(told[0]?.reason).toMatch(/migrated to version 2: boom/);

    await writeFile(join(dir, 'things.json'), '[1,2,3]');
    const store = open(
      dir,
      (info) => told.push(info),
      () => 2
    );
    expect(told[1]?.reason).toMatch(/not a JSON object/);
    expect(store.get('size')).toBe(1);
    expect((await readdir(dir)).filter((n) => n.includes('.corrupt-'))).toHaveLength(2);
  });

  it('keeps a file from a newer version without migrating it down', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'things.json'), JSON.stringify({ version: 9, color: 'x', size: 2, tags: [] }));
    const store = open(dir);
    expect(store.get('color')).toBe('x');
    store.set('size', 4);
    expect(await readJson(store.path)).toMatchObject({ version: 9, size: 4 });
  });

  it('refuses to write a value that breaks the schema, leaving the file as it was', async () => {
    const dir = await tempDir();
    const store = open(dir);
    store.set('size', 2);
    expect(() => store.set('size', 1.5)).toThrow(/Refused to write size/);
    expect(store.get('size')).toBe(2);
    expect(await readJson(store.path)).toMatchObject({ size: 2 });
  });

  it('clears an optional key by deleting it from the file', async () => {
    const dir = await tempDir();
    const store = openJsonStore({
      factory: confStoreFactory,
      name: 'window',
      cwd: dir,
      schema: z.object({ bounds: z.object({ w: z.number() }).optional() }),
      defaults: {},
      version: 1
    });
    store.set('bounds', { w: 3 });
    expect(await readJson(store.path)).toEqual({ version: 1, bounds: { w: 3 } });
    store.set('bounds', undefined);
    expect(await readJson(store.path)).toEqual({ version: 1 });
  });
});

describe('openJsonStore when the file cannot be written', () => {
  it('keeps working in memory and says so', async () => {
    const dir = await tempDir();
    // A file where the store's folder should be.
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, 'not a folder');
    const told: CorruptInfo[] = [];
    const store = open(blocked, (info) => told.push(info));
    expect(store.get('color')).toBe('blue');
    store.set('color', 'red');
    expect(store.get('color')).toBe('red');
    expect(told).toHaveLength(1);
    expect(told[0]?.reason).toMatch(/cannot be written .*changes will not be saved/);
  });
});
