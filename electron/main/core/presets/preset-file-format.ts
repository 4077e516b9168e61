/**
 * The presets exchange file: `{ app: 'ollama-desk', kind: 'presets', version: 1, presets: [...] }`.
 * On import a bare array or a single preset object is accepted too. Everything is validated
 * before anything is imported, and a refusal names the problem.
 */
import type { z } from 'zod';
import { presetInputSchema, type Preset } from '@shared/domain';
import { AppError } from '@shared/errors';

export const PRESETS_EXPORT_VERSION = 1;
/** More than this is not a presets file a person made. */
const MAX_IMPORT = 1000;

export type PresetFields = Omit<z.output<typeof presetInputSchema>, 'id'>;

export interface PresetsExport {
  app: 'ollama-desk';
  kind: 'presets';
  version: typeof PRESETS_EXPORT_VERSION;
  presets: PresetFields[];
}

/** What is exported of a preset: its content, not its id or whether it shipped with the app. */
export function exportFields(p: Preset): PresetFields {
  const out: PresetFields = { name: p.name, system: p.system };
  if (p.model !== undefined) out.model = p.model;
  if (p.options !== undefined) out.options = p.options;
  if (p.format !== undefined) out.format = p.format;
  if (p.keepAlive !== undefined) out.keepAlive = p.keepAlive;
  return out;
}

export function serializePresets(presets: Preset[]): string {
  const file: PresetsExport = {
    app: 'ollama-desk',
    kind: 'presets',
    version: PRESETS_EXPORT_VERSION,
    presets: presets.map(exportFields)
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function invalid(message: string): never {
  throw new AppError('INVALID_FILE', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The list of presets a file holds, whichever of the accepted shapes it has. */
function presetItems(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  if (!isObject(raw)) invalid('This file does not hold presets: expected a JSON object or list.');
  const looksLikeEnvelope = 'presets' in raw || 'kind' in raw || 'app' in raw;
  if (!looksLikeEnvelope) return [raw];
  if (raw.app !== undefined && raw.app !== 'ollama-desk') {
    invalid(`This file was made by ${JSON.stringify(raw.app)}, not Ollama Desk.`);
  }
  if (raw.kind !== undefined && raw.kind !== 'presets') {
    invalid(`This file holds ${JSON.stringify(raw.kind)}, not presets.`);
  }
  if (raw.version !== undefined) {
    if (typeof raw.version !== 'number') invalid('The file\'s "version" is not a number.');
    if (raw.version > PRESETS_EXPORT_VERSION) {
      invalid(
        `This file is from a newer Ollama Desk (format version ${raw.version}); update the app to import it.`
      );
    }
  }
  if (!Array.isArray(raw.presets)) invalid('The file has no "presets" list.');
  return raw.presets;
}

/** Parses and validates a presets file, or throws INVALID_FILE naming the first problem. */
export function parsePresetsFile(text: string): PresetFields[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    invalid(`The file is not valid JSON: ${(error as Error).message}`);
  }
  const items = presetItems(raw);
  if (items.length === 0) invalid('The file holds no presets.');
  if (items.length > MAX_IMPORT)
    invalid(`The file holds ${items.length} presets; at most ${MAX_IMPORT} can be imported.`);

  return items.map((item, index) => {
    const parsed = presetInputSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = isObject(item) && typeof item.name === 'string' ? ` ("${item.name.slice(0, 80)}")` : '';
      const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      invalid(`Preset ${index + 1}${name} is not valid: ${field}${issue?.message ?? 'invalid'}.`);
    }
    const { id: _ignoredId, ...fields } = parsed.data;
    return fields;
  });
}
