/**
 * Watches `/api/ps` of every saved server and emits a per-profile snapshot when what is loaded changes
 * (design.md §6). Pacing: a calm interval while nothing happens, a burst of quick polls after a chat or
 * an unload (Ollama frees memory a moment after it answers), a doubling back-off for servers that do
 * not answer, and no timers at all when there is no profile. Unloads are tracked here so that double
 * clicks send one request and "unloading…" lasts until the server really let the model go.
 *
 * A busy server is not a dead one (real-ollama.md D1): Ollama ≥ 0.32.10 holds /api/ps, and an unload,
 * until a loading model is ready, which can take minutes. So /api/ps may take as long as a load, and
 * when it has not answered after `busyAfterMs` the monitor asks /api/version (which never waits): an
 * answer means "busy" (loading the models our requests wait for, when we know them), no answer means
 * unreachable, and only then.
 */
import { AppError } from '@shared/errors';
import type { LoadedModel, LoadedSnapshot, ModelDetails } from '@shared/domain';
import type { Clock } from '../ports';
import type { ClientLike, PsEntry } from './client-like';
import type { ServerActivity } from './server-activity';
import { normalizeModelName, sameModel } from '@shared/model-name';
import { toAppError } from './to-app-error';

export interface MonitorIntervals {
  /** Between polls while nothing happens. */
  calmMs: number;
  /** Between the quick polls of a burst. */
  burstMs: number;
  /** How many quick polls a burst makes. */
  burstCount: number;
  /** First retry delay for a server that did not answer; doubles on each failure… */
  backoffStartMs: number;
  /** …up to this. */
  backoffMaxMs: number;
  /**
   * How long "unloading…" may last with no progress on that server. A runner busy with another
   * client's request stays listed until that request ends, and a real server removes unloaded models
   * one after another with a VRAM wait of up to 5 s each (D6): the watch goes on while models keep
   * leaving or the server is busy, and ends only after this long without either.
   */
  unloadWatchMs: number;
  /** /api/ps not answered after this long: ask /api/version whether the server is busy or gone. */
  busyAfterMs: number;
}

export const DEFAULT_MONITOR_INTERVALS: MonitorIntervals = {
  calmMs: 10_000,
  burstMs: 1_000,
  burstCount: 8,
  backoffStartMs: 5_000,
  backoffMaxMs: 120_000,
  unloadWatchMs: 30_000,
  busyAfterMs: 2_000
};

export interface LoadedMonitorDeps {
  /** The saved profiles, in their order. */
  profiles(): { id: string; name: string }[];
  clientFor(profileId: string): Promise<ClientLike>;
  clock: Clock;
  emit(snapshot: LoadedSnapshot): void;
  intervals?: Partial<MonitorIntervals>;
  /** Our own requests in flight: names the model a busy server is loading. */
  activity?: ServerActivity;
  /** Other installed names on a model's weights: the server lists only the one that loaded the runner (D8). */
  aliasesOf?(profileId: string, model: string): string[];
}

interface PendingUnload {
  /** The name as asked, shown in `snapshot.unloading`. */
  model: string;
  /** 'sending' until the server answered, then 'watching' until /api/ps no longer lists it. */
  phase: 'sending' | 'watching';
  /** When watching began (clock time). */
  since: number;
  promise: Promise<void>;
  resolve(): void;
  reject(error: AppError): void;
}

interface Watch {
  id: string;
  snapshot: LoadedSnapshot;
  timer: { cancel(): void } | null;
  inFlight: Promise<void> | null;
  failures: number;
  burstLeft: number;
  /** Keyed by the normalized model name, so "m" and "m:latest" are one unload. */
  pending: Map<string, PendingUnload>;
  /** Last time (clock) a watched unload ended or the server was seen busy: the watch is making progress. */
  progressAt: number;
}

function toLoadedModel(entry: PsEntry): LoadedModel {
  const d = entry.details ?? {};
  const details: ModelDetails = {};
  if (d.format !== undefined) details.format = d.format;
  if (d.family !== undefined) details.family = d.family;
  if (d.families !== undefined) details.families = d.families;
  if (d.parameter_size !== undefined) details.parameter_size = d.parameter_size;
  if (d.quantization_level !== undefined) details.quantization_level = d.quantization_level;
  const model: LoadedModel = {
    name: entry.name || entry.model || '',
    size: entry.size,
    sizeVram: entry.size_vram,
    expiresAt: entry.expires_at,
    details
  };
  if (entry.context_length !== undefined) model.contextLength = entry.context_length;
  return model;
}

