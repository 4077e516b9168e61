import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRESET_IDS, type Preset } from '@shared/domain';
import { PresetService } from '../../../electron/main/core/presets/preset-service';
import { confStoreFactory } from '../../../electron/main/core/store/conf-store-factory';
import type { CorruptInfo } from '../../../electron/main/core/store/open-json-store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();

const SHIPPED = [
  { id: 'builtin-helpful', name: 'Helpful assistant', system: 'You are a helpful assistant.', builtIn: true },
  {
    id: 'builtin-two-sentences',
    name: 'Two sentences at a time',
    system: 'You are a helpful assistant yet you can only respond two sentences at a time.',
    builtIn: true
  },
  {
    id: 'builtin-json',
    name: 'Answer in JSON',
    system:
      'You are a helpful assistant yet you can only respond two sentences at a time. Always respond in json format.',
    format: 'json',
    builtIn: true
  }
];

async function open(dir?: string, onCorrupt?: (info: CorruptInfo) => void) {
  const cwd = dir ?? (await tempDir());
  return { dir: cwd, presets: PresetService.create({ factory: confStoreFactory, cwd, onCorrupt }) };
}

describe('PresetService', () => {
  it('ships the three built-ins, exactly', async () => {
    const { presets } = await open();
    expect(presets.list()).toEqual(SHIPPED);
    expect(presets.list().map((p) => p.id)).toEqual([...BUILT_IN_PRESET_IDS]);
  });

  it('creates, updates, finds and deletes presets, and keeps them on disk', async () => {
    const { presets, dir } = await open();
    const created = presets.save({
      name: 'Coder',
      system: 'Answer with code.',
      model: 'qwen2.5-coder',
      options: { temperature: 0.2, stop: ['```'] },
      keepAlive: '10m'
    });
    expect(created).toMatchObject({ name: 'Coder', builtIn: false, options: { temperature: 0.2 } });
    expect(created.id).not.toMatch(/^builtin-/);

    const updated = presets.save({ id: created.id, name: 'Coder 2', system: 'Only code.' });
    expect(updated).toEqual({ id: created.id, name: 'Coder 2', system: 'Only code.', builtIn: false });
    expect(presets.find(created.id)).toEqual(updated);
    expect(presets.find('ghost')).toBeUndefined();
    expect(() => presets.get('ghost')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => presets.save({ id: 'ghost', name: 'x', system: '' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' })
    );
    expect(() => presets.save({ name: '', system: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' })
    );

    const reopened = (await open(dir)).presets;
    expect(reopened.list().at(-1)).toEqual(updated);

    expect(presets.delete(created.id).map((p) => p.id)).toEqual([...BUILT_IN_PRESET_IDS]);
    expect(() => presets.delete(created.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('lets built-ins be edited and deleted, and restores them as shipped without touching user presets', async () => {
    const { presets } = await open();
    const mine = presets.save({ name: 'Mine', system: 'x' });
    const edited = presets.save({ id: 'builtin-helpful', name: 'Helpful!', system: 'Be brief.' });
    expect(edited.builtIn).toBe(true);
    presets.delete('builtin-json');
    expect(presets.list().map((p) => p.name)).toEqual(['Helpful!', 'Two sentences at a time', 'Mine']);

    const restored = presets.restoreBuiltIns();
    expect(restored.slice(0, 3)).toEqual(SHIPPED);
    expect(restored.slice(3)).toEqual([mine]);
  });

  it('duplicates a preset as a user preset named "<name> (copy)"', async () => {
    const { presets } = await open();
    const copy = presets.duplicate('builtin-json');
    expect(copy).toMatchObject({
      name: 'Answer in JSON (copy)',
      system: SHIPPED[2]!.system,
      format: 'json',
      builtIn: false
    });
    expect(copy.id).not.toBe('builtin-json');
    const long = presets.save({ name: 'x'.repeat(80), system: '' });
    expect(presets.duplicate(long.id).name).toBe(`${'x'.repeat(73)} (copy)`);
    expect(() => presets.duplicate('ghost')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('exports presets as an ollama-desk file and imports it back with fresh ids and " (imported)" names', async () => {
    const { presets } = await open();
    const mine = presets.save({
      name: 'Mine',
      system: 'S',
      options: { temperature: 0.1 },
      format: { type: 'object' }
    });
    const file = presets.exportText();
    expect(file).toMatchObject({ filename: 'ollama-desk-presets.json', mime: 'application/json' });
    const parsed = JSON.parse(file.text) as { app: string; kind: string; version: number; presets: Preset[] };
    expect(parsed).toMatchObject({ app: 'ollama-desk', kind: 'presets', version: 1 });
    expect(parsed.presets.map((p) => p.name)).toEqual([...SHIPPED.map((p) => p.name), 'Mine']);
    expect(parsed.presets[3]).toEqual({
      name: 'Mine',
      system: 'S',
      options: { temperature: 0.1 },
      format: { type: 'object' }
    });

    const one = presets.exportText([mine.id]);
    expect(one.filename).toBe('mine.preset.json');
    expect(() => presets.exportText(['ghost'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

    const imported = presets.importText(file.text);
    expect(imported.map((p) => p.name)).toEqual([
      'Helpful assistant (imported)',
      'Two sentences at a time (imported)',
      'Answer in JSON (imported)',
      'Mine (imported)'
    ]);
    const ids = new Set(presets.list().map((p) => p.id));
    expect(ids.size).toBe(8);
    expect(imported.every((p) => !p.builtIn)).toBe(true);
    expect(imported[3]).toMatchObject({
      system: 'S',
      options: { temperature: 0.1 },
      format: { type: 'object' }
    });

    // Importing again clashes with the "(imported)" names too.
    expect(presets.importText(one.text).map((p) => p.name)).toEqual(['Mine (imported 2)']);
  });

  it('accepts a bare array and a single preset object, ignoring ids and builtIn flags in the file', async () => {
    const { presets } = await open();
    const fromArray = presets.importText(
      JSON.stringify([
        { name: 'A', system: 'a' },
        { name: 'B', system: 'b' }
      ])
    );
    expect(fromArray.map((p) => p.name)).toEqual(['A', 'B']);
    const single = presets.importText(
      JSON.stringify({ id: 'builtin-json', name: 'C', system: 'c', builtIn: true })
    );
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({ name: 'C', builtIn: false });
    expect(single[0]!.id).not.toBe('builtin-json');
    expect(presets.get('builtin-json').name).toBe('Answer in JSON');
  });

  it('refuses a bad file with INVALID_FILE naming the problem, and changes nothing', async () => {
    const { presets, dir } = await open();
    presets.save({ name: 'Mine', system: 'x' });
    const before = presets.list();
    const fileBefore = await readFile(join(dir, 'presets.json'), 'utf8');
    const cases: [string, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['42', /expected a JSON object or list/],
      ['[]', /holds no presets/],
      [
        JSON.stringify({ app: 'ollama-desk', kind: 'conversations', version: 1, conversations: [] }),
        /holds "conversations", not presets/
      ],
      [JSON.stringify({ app: 'other-app', kind: 'presets', presets: [] }), /made by "other-app"/],
      [JSON.stringify({ app: 'ollama-desk', kind: 'presets', version: 2, presets: [] }), /newer Ollama Desk/],
      [JSON.stringify({ app: 'ollama-desk', kind: 'presets', version: 1 }), /no "presets" list/],
      // The second preset is bad: the first must not be imported either.
      [
        JSON.stringify([
          { name: 'Good', system: 'g' },
          { name: 'Bad', system: 'b', options: { temperature: 'hot' } }
        ]),
        /Preset 2 \("Bad"\) is not valid: options\.temperature/
      ],
      [JSON.stringify([{ name: 'NoSystem' }]), /Preset 1 \("NoSystem"\) is not valid: system/],
      [JSON.stringify([{ name: 'K', system: 'k', keepAlive: '300' }]), /keepAlive/]
    ];
    for (const [text, message] of cases) {
      let caught: unknown;
      try {
        presets.importText(text);
      } catch (error) {
        caught = error;
      }
      expect(caught, text).toMatchObject({ code: 'INVALID_FILE' });
      expect((caught as Error).message, text).toMatch(message);
    }
    expect(presets.list()).toEqual(before);
    expect(await readFile(join(dir, 'presets.json'), 'utf8')).toBe(fileBefore);
  });

  it('falls back to the built-ins when presets.json is corrupt, and says so', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'presets.json'), JSON.stringify({ version: 1, presets: [{ id: 'x' }] }));
    const told: CorruptInfo[] = [];
    const { presets } = await open(dir, (info) => told.push(info));
    expect(presets.list()).toEqual(SHIPPED);
    expect(told).toHaveLength(1);
  });
});
