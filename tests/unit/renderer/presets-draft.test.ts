/**
 * The preset form and the contract: a preset survives the round trip through the draft, local checks
 * name their field, options the form does not show are kept, and main's INVALID_INPUT messages (from
 * the contract edge and from the preset service) land on the right field in plain words.
 */
import { describe, expect, it } from 'vitest';
import { presetInputSchema, type Preset } from '../../../shared/domain';
import {
  buildPresetInput,
  draftFromPreset,
  escapeStop,
  fieldErrorFromMain,
  humanizeIssue,
  unescapeStop
} from '../../../renderer/src/components/presets/preset-draft';
import { dispatch } from '../../../electron/main/core/dispatch';
import type { Handlers } from '../../../shared/contract';
import type { AppError, AppErrorShape } from '../../../shared/errors';
import { PresetService } from '../../../electron/main/core/presets/preset-service';
import type { KeyValueStore } from '../../../electron/main/core/ports';
import type { PresetsFile } from '../../../electron/main/core/presets/presets-file';

/** An in-memory store: enough for the service to reach its validation. */
function memoryStore(): KeyValueStore<PresetsFile> {
  const data: Record<string, unknown> = {};
  return {
    path: '(memory)',
    get: (key) => data[key as string] as never,
    set: (key, value) => void (data[key as string] = value)
  };
}

const FULL: Preset = {
  id: 'p1',
  name: 'Strict JSON',
  system: 'Answer in JSON.\nNothing else.',
  model: 'gemma3:4b',
  options: {
    temperature: 0.2,
    top_p: 0.9,
    num_ctx: 8192,
    seed: 42,
    num_predict: -1,
    stop: ['\n\n', 'END\t', 'a\\b'],
    top_k: 40,
    repeat_penalty: 1.1
  },
  format: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
  keepAlive: '1h30m',
  builtIn: false
};

describe('draft round trip', () => {
  it('gives back the same preset, including options the form does not show', () => {
    const built = buildPresetInput(draftFromPreset(FULL), FULL);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const { builtIn: _b, ...fields } = FULL;
    expect(built.input).toEqual(fields);
    expect(presetInputSchema.safeParse(built.input).success).toBe(true);
  });

  it('a new, nearly empty preset sends only name and system', () => {
    const draft = draftFromPreset(null);
    draft.name = '  Short  ';
    const built = buildPresetInput(draft, null);
    expect(built).toEqual({ ok: true, input: { name: 'Short', system: '' } });
  });

  it('clearing a field removes the option instead of sending an empty value', () => {
    const draft = draftFromPreset(FULL);
    draft.temperature = ' ';
    draft.stop = ['', ''];
    draft.formatMode = 'none';
    draft.keepAlive = { mode: 'default', text: '' };
    draft.model = '';
    const built = buildPresetInput(draft, FULL);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.input.options).toEqual({
      top_p: 0.9,
      num_ctx: 8192,
      seed: 42,
      num_predict: -1,
      top_k: 40,
      repeat_penalty: 1.1
    });
    expect(built.input).not.toHaveProperty('format');
    expect(built.input).not.toHaveProperty('keepAlive');
    expect(built.input).not.toHaveProperty('model');
  });

  it('JSON mode and keep_alive choices become what Ollama takes', () => {
    const draft = draftFromPreset(null);
    draft.name = 'x';
    draft.formatMode = 'json';
    draft.keepAlive = { mode: 'unload', text: '' };
    expect(buildPresetInput(draft, null)).toMatchObject({
      ok: true,
      input: { format: 'json', keepAlive: 0 }
    });
    draft.keepAlive = { mode: 'forever', text: '' };
    expect(buildPresetInput(draft, null)).toMatchObject({ ok: true, input: { keepAlive: -1 } });
  });
});

