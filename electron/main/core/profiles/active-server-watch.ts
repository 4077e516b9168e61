/**
 * The current server, while it is down, is asked again every `everyMs` (the monitor's back-off for other
 * servers grows to minutes): a server started after the app, or woken up, makes the open chat usable
 * within a couple of seconds, without a click.
 */
import type { Clock } from '../ports';

export interface ActiveServerWatchDeps {
  clock: Clock;
  /** The current (active) server's id, if any. */
  activeId(): string | null;
  /** Whether that server's last poll failed. */
  isDown(profileId: string): boolean;
  /** Polls it now (the monitor's burst). */
  poke(profileId: string): void;
  everyMs?: number;
}

export const ACTIVE_RETRY_MS = 1_500;

/** Starts the watch; returns its stop. */
export function watchActiveServer(deps: ActiveServerWatchDeps): () => void {
  const every = deps.everyMs ?? ACTIVE_RETRY_MS;
  let timer: { cancel(): void } | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const id = deps.activeId();
    if (id !== null && deps.isDown(id)) deps.poke(id);
    timer = deps.clock.setTimeout(tick, every);
  };
  timer = deps.clock.setTimeout(tick, every);
  return () => {
    stopped = true;
    timer?.cancel();
  };
}
