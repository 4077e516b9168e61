/**
 * Which model a chat gets on a server, and whether a model can chat at all. Pure, so the order of the
 * rules is unit-tested: the first candidate the server has, else its first chat model.
 */
import type { InstalledModel } from '@shared/domain';
import { sameModel } from '@shared/model-name';

/** Embedding-only models cannot answer a chat; unknown capabilities (an old server) are given the benefit. */
export function canChat(model: Pick<InstalledModel, 'capabilities'>): boolean {
  const caps = model.capabilities;
  return caps.length === 0 || caps.includes('completion') || !caps.includes('embedding');
}

/**
 * `candidates` in order of preference (e.g. the conversation's own model, the one last used on the
 * server, the server's default). `models` is the server's list, or null when it cannot be read: then
 * nothing can be checked and the first candidate stands. Returns '' when there is nothing to choose.
 */
export function chooseModel(candidates: (string | undefined)[], models: InstalledModel[] | null): string {
  const named = candidates.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
  if (models === null) return named[0] ?? '';
  for (const candidate of named) {
    const found = models.find((m) => sameModel(m.name, candidate));
    if (found && canChat(found)) return found.name;
  }
  return models.find(canChat)?.name ?? '';
}
