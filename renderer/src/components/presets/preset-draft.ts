/**
 * The preset editor's form as plain strings, and the way back to the contract's PresetInput. The form
 * checks what it can see locally (numbers, durations, the schema's JSON); main validates the rest with
 * the contract's schema, and its INVALID_INPUT answer is turned back into an error by the field.
 */
import type { Format, ModelOptions, Preset, PresetInput } from '@shared/domain';
import type { AppErrorShape } from '@shared/errors';
import { draftToKeepAlive, keepAliveToDraft, type KeepAliveDraft } from './keep-alive';
import { checkSchemaText } from './schema-check';

export type FormatMode = 'none' | 'json' | 'schema';

export interface PresetDraft {
  name: string;
  system: string;
  model: string;
  temperature: string;
  topP: string;
  numCtx: string;
  seed: string;
  numPredict: string;
  /** Stop sequences as typed: `\n`, `\t`, `\r` and `\\` stand for the characters. */
  stop: string[];
  formatMode: FormatMode;
  schemaText: string;
  keepAlive: KeepAliveDraft;
}

export type FieldKey =
  | 'name'
  | 'system'
  | 'model'
  | 'temperature'
  | 'top_p'
  | 'num_ctx'
  | 'seed'
  | 'num_predict'
  | 'stop'
  | 'format'
  | 'keepAlive';

export type FieldErrors = Partial<Record<FieldKey, string>>;

/** The number fields: draft property, option name, whole numbers only. */
export const NUMBER_FIELDS = [
  { draft: 'temperature', option: 'temperature', integer: false },
  { draft: 'topP', option: 'top_p', integer: false },
  { draft: 'numCtx', option: 'num_ctx', integer: true },
  { draft: 'seed', option: 'seed', integer: true },
  { draft: 'numPredict', option: 'num_predict', integer: true }
] as const;

type NumberOption = (typeof NUMBER_FIELDS)[number]['option'];

export function escapeStop(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
}

/** Reverses escapeStop; a backslash before any other character stays as typed. */
export function unescapeStop(typed: string): string {
  return typed.replace(/\\([\\ntr])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'
  );
}

const show = (n: number | undefined) => (n === undefined ? '' : String(n));

export function draftFromPreset(preset: Preset | null): PresetDraft {
  const o = preset?.options ?? {};
  const format = preset?.format;
  return {
    name: preset?.name ?? '',
    system: preset?.system ?? '',
    model: preset?.model ?? '',
    temperature: show(o.temperature),
    topP: show(o.top_p),
    numCtx: show(o.num_ctx),
    seed: show(o.seed),
    numPredict: show(o.num_predict),
    stop: (o.stop ?? []).map(escapeStop),
    formatMode: format === undefined ? 'none' : format === 'json' ? 'json' : 'schema',
    schemaText: typeof format === 'object' ? JSON.stringify(format, null, 2) : '',
    keepAlive: keepAliveToDraft(preset?.keepAlive)
  };
}

/** A number typed in a field: undefined when blank, else the number or what is wrong with it. */
export function parseNumberField(
  text: string,
  integer: boolean
): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, error: 'Enter a number.' };
  if (integer && !Number.isInteger(value)) return { ok: false, error: 'Enter a whole number.' };
  return { ok: true, value };
}

/** The num_ctx the draft asks for, when it is a valid number (for the reload warning). */
export function draftNumCtx(draft: PresetDraft): number | undefined {
  const parsed = parseNumberField(draft.numCtx, true);
  return parsed.ok ? parsed.value : undefined;
}

export type BuildResult = { ok: true; input: PresetInput } | { ok: false; errors: FieldErrors };

/**
 * The input for presets:save. Options this form does not show (top_k, min_p, repeat_penalty…) are
 * kept from `base`, so editing a preset never drops what an imported file set.
 */
export function buildPresetInput(draft: PresetDraft, base: Preset | null): BuildResult {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (name === '') errors.name = 'Give the preset a name.';

  const options: Record<string, unknown> = { ...base?.options };
  for (const field of NUMBER_FIELDS) {
    delete options[field.option];
    const parsed = parseNumberField(draft[field.draft], field.integer);
    if (!parsed.ok) errors[field.option] = parsed.error;
    else if (parsed.value !== undefined) options[field.option] = parsed.value;
  }
  delete options['stop'];
  const stop = draft.stop.filter((s) => s !== '').map(unescapeStop);
  if (stop.length > 0) options['stop'] = stop;

  let format: Format | undefined;
  if (draft.formatMode === 'json') format = 'json';
  else if (draft.formatMode === 'schema') {
    const check = checkSchemaText(draft.schemaText);
    if (check.ok) format = check.schema;
    else errors.format = check.message;
  }

  const keepAlive = draftToKeepAlive(draft.keepAlive);
  if (!keepAlive.ok) errors.keepAlive = keepAlive.error;

  if (Object.keys(errors).length > 0 || !keepAlive.ok) return { ok: false, errors };
  const model = draft.model.trim();
  const input: PresetInput = {
    ...(base ? { id: base.id } : {}),
    name,
    system: draft.system,
    ...(model ? { model } : {}),
    ...(Object.keys(options).length > 0 ? { options: options as ModelOptions } : {}),
    ...(format !== undefined ? { format } : {}),
    ...(keepAlive.value !== undefined ? { keepAlive: keepAlive.value } : {})
  };
  return { ok: true, input };
}

/** The form field a validation path names ("options.num_ctx", "keepAlive", "options.stop.2"…). */
export function fieldOfPath(path: string): FieldKey | undefined {
  const [head, sub] = path.split('.');
  if (head === 'options') {
    if (sub === 'stop') return 'stop';
    return NUMBER_FIELDS.some((f) => f.option === sub) ? (sub as NumberOption) : undefined;
  }
  const top: readonly FieldKey[] = ['name', 'system', 'model', 'format', 'keepAlive'];
  return top.find((k) => k === head);
}

/** Zod's wording made readable for a person: "Too big: expected number to be <=5" → "At most 5." */
export function humanizeIssue(message: string): string {
  const big = /^Too big: expected (?:number|int) to be <(=?)\s*(\S+)$/.exec(message);
  if (big) return big[1] ? `At most ${big[2]}.` : `Less than ${big[2]}.`;
  const small = /^Too small: expected (?:number|int) to be >(=?)\s*(\S+)$/.exec(message);
  if (small) return small[1] ? `At least ${small[2]}.` : `More than ${small[2]}.`;
  const long = /^Too big: expected string to have <=\s*(\d+) characters$/.exec(message);
  if (long) return `At most ${long[1]} characters.`;
  if (/^Too small: expected string to have >=\s*1 characters$/.test(message)) return 'Required.';
  if (/expected int\b/.test(message)) return 'Enter a whole number.';
  const text = message.trim();
  return text === ''
    ? 'Not valid.'
    : `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/**
 * Main's INVALID_INPUT message for a preset, as the field it concerns and words for it. The contract
 * edge says "<issue> at <path>"; the preset service says "Invalid preset: <path>: <issue>".
 */
export function fieldErrorFromMain(error: AppErrorShape): { field?: FieldKey; message: string } {
  // Main names the field and the issue in detail (dispatch and the preset service both fill them).
  const field = fieldOfPath(error.detail?.path ?? '');
  const issue = error.detail?.issue ?? error.message;
  return field ? { field, message: humanizeIssue(issue) } : { message: humanizeIssue(issue) };
}
