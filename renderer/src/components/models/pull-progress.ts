/**
 * One pull as the Models screen shows it, folded from main's 'models:pull' events: one overall bar
 * (bytes done of all layers known so far, never running backwards), the latest speed and the time left
 * for the whole pull, the layers for who asks, and the status lines between layers (pulling manifest,
 * verifying sha256 digest, writing manifest). Pure, so the folding is unit-tested.
 */
import type { PullProgress } from '@shared/domain';
import type { AppErrorShape } from '@shared/errors';

export interface LayerProgress {
  /** "sha256:…" as Ollama sends it. */
  digest: string;
  total: number;
  completed: number;
}

export interface PullView {
  pullId: string;
  profileId: string;
  model: string;
  state: PullProgress['state'];
  /** The latest status line. */
  status: string;
  /** Status lines that are not layer transfers, in order, without repeats. */
  steps: string[];
  /** Layers in the order they started. */
  layers: LayerProgress[];
  /** Whether the latest event was about a layer's bytes (true) or a step between layers. */
  inLayer: boolean;
  /** Digest of the layer the latest event was about. */
  activeDigest?: string;
  /** Speed of the active layer, bytes per second. */
  bytesPerSecond?: number;
  /**
   * The overall bar, 0…100: only ever grows. A later layer's size is known only once it starts, so
   * the share of known bytes could drop; while running it stops at 99, and success makes it 100.
   */
  percent: number;
  error?: AppErrorShape;
}

export function newPull(pullId: string, profileId: string, model: string): PullView {
  return {
    pullId,
    profileId,
    model,
    state: 'running',
    status: 'starting',
    steps: [],
    layers: [],
    inLayer: false,
    percent: 0
  };
}

export const isLayerStatus = (status: string) => /^(pulling|downloading) [0-9a-f]{6,}/i.test(status);

/** The view after one more event. A finished pull ignores stragglers. */
export function applyPullEvent(view: PullView, event: PullProgress): PullView {
  if (view.state !== 'running') return view;
  const next: PullView = { ...view, state: event.state, status: event.status };
  if (event.error) next.error = event.error;
  if (event.status && !isLayerStatus(event.status) && event.digest === undefined) {
    if (!view.steps.includes(event.status) && event.status !== 'starting' && event.status !== 'success') {
      next.steps = [...view.steps, event.status];
    }
  }
  next.inLayer = event.digest !== undefined;
  if (event.digest !== undefined) {
    const total = event.total ?? 0;
    const completed = Math.min(event.completed ?? 0, total || Infinity);
    const index = view.layers.findIndex((l) => l.digest === event.digest);
    const layer: LayerProgress = {
      digest: event.digest,
      total: Math.max(total, index >= 0 ? view.layers[index]!.total : 0),
      // A retried chunk may report less than before; the bar never runs backwards.
      completed: Math.max(completed, index >= 0 ? view.layers[index]!.completed : 0)
    };
    next.layers = index >= 0 ? view.layers.map((l, i) => (i === index ? layer : l)) : [...view.layers, layer];
    if (event.digest !== view.activeDigest) delete next.bytesPerSecond;
    next.activeDigest = event.digest;
    if (event.bytesPerSecond !== undefined) next.bytesPerSecond = event.bytesPerSecond;
  } else {
    // Between layers nothing is transferring, so no speed to show.
    delete next.activeDigest;
    delete next.bytesPerSecond;
  }
  if (event.state === 'success') {
    // Layers that were already on disk may never report their last bytes: success means all arrived.
    next.layers = next.layers.map((l) => ({ ...l, completed: l.total }));
    delete next.activeDigest;
    delete next.bytesPerSecond;
    next.percent = 100;
  } else {
    const { completed, total } = pullTotals(next);
    const known = total > 0 ? Math.floor((completed / total) * 100) : 0;
    next.percent = Math.max(view.percent, Math.min(99, known));
  }
  return next;
}

/** The steps with whether each is behind us: all but the last, and the last once bytes or success followed. */
export function stepTrail(view: PullView): { step: string; done: boolean }[] {
  const lastDone = view.state === 'success' || view.inLayer;
  return view.steps.map((step, i) => ({ step, done: i < view.steps.length - 1 || lastDone }));
}

/** Whole percent of one layer, 0…100. */
export function layerPercent(layer: LayerProgress): number {
  if (layer.total <= 0) return 0;
  return Math.min(100, Math.floor((layer.completed / layer.total) * 100));
}

/** Time left for the bytes known so far at the latest speed, or undefined when unknown. */
export function timeLeftMs(view: PullView): number | undefined {
  if (!view.bytesPerSecond || view.bytesPerSecond <= 0) return undefined;
  const { completed, total } = pullTotals(view);
  const left = total - completed;
  return left > 0 ? (left / view.bytesPerSecond) * 1000 : undefined;
}

/** Bytes done and known so far over all layers (later layers' sizes arrive when they start). */
export function pullTotals(view: PullView): { completed: number; total: number } {
  let completed = 0;
  let total = 0;
  for (const layer of view.layers) {
    completed += layer.completed;
    total += layer.total;
  }
  return { completed, total };
}

/** "sha256:1a2b…" → "1a2b3c4d5e6f", the way `ollama pull` names a layer. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256[:-]/, '').slice(0, 12);
}