describe('local checks', () => {
  it('names every field that is wrong', () => {
    const draft = draftFromPreset(null);
    draft.temperature = 'warm';
    draft.numCtx = '2048.5';
    draft.seed = '1e400';
    draft.formatMode = 'schema';
    draft.schemaText = '{"type": }';
    draft.keepAlive = { mode: 'duration', text: '5 minutes' };
    const built = buildPresetInput(draft, null);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(Object.keys(built.errors).sort()).toEqual([
      'format',
      'keepAlive',
      'name',
      'num_ctx',
      'seed',
      'temperature'
    ]);
    expect(built.errors.num_ctx).toBe('Enter a whole number.');
    expect(built.errors.format).toMatch(/position 9/);
  });
});

describe('stop sequences', () => {
  it('escape and unescape are inverse for line breaks, tabs and backslashes', () => {
    for (const s of ['\n', '\n\n', 'a\tb', 'C:\\new', '\\n literally', '\r\n', 'plain']) {
      expect(unescapeStop(escapeStop(s))).toBe(s);
    }
    expect(escapeStop('\n\n')).toBe('\\n\\n');
    expect(unescapeStop('User:\\n')).toBe('User:\n');
    expect(unescapeStop('\\x')).toBe('\\x');
  });
});

describe("main's validation errors", () => {
  /** Runs a real presets:save through the contract edge, with a handler that must not be reached. */
  async function edgeMessage(input: unknown): Promise<AppErrorShape> {
    const handlers = { 'presets:save': async () => ({}) } as unknown as Handlers;
    const result = await dispatch(handlers, 'presets:save', input);
    if (result.ok) throw new Error('expected INVALID_INPUT');
    expect(result.error.code).toBe('INVALID_INPUT');
    return result.error;
  }

  it('maps the contract edge message to the field, in words', async () => {
    expect(
      fieldErrorFromMain(await edgeMessage({ name: 'x', system: '', options: { temperature: 9 } }))
    ).toEqual({
      field: 'temperature',
      message: 'At most 5.'
    });
    expect(fieldErrorFromMain(await edgeMessage({ name: 'x', system: '', options: { top_p: -1 } }))).toEqual({
      field: 'top_p',
      message: 'At least 0.'
    });
    expect(fieldErrorFromMain(await edgeMessage({ name: 'x', system: '', options: { num_ctx: 0 } }))).toEqual(
      {
        field: 'num_ctx',
        message: 'At least 1.'
      }
    );
    expect(
      fieldErrorFromMain(await edgeMessage({ name: 'x', system: '', options: { num_predict: -5 } }))
    ).toEqual({
      field: 'num_predict',
      message: 'At least -2.'
    });
    expect(fieldErrorFromMain(await edgeMessage({ name: '   ', system: '' }))).toEqual({
      field: 'name',
      message: 'Required.'
    });
    expect(fieldErrorFromMain(await edgeMessage({ name: 'x'.repeat(81), system: '' }))).toEqual({
      field: 'name',
      message: 'At most 80 characters.'
    });
    expect(fieldErrorFromMain(await edgeMessage({ name: 'x', system: '', keepAlive: 'soon' })).field).toBe(
      'keepAlive'
    );
    expect(
      fieldErrorFromMain(await edgeMessage({ name: 'x', system: '', options: { stop: [1] } })).field
    ).toBe('stop');
  });

  it("maps the preset service's own error too", () => {
    let error: AppErrorShape | undefined;
    try {
      new PresetService({ store: memoryStore() }).save({ name: 'x', system: '', options: { seed: 1.5 } });
    } catch (thrown) {
      error = (thrown as AppError).toShape();
    }
    expect(fieldErrorFromMain(error!)).toEqual({ field: 'seed', message: 'Enter a whole number.' });
  });

  it('keeps a message without a known field as a general problem', () => {
    expect(fieldErrorFromMain({ code: 'INVALID_INPUT', message: 'Unknown call' })).toEqual({
      message: 'Unknown call.'
    });
    expect(
      fieldErrorFromMain({
        code: 'INVALID_INPUT',
        message: 'Unrecognized key at options.mirostat',
        detail: { path: 'options.mirostat', issue: 'Unrecognized key' }
      })
    ).toEqual({ message: 'Unrecognized key.' });
    expect(humanizeIssue('Too big: expected number to be <1')).toBe('Less than 1.');
  });
});
