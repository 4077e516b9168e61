/**
 * Presets: a system prompt with optional model, options, format and keep_alive. The built-ins
 * live in the same file as the user's presets, so they can be edited and deleted like any other
 * and put back as shipped with restoreBuiltIns.
 */
import { randomUUID } from 'node:crypto';
import {
  BUILT_IN_PRESET_IDS,
  presetInputSchema,
  type FileExport,
  type Preset,
  type PresetInput
} from '@shared/domain';
import { AppError } from '@shared/errors';
import type { KeyValueStore } from '../ports';
import type { CorruptInfo, StoreFactory } from '../store/open-json-store';
import { builtInPresets, isBuiltInId } from './built-in-presets';
import { parsePresetsFile, serializePresets } from './preset-file-format';
import { openPresetsStore, type PresetsFile } from './presets-file';

const NAME_MAX = 80;

/** `base` + `suffix`, shortening `base` so the whole fits the name limit. */
function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, NAME_MAX - suffix.length).trimEnd()}${suffix}`;
}

function withoutUndefined(p: Preset): Preset {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as unknown as Preset;
}

export class PresetService {
  private readonly listeners = new Set<(presets: Preset[]) => void>();

  constructor(private readonly deps: { store: KeyValueStore<PresetsFile> }) {}

  /** Opens presets.json in `cwd` (the built-ins on first run) and the service over it. */
  static create(opts: {
    factory: StoreFactory;
    cwd: string;
    onCorrupt?: (info: CorruptInfo) => void;
  }): PresetService {
    return new PresetService({ store: openPresetsStore(opts) });
  }

  /** Built-ins first (in their shipped order), then the user's presets in the order made. */
  list(): Preset[] {
    const all = this.all();
    const builtIns = BUILT_IN_PRESET_IDS.flatMap((id) => all.filter((p) => p.id === id));
    return [...builtIns, ...all.filter((p) => !isBuiltInId(p.id))].map((p) => structuredClone(p));
  }

  /** The preset, or NOT_FOUND. */
  get(id: string): Preset {
    return structuredClone(this.mustFind(id));
  }

  /** The preset, or undefined (a conversation may name a preset deleted since). */
  find(id: string): Preset | undefined {
    const found = this.all().find((p) => p.id === id);
    return found === undefined ? undefined : structuredClone(found);
  }

  /** Creates (no id) or updates a preset; a built-in stays a built-in when edited. */
  save(raw: PresetInput): Preset {
    const parsed = presetInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') ?? '';
      throw new AppError('INVALID_INPUT', `Invalid preset: ${path || 'input'}: ${issue?.message ?? ''}`, {
        path,
        issue: issue?.message ?? 'Invalid preset'
      });
    }
    const { id, ...fields } = parsed.data;
    const all = this.all();
    if (id === undefined) {
      const created = withoutUndefined({ id: randomUUID(), ...fields, builtIn: false });
      this.write([...all, created]);
      return structuredClone(created);
    }
    const existing = this.mustFind(id);
    const updated = withoutUndefined({ id, ...fields, builtIn: existing.builtIn });
    this.write(all.map((p) => (p.id === id ? updated : p)));
    return structuredClone(updated);
  }

  delete(id: string): Preset[] {
    this.mustFind(id);
    this.write(this.all().filter((p) => p.id !== id));
    return this.list();
  }

  /** A user copy named "<name> (copy)", placed right after the original. */
  duplicate(id: string): Preset {
    const source = this.mustFind(id);
    const copy: Preset = {
      ...structuredClone(source),
      id: randomUUID(),
      name: withSuffix(source.name, ' (copy)'),
      builtIn: false
    };
    const all = this.all();
    const at = all.findIndex((p) => p.id === id);
    this.write([...all.slice(0, at + 1), copy, ...all.slice(at + 1)]);
    return structuredClone(copy);
  }

  /** Puts the three built-ins back exactly as shipped; the user's own presets are untouched. */
  restoreBuiltIns(): Preset[] {
    this.write([...builtInPresets(), ...this.all().filter((p) => !isBuiltInId(p.id))]);
    return this.list();
  }

  /** The presets named by `ids` (all when absent), as a file to save. */
  exportText(ids?: string[]): FileExport {
    const presets = ids === undefined ? this.list() : ids.map((id) => this.mustFind(id));
    return {
      filename:
        presets.length === 1 && presets[0]
          ? `${fileSafe(presets[0].name)}.preset.json`
          : 'ollama-desk-presets.json',
      mime: 'application/json',
      text: serializePresets(presets)
    };
  }

  /**
   * Imports every preset in the file, or none (a bad file throws INVALID_FILE and changes
   * nothing). Imported presets get fresh ids; a name already taken gets " (imported)".
   * Returns the imported presets.
   */
  importText(text: string): Preset[] {
    const incoming = parsePresetsFile(text);
    const all = this.all();
    const taken = new Set(all.map((p) => p.name.toLowerCase()));
    const imported = incoming.map((fields) => {
      let name = fields.name;
      for (let n = 1; taken.has(name.toLowerCase()); n += 1) {
        name = withSuffix(fields.name, n === 1 ? ' (imported)' : ` (imported ${n})`);
      }
      taken.add(name.toLowerCase());
      return withoutUndefined({ ...fields, id: randomUUID(), name, builtIn: false });
    });
    this.write([...all, ...imported]);
    return structuredClone(imported);
  }

  onChange(cb: (presets: Preset[]) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private all(): Preset[] {
    return this.deps.store.get('presets');
  }

  private mustFind(id: string): Preset {
    const found = this.all().find((p) => p.id === id);
    if (!found) throw new AppError('NOT_FOUND', `No preset with id ${id}.`);
    return found;
  }

  private write(presets: Preset[]): void {
    this.deps.store.set('presets', presets);
    const list = this.list();
    for (const cb of this.listeners) cb(list);
  }
}

/** A file name from a preset name: letters, digits, dashes. */
function fileSafe(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'preset';
}
