/**
 * The tray menu as plain data: (profiles, snapshots, now, pending unloads) → labels, enabled flags and
 * click ids. Pure, so every label rule is unit-tested; electron/main/tray.ts only renders the result
 * and routes a click id back (see parseTrayItemId).
 *
 * The size, processor and countdown words live in shared/model-format.ts and the error words in
 * shared/error-words.ts, so the window says exactly the same; the servers come in their saved order,
 * the sidebar's, so the menu does not reshuffle when the active server changes.
 */
import type { LoadedModel, LoadedSnapshot, ReachState } from '@shared/domain';
import { errorWords } from '@shared/error-words';
import { formatBytes, formatExpiry, formatProcessor, formatServerMemory } from '@shared/model-format';
import { sameModel } from '@shared/model-name';

export { formatExpiry };

export interface TrayItem {
  id: string;
  label: string;
  enabled: boolean;
  kind: 'normal' | 'separator' | 'header' | 'submenu' | 'radio';
  checked?: boolean;
  submenu?: TrayItem[];
}

export interface TrayMenuModel {
  /** The tray icon's tooltip: a line per server with models loaded, never a sum across servers. */
  tooltip: string;
  items: TrayItem[];
}

export interface TrayMenuInput {
  profiles: { id: string; name: string }[];
  activeId: string | null;
  snapshots: LoadedSnapshot[];
  now: number;
  /** Unloads asked for but not yet seen in a snapshot's `unloading` (a click just happened). */
  pendingUnloads: { profileId: string; model: string }[];
}

/** What a click id asks for. */
export type TrayAction =
  | { kind: 'unload'; profileId: string; model: string }
  | { kind: 'unload-all'; profileId: string }
  | { kind: 'switch'; profileId: string }
  | { kind: 'open' | 'new-chat' | 'refresh' | 'quit' };

const STATE_WORDS: Record<ReachState, string> = {
  reachable: 'reachable',
  unreachable: 'unreachable',
  checking: 'checking…'
};

// Profile ids are opaque strings; encoding keeps a ':' in one from breaking the id's fields. Model
// names contain ':' themselves (llama3.2:latest), so the model is always the last field, left raw.
const idPart = (profileId: string): string => encodeURIComponent(profileId);

export function unloadItemId(profileId: string, model: string): string {
  return `unload:${idPart(profileId)}:${model}`;
}

/** Turns a click id back into the action it stands for; null for ids that do nothing (headers…). */
export function parseTrayItemId(id: string): TrayAction | null {
  if (id === 'open' || id === 'new-chat' || id === 'refresh' || id === 'quit') return { kind: id };
  const first = id.indexOf(':');
  if (first < 0) return null;
  const kind = id.slice(0, first);
  const rest = id.slice(first + 1);
  if (kind === 'unload') {
    const second = rest.indexOf(':');
    if (second <= 0 || second === rest.length - 1) return null;
    return {
      kind: 'unload',
      profileId: decodeURIComponent(rest.slice(0, second)),
      model: rest.slice(second + 1)
    };
  }
  if ((kind === 'unload-all' || kind === 'switch') && rest.length > 0) {
    return { kind, profileId: decodeURIComponent(rest) };
  }
  return null;
}

/**
 * What a click on the row does, then the facts: "Unload qwen3:8b · 5.2 GB · 4 min left". Where the
 * model sits is said only when it is not all on the GPU ("· 100% CPU", "· 24%/76% CPU/GPU").
 */
export function modelLabel(model: LoadedModel, now: number): string {
  const expiry = formatExpiry(model.expiresAt, now);
  const processor = formatProcessor(model);
  const parts = [`Unload ${model.name}`, formatBytes(model.size)];
  if (processor !== '100% GPU') parts.push(processor);
  if (expiry !== null) parts.push(expiry);
  return parts.join(' · ');
}

