/**
 * Loaded models, as Ollama's scheduler keeps them (server/sched.go, llm/llama_server.go; see
 * /work/shared/real-ollama.md D1, D3, D4, D6, D7, D8):
 * - a runner is keyed by its weights, so aliases of one blob share it and ps shows the loader's name;
 * - while a runner loads, /api/ps and an unload of that model wait for the load to end;
 * - a hang-up during the load cancels it (the runner is gone);
 * - each runner serves `numParallel` requests at a time, later ones wait in order;
 * - expired runners are stopped one after another, each listed while it stops, then a VRAM wait;
 * - past `maxLoaded` runners (or the VRAM), an idle one is evicted before another loads;
 * - keep_alive sticks to a runner, its timer is frozen while requests run, a changed num_ctx reloads.
 */
import { formatTime } from './go-format';
import { modelDetails, modelDigest, normalizeName, weightsKey } from './models';
import type { Conn } from './reply-writer';
import type { FakeModel } from './types';

export interface SchedulerSettings {
  /** Epoch ms for keep_alive and expires_at. */
  clock(): number;
  /** Real ms an expired runner takes to stop (it stays listed meanwhile). */
  stopMs(): number;
  /** Real ms the expiry loop waits for VRAM after a runner stopped, before the next one. */
  vramRecoveryMs(model: FakeModel): number;
  defaultKeepAliveMs(): number;
  maxLoaded(): number;
  /** Bytes of VRAM; Infinity when only the count limits. */
  vramBytes(): number;
  numParallel(model: FakeModel): number;
  /** Ollama ≥ 0.32.10: ps and unload wait while a model loads. */
  psBlocksWhileLoading(): boolean;
  /** ps waits while the expiry loop stops a runner (it holds loadedMu). */
  psBlocksWhileStopping(): boolean;
}

export interface Runner {
  /** Weights key (the scheduler's ModelPath). */
  key: string;
  /** Normalized name of the model that loaded it: what ps shows. */
  name: string;
  model: FakeModel;
  keepAliveMs: number;
  contextLength: number;
  /** Clock ms; null until the first request ends (then ps shows now + keep_alive). */
  expiresAt: number | null;
  /** Requests scheduled on it (running, or waiting for a slot). */
  active: number;
  loading: boolean;
  /** Hands out no new requests: it unloads once idle (reload or eviction). */
  draining: boolean;
  /** In the expiry loop: waiting its turn, or its process is stopping. */
  expiry: null | 'queued' | 'stopping';
  busySlots: number;
  slotQueue: object[];
  /** Text of the last prompt and reply, for the prompt cache. */
  cachedText: string;
}

export interface AcquireResult {
  runner: Runner;
  /** This request (re)loaded the model. */
  loaded: boolean;
}