/** What "changed" means for emitting: not updatedAt, which moves on every poll. */
function fingerprint(s: LoadedSnapshot): string {
  return JSON.stringify([
    s.state,
    s.models,
    [...s.unloading].sort(),
    [...(s.unloadsAfterLoad ?? [])].sort(),
    s.busy ?? null,
    s.error ?? null
  ]);
}

export class LoadedModelsMonitor {
  private readonly deps: LoadedMonitorDeps;
  private readonly intervals: MonitorIntervals;
  private readonly watches = new Map<string, Watch>();
  private running = false;

  constructor(deps: LoadedMonitorDeps) {
    this.deps = deps;
    this.intervals = { ...DEFAULT_MONITOR_INTERVALS, ...deps.intervals };
    // A request of ours starts or stops waiting: a busy server's "loading M" follows it, and a request
    // that starts waiting gets a poll now, so a load shows as "loading" while it lasts, not after.
    deps.activity?.onChange(() => {
      for (const watch of this.watches.values()) {
        if (watch.snapshot.busy) this.publish(watch, { busy: this.busyNow(watch) });
        else if (this.running && !watch.inFlight && deps.activity?.awaiting(watch.id).length) {
          this.burst(watch.id);
        }
      }
    });
  }

  /** Starts polling every saved profile (at once, then on its own pace). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.sync();
    for (const watch of this.watches.values()) void this.poll(watch);
  }

  /** Stops every timer; unloads still being watched are let go (their promises resolve). */
  stop(): void {
    this.running = false;
    for (const watch of this.watches.values()) this.release(watch);
  }

  /** Profiles were added, removed or edited: follow the list and poll them now. */
  profilesChanged(): void {
    this.sync();
    if (!this.running) return;
    for (const watch of this.watches.values()) void this.poll(watch);
  }

  /** Quick polls for a few seconds, e.g. after a chat ended (the model's expiry just reset). */
  burst(profileId: string): void {
    const watch = this.watches.get(profileId);
    if (!watch) return;
    watch.burstLeft = this.intervals.burstCount;
    if (this.running || watch.pending.size > 0) void this.poll(watch);
  }

  /** Polls every profile now and resolves with the fresh snapshots. */
  async refresh(): Promise<LoadedSnapshot[]> {
    this.sync();
    await Promise.all([...this.watches.values()].map((w) => this.poll(w)));
    return this.snapshots();
  }

  /** The latest snapshot of every profile, in the profiles' order. */
  snapshots(): LoadedSnapshot[] {
    const out: LoadedSnapshot[] = [];
    for (const profile of this.deps.profiles()) {
      const watch = this.watches.get(profile.id);
      if (watch) out.push(watch.snapshot);
    }
    return out;
  }

  /**
   * Asks the server to unload a model (keep_alive 0) and resolves once /api/ps no longer lists it.
   * A second call for the same model while one is pending returns the same promise and sends nothing.
   * A failure (server gone, 404) clears the "unloading" mark and rejects with the AppError.
   */
  unload(profileId: string, model: string): Promise<void> {
    const watch = this.watchFor(profileId);
    if (!watch) return Promise.reject(new AppError('NOT_FOUND', `No saved server with id ${profileId}`));
    const key = normalizeModelName(model);
    const existing = watch.pending.get(key);
    if (existing) return existing.promise;

    let resolve!: () => void;
    let reject!: (error: AppError) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A tray click may not wait for the outcome; the failure still reaches the snapshot and the
    // caller who awaits, but must not become an unhandled rejection.
    promise.catch(() => {});
    const pending: PendingUnload = { model, phase: 'sending', since: 0, promise, resolve, reject };
    watch.pending.set(key, pending);
    this.publish(watch, {});

    void (async () => {
      try {
        const client = await this.deps.clientFor(profileId);
        await client.unload(model);
        if (watch.pending.get(key) !== pending) return;
        pending.phase = 'watching';
        pending.since = this.deps.clock.now();
        this.burst(profileId);
      } catch (error) {
        if (watch.pending.get(key) === pending) {
          watch.pending.delete(key);
          this.publish(watch, {});
        }
        reject(toAppError(error));
      }
    })();
    return promise;
  }

