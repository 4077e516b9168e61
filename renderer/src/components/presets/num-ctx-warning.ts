/**
 * A preset's num_ctx against the models loaded right now: Ollama reloads a model whose context length
 * differs from the one asked for (ollama-api.md §3), so a preset that disagrees with a loaded model
 * costs a reload on its first reply. Without a model of its own, a preset applies to any model.
 */
import type { LoadedSnapshot } from '@shared/domain';

export interface NumCtxWarning {
  profileId: string;
  profileName: string;
  model: string;
  /** What the model is loaded with. */
  contextLength: number;
  /** What the preset asks for. */
  numCtx: number;
}

/** Ollama's name lookup: case-insensitive, and a missing tag means `latest`. */
export function sameModel(a: string, b: string): boolean {
  const key = (name: string) => {
    const lower = name.trim().toLowerCase();
    return lower.slice(lower.lastIndexOf('/') + 1).includes(':') ? lower : `${lower}:latest`;
  };
  return key(a) === key(b);
}

export function numCtxWarnings(
  want: { model?: string; numCtx?: number },
  snapshots: Iterable<LoadedSnapshot>,
  profileName: (id: string) => string | undefined
): NumCtxWarning[] {
  const { numCtx } = want;
  if (numCtx === undefined) return [];
  const model = want.model?.trim() || undefined;
  const warnings: NumCtxWarning[] = [];
  for (const snapshot of snapshots) {
    for (const loaded of snapshot.models) {
      if (loaded.contextLength === undefined || loaded.contextLength === numCtx) continue;
      if (model !== undefined && !sameModel(model, loaded.name)) continue;
      // A model on its way out will be loaded afresh anyway.
      if (snapshot.unloading.includes(loaded.name)) continue;
      warnings.push({
        profileId: snapshot.profileId,
        profileName: profileName(snapshot.profileId) ?? 'a server',
        model: loaded.name,
        contextLength: loaded.contextLength,
        numCtx
      });
    }
  }
  return warnings;
}