export class RunnerTable {
  private readonly runners = new Map<string, Runner>();
  private readonly expiryQueue: Runner[] = [];
  private readonly waiters = new Set<() => void>();
  private notifyQueued = false;
  private stopping: Runner | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly s: SchedulerSettings) {}

  private expired(r: Runner): boolean {
    return r.active === 0 && r.expiresAt !== null && this.s.clock() >= r.expiresAt;
  }

  /** Wakes every waiter on the next microtask (never re-entrantly). */
  private notify(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const w of [...this.waiters]) w();
    });
  }

  /** Resolves true once pred holds, false if the client went away first. */
  private until(pred: () => boolean, conn?: Conn): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    if (conn?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (ok: boolean): void => {
        this.waiters.delete(check);
        off?.();
        resolve(ok);
      };
      const check = (): void => {
        if (pred()) settle(true);
        else if (conn?.aborted) settle(false);
      };
      this.waiters.add(check);
      const off = conn?.onAbort(check);
    });
  }

  /** Puts newly expired runners in the expiry loop and runs it. */
  private prune(): void {
    for (const r of this.runners.values()) {
      if (r.expiry === null && !r.loading && this.expired(r)) {
        r.expiry = 'queued';
        this.expiryQueue.push(r);
      }
    }
    this.pump();
  }

  /** processCompleted: one expiry at a time, stop, remove, then wait for the VRAM. */
  private pump(): void {
    if (this.stopping || this.timer) return;
    const r = this.expiryQueue.shift();
    if (!r) return;
    r.expiry = 'stopping';
    this.stopping = r;
    this.timer = setTimeout(() => {
      if (this.runners.get(r.key) === r) this.runners.delete(r.key);
      this.stopping = null;
      this.notify();
      const wait = this.s.vramRecoveryMs(r.model);
      this.timer = wait > 0 ? setTimeout(() => this.afterVram(), wait) : null;
      if (!this.timer) this.prune();
    }, this.s.stopMs());
  }

  private afterVram(): void {
    this.timer = null;
    this.prune();
    this.notify();
  }

  private hasRoom(model: FakeModel): boolean {
    if (this.runners.size === 0) return true;
    if (this.runners.size >= this.s.maxLoaded()) return false;
    const used = [...this.runners.values()].reduce((sum, r) => sum + vram(r.model), 0);
    return used + vram(model) <= this.s.vramBytes();
  }

  /** findRunnerToUnload: shortest keep_alive first, an idle one if any. */
  private pickVictim(): Runner | undefined {
    const candidates = [...this.runners.values()]
      .filter((r) => !r.loading && !r.draining && r.expiry === null)
      .sort((a, b) => a.keepAliveMs - b.keepAliveMs || a.name.localeCompare(b.name));
    return candidates.find((r) => r.active === 0) ?? candidates[0];
  }

  /** Unloads once idle, and takes no new requests. */
  private drain(r: Runner): void {
    r.draining = true;
    r.keepAliveMs = 0;
    if (r.active === 0) r.expiresAt = this.s.clock();
    this.prune();
    this.notify();
  }

  /**
   * Schedules a request on the model: reuse its runner, or wait for room and load it for loadMs.
   * Null when the client hung up first (a load it started is cancelled).
   */
  async acquire(
    model: FakeModel,
    keepAliveMs: number | undefined,
    numCtx: number,
    conn: Conn,
    loadMs: number
  ): Promise<AcquireResult | null> {
    const key = weightsKey(model);
    for (;;) {
      this.prune();
      const r = this.runners.get(key);
      if (r?.loading) {
        if (!(await this.until(() => this.runners.get(key) !== r || !r.loading, conn))) return null;
        continue;
      }
      if (r && !r.draining && r.expiry === null && !this.expired(r)) {
        if (r.contextLength === numCtx) {
          if (keepAliveMs !== undefined) r.keepAliveMs = keepAliveMs;
          r.active++;
          return { runner: r, loaded: false };
        }
        this.drain(r); // needsReload: the old one goes once its requests end
      }
      if (r) {
        if (!(await this.until(() => this.runners.get(key) !== r, conn))) return null;
        continue;
      }
      if (!this.hasRoom(model)) {
        const victim = this.pickVictim();
        if (victim) this.drain(victim);
        // Look again once anything left (one eviction may not free enough VRAM).
        const size = this.runners.size;
        const changed = (): boolean => this.runners.size < size || this.runners.has(key);
        if (!(await this.until(changed, conn))) return null;
        continue;
      }
      const runner: Runner = {
        key,
        name: normalizeName(model.name),
        model,
        keepAliveMs: keepAliveMs ?? this.s.defaultKeepAliveMs(),
        contextLength: numCtx,
        expiresAt: null,
        active: 1,
        loading: true,
        draining: false,
        expiry: null,
        busySlots: 0,
        slotQueue: [],
        cachedText: ''
      };
      this.runners.set(key, runner);
      this.notify();
      await conn.sleep(loadMs);
      runner.loading = false;
      this.notify();
      if (conn.aborted) {
        // "client connection closed before server finished loading, aborting load"
        if (this.runners.get(key) === runner) this.runners.delete(key);
        this.prune();
        return null;
      }
      return { runner, loaded: true };
    }
  }

  /** The runner's semaphore (OLLAMA_NUM_PARALLEL), first come first served. */
  async takeSlot(r: Runner, conn: Conn): Promise<boolean> {
    const token = {};
    r.slotQueue.push(token);
    const ok = await this.until(
      () => r.slotQueue[0] === token && r.busySlots < Math.max(1, this.s.numParallel(r.model)),
      conn
    );
    const i = r.slotQueue.indexOf(token);
    if (i >= 0) r.slotQueue.splice(i, 1);
    if (ok) r.busySlots++;
    this.notify();
    return ok;
  }

  releaseSlot(r: Runner): void {
    r.busySlots = Math.max(0, r.busySlots - 1);
    this.notify();
  }

  /** The request ended: restart the expiry timer (keep_alive 0 expires it now). */
  release(r: Runner): void {
    r.active = Math.max(0, r.active - 1);
    if (r.active > 0) return;
    r.expiresAt = this.s.clock() + r.keepAliveMs;
    this.prune();
    this.notify();
  }

  /** expireRunner: waits while the model loads, then expires it (freed once its requests end). */
  async unload(model: FakeModel, conn: Conn): Promise<boolean> {
    const key = weightsKey(model);
    const r = this.runners.get(key);
    if (!r) return true;
    if (r.loading && this.s.psBlocksWhileLoading()) {
      if (!(await this.until(() => this.runners.get(key) !== r || !r.loading, conn))) return false;
      if (this.runners.get(key) !== r) return true;
    }
    if (r.expiry !== null) return true;
    r.keepAliveMs = 0;
    if (r.active === 0) r.expiresAt = this.s.clock();
    this.prune();
    this.notify();
    return true;
  }

  /** Put a model in memory directly, idle, with its timer running. */
  put(model: FakeModel, keepAliveMs: number, contextLength: number): void {
    const key = weightsKey(model);
    const old = this.runners.get(key);
    if (old) this.forget(old);
    this.runners.set(key, {
      key,
      name: normalizeName(model.name),
      model,
      keepAliveMs,
      contextLength,
      expiresAt: this.s.clock() + keepAliveMs,
      active: 0,
      loading: false,
      draining: false,
      expiry: null,
      busySlots: 0,
      slotQueue: [],
      cachedText: ''
    });
    this.notify();
  }

  private forget(r: Runner): void {
    const i = this.expiryQueue.indexOf(r);
    if (i >= 0) this.expiryQueue.splice(i, 1);
    this.runners.delete(r.key);
  }

  /** Names of runners in memory that have not expired (loading ones included). */
  liveNames(): string[] {
    this.prune();
    return [...this.runners.values()].filter((r) => r.expiry === null && !this.expired(r)).map((r) => r.name);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping = null;
    this.expiryQueue.length = 0;
    this.runners.clear();
    this.notify();
  }

  /** The /api/ps body, latest expiry (in whole seconds) first; waits while a model loads. */
  async psBody(
    offsetMinutes: (ms: number) => number,
    conn: Conn
  ): Promise<{ models: Record<string, unknown>[] } | null> {
    if (this.s.psBlocksWhileLoading()) {
      const idle = (): boolean => ![...this.runners.values()].some((r) => r.loading);
      if (!(await this.until(idle, conn))) return null;
    }
    // The lock is free between two expiries: wait for the stop under way, not for the whole queue.
    const blocker = this.stopping;
    if (blocker && this.s.psBlocksWhileStopping()) {
      if (!(await this.until(() => this.stopping !== blocker, conn))) return null;
    }
    this.prune();
    const now = this.s.clock();
    const rows = [...this.runners.values()].map((r) => ({
      r,
      expires: r.expiresAt ?? now + r.keepAliveMs
    }));
    // Go sorts by ExpiresAt.Unix(): whole seconds.
    rows.sort((a, b) => Math.floor(b.expires / 1000) - Math.floor(a.expires / 1000));
    return {
      models: rows.map(({ r, expires }) => {
        const size = r.model.sizeBytes;
        return {
          name: r.name,
          model: r.name,
          size,
          digest: modelDigest(r.model),
          details: modelDetails(r.model),
          expires_at: formatTime(expires, offsetMinutes(expires)),
          size_vram: vram(r.model),
          context_length: r.contextLength
        };
      })
    };
  }
}

function vram(m: FakeModel): number {
  return Math.min(m.sizeBytes, m.vramBytes ?? m.sizeBytes);
}
