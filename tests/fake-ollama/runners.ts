/**
 * Loaded models, as Ollama's scheduler keeps them (server/sched.go): keep_alive sticks to a runner,
 * the expiry timer is frozen while a request runs, a changed num_ctx reloads, and an expired runner
 * lingers in /api/ps for a short grace period before it is gone.
 */
import { performance } from 'node:perf_hooks';
import { formatTime } from './go-format';
import { modelDetails, modelDigest, normalizeName } from './models';
import type { FakeModel } from './types';

export interface Runner {
  key: string;
  model: FakeModel;
  keepAliveMs: number;
  contextLength: number;
  /** Clock ms; null until the first request ends (then ps shows now + keep_alive). */
  expiresAt: number | null;
  active: number;
  /** Real time (performance.now) when it was seen expired; it disappears a grace period later. */
  expiredSeenAt: number | null;
}

export interface AcquireResult {
  runner: Runner;
  /** This request (re)loaded the model. */
  loaded: boolean;
}

export class RunnerTable {
  private readonly runners = new Map<string, Runner>();

  constructor(
    private readonly clock: () => number,
    private readonly graceMs: () => number,
    private readonly defaultKeepAliveMs: () => number
  ) {}

  private expired(r: Runner): boolean {
    return r.active === 0 && r.expiresAt !== null && this.clock() >= r.expiresAt;
  }

  /** Drops runners whose grace period after expiry is over. */
  private prune(): void {
    const now = performance.now();
    for (const [key, r] of this.runners) {
      if (!this.expired(r)) {
        r.expiredSeenAt = null;
        continue;
      }
      r.expiredSeenAt ??= now;
      if (now - r.expiredSeenAt >= this.graceMs()) this.runners.delete(key);
    }
  }

  /** A live (not expired) runner for this model. */
  get(name: string): Runner | undefined {
    this.prune();
    const r = this.runners.get(normalizeName(name));
    return r && !this.expired(r) ? r : undefined;
  }

  /** Start a request on the model: reuse the runner, or (re)load it. */
  acquire(model: FakeModel, keepAliveMs: number | undefined, numCtx: number): AcquireResult {
    const key = normalizeName(model.name);
    const current = this.get(key);
    if (current && current.contextLength === numCtx) {
      if (keepAliveMs !== undefined) current.keepAliveMs = keepAliveMs;
      current.active++;
      return { runner: current, loaded: false };
    }
    const runner: Runner = {
      key,
      model,
      keepAliveMs: keepAliveMs ?? this.defaultKeepAliveMs(),
      contextLength: numCtx,
      expiresAt: null,
      active: 1,
      expiredSeenAt: null
    };
    this.runners.set(key, runner);
    return { runner, loaded: true };
  }

  /** The request ended: restart the expiry timer (keep_alive 0 expires it now). */
  release(r: Runner): void {
    r.active = Math.max(0, r.active - 1);
    if (r.active > 0) return;
    r.expiresAt = this.clock() + r.keepAliveMs;
    if (r.keepAliveMs <= 0) r.expiredSeenAt = performance.now();
  }

  /** expireRunner: expires now, freed once in-flight requests finish. */
  unload(name: string): void {
    const r = this.get(name);
    if (!r) return;
    r.keepAliveMs = 0;
    r.expiresAt = this.clock();
    if (r.active === 0) r.expiredSeenAt = performance.now();
  }

  /** Put a model in memory directly, idle, with its timer running. */
  put(model: FakeModel, keepAliveMs: number, contextLength: number): void {
    const key = normalizeName(model.name);
    this.runners.set(key, {
      key,
      model,
      keepAliveMs,
      contextLength,
      expiresAt: this.clock() + keepAliveMs,
      active: 0,
      expiredSeenAt: null
    });
  }

  liveNames(): string[] {
    this.prune();
    return [...this.runners.values()].filter((r) => !this.expired(r)).map((r) => r.key);
  }

  clear(): void {
    this.runners.clear();
  }

  /** The /api/ps body, latest expiry first. */
  psBody(offsetMinutes: (ms: number) => number): { models: Record<string, unknown>[] } {
    this.prune();
    const now = this.clock();
    const rows = [...this.runners.values()].map((r) => ({
      r,
      expires: r.expiresAt ?? now + r.keepAliveMs
    }));
    rows.sort((a, b) => b.expires - a.expires);
    return {
      models: rows.map(({ r, expires }) => {
        const size = r.model.sizeBytes;
        return {
          name: r.key,
          model: r.key,
          size,
          digest: modelDigest(r.model),
          details: modelDetails(r.model),
          expires_at: formatTime(expires, offsetMinutes(expires)),
          size_vram: Math.min(size, r.model.vramBytes ?? size),
          context_length: r.contextLength
        };
      })
    };
  }
}
