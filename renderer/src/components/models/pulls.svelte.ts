/**
 * The pulls the window started or heard about, kept across openings of the Models screen: main keeps
 * pulling while the screen is closed, so the state lives here, not in the component. One instance per
 * window (pullsState()); it subscribes to 'models:pull' once and folds each event into its PullView.
 */
import type { PullProgress } from '@shared/domain';
import type { AppErrorShape, Result } from '@shared/errors';
import { sameModel } from '@shared/model-name';
import { on, tryCall } from '../../lib/api';
import { applyPullEvent, newPull, type PullView } from './pull-progress';

export class PullsState {
  /** Newest first. */
  pulls = $state.raw<PullView[]>([]);
  /** Bumped when a pull succeeds, so views re-read the installed models of that server. */
  finished = $state.raw<{ profileId: string; model: string; seq: number } | null>(null);

  #unsubscribe: (() => void) | null = null;
  #seq = 0;
  // Guards double clicks on Cancel, never rendered: a plain Set on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #cancelling = new Set<string>();

  /** Starts listening to main's progress events (idempotent). */
  listen(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = on('models:pull', (event) => this.apply(event));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** Asks main to pull; the pull shows at once (even before main's answer has an id). */
  async start(profileId: string, model: string): Promise<Result<{ pullId: string }>> {
    this.listen();
    const result = await tryCall('models:pull', { profileId, model });
    // Events may have beaten the answer and already created the view.
    if (result.ok && !this.find(result.value.pullId)) {
      this.pulls = [newPull(result.value.pullId, profileId, model), ...this.pulls];
    }
    return result;
  }

  async cancel(pullId: string): Promise<AppErrorShape | null> {
    if (this.#cancelling.has(pullId)) return null;
    this.#cancelling.add(pullId);
    try {
      const result = await tryCall('models:cancelPull', { pullId });
      return result.ok ? null : result.error;
    } finally {
      this.#cancelling.delete(pullId);
    }
  }

  /** Forgets a finished pull. */
  dismiss(pullId: string): void {
    this.pulls = this.pulls.filter((p) => p.pullId !== pullId || p.state === 'running');
  }

  /**
   * A model was deleted: its ended pulls on that server go, so "Pulled phi3:mini" does not stay
   * beside a list without phi3:mini. A pull still running is kept (it will install it again).
   */
  forgetModel(profileId: string, model: string): void {
    const gone = (p: PullView) =>
      p.profileId === profileId && p.state !== 'running' && sameModel(p.model, model);
    if (this.pulls.some(gone)) this.pulls = this.pulls.filter((p) => !gone(p));
  }

  find(pullId: string): PullView | undefined {
    return this.pulls.find((p) => p.pullId === pullId);
  }

  apply(event: PullProgress): void {
    const current = this.find(event.pullId);
    const base = current ?? newPull(event.pullId, event.profileId, event.model);
    const next = applyPullEvent(base, event);
    if (next === current) return;
    this.pulls = current
      ? this.pulls.map((p) => (p.pullId === event.pullId ? next : p))
      : [next, ...this.pulls];
    if (next.state === 'success' && base.state === 'running') {
      this.finished = { profileId: next.profileId, model: next.model, seq: ++this.#seq };
    }
  }
}

let shared: PullsState | null = null;

/** The window's one PullsState, listening from its first use on. */
export function pullsState(): PullsState {
  shared ??= new PullsState();
  shared.listen();
  return shared;
}