  /**
   * Unloads every model the server lists right now (a busy server: the last list and the models being
   * loaded, since /api/ps would only answer after the load); rejects with the first failure, after all
   * ran. Each is watched until it is gone, however long the server takes while it makes progress.
   */
  async unloadAll(profileId: string): Promise<void> {
    const watch = this.watchFor(profileId);
    if (!watch) throw new AppError('NOT_FOUND', `No saved server with id ${profileId}`);
    if (!watch.snapshot.busy) await this.poll(watch);
    const { state, models, error, busy } = watch.snapshot;
    if (state === 'unreachable') {
      throw error
        ? new AppError(error.code, error.message, error.detail)
        : new AppError('SERVER_UNREACHABLE', 'The server does not answer');
    }
    const names = models.map((m) => m.name);
    for (const loading of busy?.loading ?? []) {
      if (!names.some((n) => sameModel(n, loading))) names.push(loading);
    }
    const results = await Promise.allSettled(names.map((name) => this.unload(profileId, name)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw toAppError(failed.reason);
  }

  // ---------- internals ----------

  private watchFor(profileId: string): Watch | undefined {
    if (!this.watches.has(profileId)) this.sync();
    return this.watches.get(profileId);
  }

  /** Makes the watches follow the saved profiles: new ones start as "checking", gone ones stop. */
  private sync(): void {
    const ids = new Set(this.deps.profiles().map((p) => p.id));
    for (const [id, watch] of this.watches) {
      if (ids.has(id)) continue;
      this.watches.delete(id);
      this.release(watch);
    }
    for (const id of ids) {
      if (this.watches.has(id)) continue;
      const watch: Watch = {
        id,
        snapshot: { profileId: id, state: 'checking', models: [], unloading: [], updatedAt: 0 },
        timer: null,
        inFlight: null,
        failures: 0,
        burstLeft: 0,
        pending: new Map(),
        progressAt: 0
      };
      this.watches.set(id, watch);
      this.send(watch.snapshot);
    }
  }

  /** Cancels a watch's timer and lets its watched unloads go. */
  private release(watch: Watch): void {
    watch.timer?.cancel();
    watch.timer = null;
    for (const [key, pending] of watch.pending) {
      if (pending.phase !== 'watching') continue;
      watch.pending.delete(key);
      pending.resolve();
    }
  }

  private isLive(watch: Watch): boolean {
    return this.watches.get(watch.id) === watch;
  }

  /** One poll at a time per profile: a caller arriving mid-poll shares it. */
  private poll(watch: Watch): Promise<void> {
    if (watch.inFlight) return watch.inFlight;
    watch.timer?.cancel();
    watch.timer = null;
    const run = this.runPoll(watch).finally(() => {
      watch.inFlight = null;
      this.schedule(watch);
    });
    watch.inFlight = run;
    return run;
  }

  private async runPoll(watch: Watch): Promise<void> {
    const { clock } = this.deps;
    const startedAt = clock.now();
    let models: LoadedModel[];
    let client: ClientLike | undefined;
    const controller = new AbortController();
    let deadError: AppError | undefined;
    let probeTimer: ReturnType<typeof setTimeout> | undefined;
    let waiting = true;
    try {
      client = await this.deps.clientFor(watch.id);
      const asked = client;
      // A wait on the network, like the client's own timeouts: real time, not the pacing clock.
      probeTimer = setTimeout(() => {
        void this.probe(watch, asked, () => waiting).then((error) => {
          if (error === undefined || controller.signal.aborted) return;
          // Not even /api/version answers: the server is gone, not busy. Stop waiting for /api/ps.
          deadError = error;
          controller.abort();
        });
      }, this.intervals.busyAfterMs);
      probeTimer.unref?.();
      const reply = await client.ps(controller.signal, true);
      models = (reply.models ?? []).map((entry) => {
        const model = toLoadedModel(entry);
        const aliases = this.deps.aliasesOf?.(watch.id, model.name) ?? [];
        if (aliases.length > 0) model.aliases = aliases;
        return model;
      });
    } catch (error) {
      if (!this.isLive(watch)) return;
      let failure = deadError ?? toAppError(error);
      // /api/ps gave up after a whole load's time: still busy if the server answers at all.
      if (deadError === undefined && failure.code === 'TIMEOUT' && client) {
        const probed = await this.probe(watch, client, () => true);
        if (probed === undefined) return;
        failure = probed;
      }
      watch.failures += 1;
      // We cannot see the server, so nothing can be shown as loaded or as still going away.
      for (const [key, pending] of watch.pending) {
        if (pending.phase !== 'watching') continue;
        watch.pending.delete(key);
        pending.resolve();
      }
      this.publish(watch, { state: 'unreachable', models: [], busy: undefined, error: failure.toShape() });
      return;
    } finally {
      waiting = false;
      clearTimeout(probeTimer);
    }
    if (!this.isLive(watch)) return;
    const now = clock.now();
    watch.failures = 0;
    for (const [key, pending] of watch.pending) {
      // Only a poll that began after the server accepted the unload can tell that it is done.
      if (pending.phase !== 'watching' || pending.since > startedAt) continue;
      // An alias is unloaded with the runner it shares: listed under the name that loaded it.
      const listed = models.some(
        (m) => sameModel(m.name, pending.model) || (m.aliases ?? []).some((a) => sameModel(a, pending.model))
      );
      const lastProgress = Math.max(pending.since, watch.progressAt);
      if (listed && now - lastProgress < this.intervals.unloadWatchMs) continue;
      watch.pending.delete(key);
      if (!listed) watch.progressAt = now;
      pending.resolve();
    }
    this.publish(watch, { state: 'reachable', models, busy: undefined, error: undefined, updatedAt: now });
  }

  /**
   * /api/ps is slow: asks /api/version. Answered: publishes "busy" (the last models kept) and resolves
   * undefined; not answered: resolves with the error, publishing nothing.
   */
  private async probe(
    watch: Watch,
    client: ClientLike,
    stillWaiting: () => boolean
  ): Promise<AppError | undefined> {
    try {
      await client.version();
    } catch (error) {
      return toAppError(error);
    }
    // /api/ps may have answered meanwhile: its fresh list wins over "busy".
    if (this.isLive(watch) && stillWaiting()) {
      watch.progressAt = this.deps.clock.now();
      this.publish(watch, { state: 'reachable', busy: this.busyNow(watch), error: undefined });
    }
    return undefined;
  }

  /** What a busy server is loading, as far as our own requests tell. */
  private busyNow(watch: Watch): { loading: string[] } {
    const models = watch.snapshot.models;
    const loading = (this.deps.activity?.awaiting(watch.id) ?? []).filter(
      (m) => !models.some((loaded) => sameModel(loaded.name, m))
    );
    return { loading };
  }

  private schedule(watch: Watch): void {
    if (!this.isLive(watch) || watch.inFlight) return;
    const watching = [...watch.pending.values()].some((p) => p.phase === 'watching');
    if (!this.running && !watching) return;
    const { burstMs, calmMs, backoffStartMs, backoffMaxMs } = this.intervals;
    let delay: number;
    if (watch.failures > 0) {
      delay = Math.min(backoffStartMs * 2 ** (watch.failures - 1), backoffMaxMs);
    } else if (watching) {
      delay = burstMs;
    } else if (watch.burstLeft > 0) {
      watch.burstLeft -= 1;
      delay = burstMs;
    } else {
      delay = calmMs;
    }
    watch.timer?.cancel();
    watch.timer = this.deps.clock.setTimeout(() => {
      watch.timer = null;
      void this.poll(watch);
    }, delay);
  }

  /** Applies a change to a watch's snapshot and emits it when something a viewer sees changed. */
  private publish(watch: Watch, change: Partial<LoadedSnapshot>): void {
    const before = watch.snapshot;
    const next: LoadedSnapshot = {
      ...before,
      ...change,
      unloading: [...watch.pending.values()].map((p) => p.model)
    };
    // The server holds an unload while it loads: say it happens when the load ends.
    const held = next.busy
      ? [...watch.pending.values()].filter((p) => p.phase === 'sending').map((p) => p.model)
      : [];
    if (held.length > 0) next.unloadsAfterLoad = held;
    else delete next.unloadsAfterLoad;
    if (next.error === undefined) delete next.error;
    if (next.busy === undefined) delete next.busy;
    watch.snapshot = next;
    if (fingerprint(before) !== fingerprint(next)) this.send(next);
  }

  /** A failing subscriber must not stop the polling. */
  private send(snapshot: LoadedSnapshot): void {
    try {
      this.deps.emit(snapshot);
    } catch {
      // The subscriber's own problem; the next change is emitted again.
    }
  }
}
