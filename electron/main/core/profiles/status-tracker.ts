/**
 * Reachability, version and latency of every server, for the switcher's dots. Reachability follows
 * the loaded-models monitor (it polls /api/ps anyway); version and round-trip latency are measured
 * with /api/version when a server is first seen or comes back. A server whose /api/ps waits for a
 * load is reachable and busy (the monitor checked /api/version), never unreachable (real-ollama.md D1).
 */
import type { LoadedSnapshot, ProfileStatus, ServerBusy } from '@shared/domain';
import type { AppErrorShape } from '@shared/errors';

export interface StatusTrackerDeps {
  version(profileId: string): Promise<string>;
  now(): number;
  emit(status: ProfileStatus): void;
}

export class StatusTracker {
  private readonly statuses = new Map<string, ProfileStatus>();
  /** The monitor's latest word on what each server is busy with. */
  private readonly busy = new Map<string, ServerBusy>();

  constructor(private readonly deps: StatusTrackerDeps) {}

  all(): ProfileStatus[] {
    return [...this.statuses.values()];
  }

  /** Forgets profiles that no longer exist. */
  retain(ids: string[]): void {
    for (const id of this.statuses.keys()) if (!ids.includes(id)) this.statuses.delete(id);
    for (const id of this.busy.keys()) if (!ids.includes(id)) this.busy.delete(id);
  }

  /** Feeds a monitor snapshot; measures the version when the server became reachable. */
  onSnapshot(snapshot: LoadedSnapshot): void {
    const previous = this.statuses.get(snapshot.profileId);
    if (snapshot.busy) this.busy.set(snapshot.profileId, snapshot.busy);
    else this.busy.delete(snapshot.profileId);
    if (snapshot.state === 'reachable') {
      if (previous?.state !== 'reachable') void this.measure(snapshot.profileId);
      else this.set(withBusy(previous, snapshot.busy));
      return;
    }
    this.set({
      profileId: snapshot.profileId,
      state: snapshot.state,
      ...(snapshot.error ? { error: snapshot.error } : {}),
      checkedAt: this.deps.now()
    });
  }

  /** Measures one server now: version and round-trip latency, or the error. */
  async measure(profileId: string): Promise<ProfileStatus> {
    const started = performance.now();
    let status: ProfileStatus;
    try {
      const version = await this.deps.version(profileId);
      status = withBusy(
        {
          profileId,
          state: 'reachable',
          version,
          latencyMs: Math.round(performance.now() - started),
          checkedAt: this.deps.now()
        },
        this.busy.get(profileId)
      );
    } catch (error) {
      const shape = (error as { toShape?: () => AppErrorShape }).toShape?.() ?? {
        code: 'INTERNAL' as const,
        message: String(error)
      };
      status = { profileId, state: 'unreachable', error: shape, checkedAt: this.deps.now() };
    }
    this.set(status);
    return status;
  }

  private set(status: ProfileStatus): void {
    const previous = this.statuses.get(status.profileId);
    this.statuses.set(status.profileId, status);
    const same =
      previous &&
      previous.state === status.state &&
      previous.version === status.version &&
      previous.error?.code === status.error?.code &&
      JSON.stringify(previous.busy ?? null) === JSON.stringify(status.busy ?? null);
    if (!same) this.deps.emit(status);
  }
}

function withBusy(status: ProfileStatus, busy: ServerBusy | undefined): ProfileStatus {
  const { busy: _old, ...rest } = status;
  return busy ? { ...rest, busy } : rest;
}