function buildSection(
  profile: { id: string; name: string },
  snapshot: LoadedSnapshot | undefined,
  now: number,
  pending: { profileId: string; model: string }[]
): TrayItem[] {
  const state: ReachState = snapshot?.state ?? 'checking';
  // A server whose /api/ps waits for a load is busy, not unreachable (real-ollama.md D1).
  const busy = state === 'reachable' ? snapshot?.busy : undefined;
  const stateWords = busy
    ? busy.loading.length > 0
      ? `loading ${busy.loading.join(', ')}…`
      : 'busy'
    : STATE_WORDS[state];
  const items: TrayItem[] = [
    {
      id: `header:${idPart(profile.id)}`,
      label: `${profile.name} — ${stateWords}`,
      enabled: false,
      kind: 'header'
    }
  ];
  if (state === 'unreachable') {
    // The window's words for the same error (a title, then what to try), not the raw message.
    const words = snapshot?.error ? errorWords(snapshot.error) : { title: 'The server does not answer.' };
    items.push({ id: `error:${idPart(profile.id)}`, label: words.title, enabled: false, kind: 'normal' });
    if (words.hint) {
      items.push({ id: `hint:${idPart(profile.id)}`, label: words.hint, enabled: false, kind: 'normal' });
    }
    return items;
  }
  const listed = snapshot?.models ?? [];
  // Models being loaded for our requests are not in the (waiting) list yet, but can be unloaded.
  const loadingNames = (busy?.loading ?? []).filter((name) => !listed.some((m) => sameModel(m.name, name)));
  const models: LoadedModel[] = [
    ...listed,
    ...loadingNames.map((name) => ({ name, size: 0, sizeVram: 0, expiresAt: '', details: {} }))
  ];
  if (models.length === 0) {
    // While the first poll runs there is nothing to say yet; the header reads "checking…".
    if (state === 'reachable') {
      items.push({
        id: `empty:${idPart(profile.id)}`,
        label: busy ? 'Busy: the list comes when the server is free' : 'No models loaded',
        enabled: false,
        kind: 'normal'
      });
    }
    return items;
  }
  // Aliases share one runner (real-ollama.md D8): unloading one of them unloads the row.
  const isUnloading = (name: string) => {
    const aliases = listed.find((m) => sameModel(m.name, name))?.aliases ?? [];
    return [name, ...aliases].some(
      (n) =>
        (snapshot?.unloading ?? []).some((m) => sameModel(m, n)) ||
        pending.some((p) => p.profileId === profile.id && sameModel(p.model, n))
    );
  };
  const heldUntilLoaded = (name: string) =>
    (snapshot?.unloadsAfterLoad ?? []).some((m) => sameModel(m, name));
  let unloadable = 0;
  for (const model of models) {
    const unloading = isUnloading(model.name);
    if (!unloading) unloadable += 1;
    const loading = loadingNames.includes(model.name);
    items.push({
      id: unloadItemId(profile.id, model.name),
      // The row says what a click does, like modelLabel: "Unload gemma3:4b · loading…".
      label: heldUntilLoaded(model.name)
        ? `Unloading ${model.name} when loading ends`
        : unloading
          ? `Unloading ${model.name}…`
          : loading
            ? `Unload ${model.name} · loading…`
            : modelLabel(model, now),
      enabled: !unloading,
      kind: 'normal'
    });
  }
  if (models.length > 1) {
    items.push({
      id: `unload-all:${idPart(profile.id)}`,
      label: `Unload all on ${profile.name}`,
      enabled: unloadable > 0,
      kind: 'normal'
    });
  }
  return items;
}

function tooltip(profiles: { id: string; name: string }[], byId: Map<string, LoadedSnapshot>): string {
  const lines: string[] = [];
  for (const profile of profiles) {
    const snapshot = byId.get(profile.id);
    if (!snapshot || snapshot.state === 'unreachable' || snapshot.models.length === 0) continue;
    const count = snapshot.models.length;
    lines.push(
      `${profile.name}: ${count} ${count === 1 ? 'model' : 'models'} · ${formatServerMemory(snapshot.models)}`
    );
  }
  return lines.length === 0 ? 'No models loaded' : lines.join('\n');
}

export function buildTrayMenu(input: TrayMenuInput): TrayMenuModel {
  const { profiles, activeId, snapshots, now, pendingUnloads } = input;
  const byId = new Map(snapshots.map((s) => [s.profileId, s]));
  const items: TrayItem[] = [];
  let separators = 0;
  const separator = (): TrayItem => ({
    id: `sep:${++separators}`,
    label: '',
    enabled: true,
    kind: 'separator'
  });

  if (profiles.length === 0) {
    items.push({ id: 'no-servers', label: 'No servers saved', enabled: false, kind: 'normal' });
  }
  profiles.forEach((profile, index) => {
    if (index > 0) items.push(separator());
    items.push(...buildSection(profile, byId.get(profile.id), now, pendingUnloads));
  });

  items.push(separator());
  items.push({ id: 'open', label: 'Open Ollama Desk', enabled: true, kind: 'normal' });
  items.push({ id: 'new-chat', label: 'New chat', enabled: true, kind: 'normal' });
  items.push({
    id: 'switch',
    label: 'Switch server',
    enabled: profiles.length > 0,
    kind: 'submenu',
    submenu: profiles.map((p) => ({
      id: `switch:${idPart(p.id)}`,
      label: p.name,
      enabled: true,
      kind: 'radio',
      checked: p.id === activeId
    }))
  });
  items.push({ id: 'refresh', label: 'Refresh', enabled: true, kind: 'normal' });
  items.push(separator());
  items.push({ id: 'quit', label: 'Quit', enabled: true, kind: 'normal' });

  return { tooltip: tooltip(profiles, byId), items };
}
