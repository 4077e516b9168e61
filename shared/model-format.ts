/**
 * Words for loaded models, shared by the tray menu (main) and the Loaded models panel (renderer) so both
 * say the same thing. Pure functions of their inputs; `now` is passed in so countdowns are testable.
 *
 * Sizes are decimal gigabytes (1 GB = 1e9 bytes) with one decimal, the same unit `ollama ps` prints, so
 * our numbers match what the user sees in a terminal.
 */
import type { LoadedModel } from './domain';

const GB = 1e9;
/** Ollama shows keep_alive forever as an expiry ~292 years away; anything past this is "forever". */
export const FOREVER_MS = 100 * 365.25 * 24 * 3600 * 1000;

export function formatGb(bytes: number): string {
  return `${(Math.max(0, bytes) / GB).toFixed(1)} GB`;
}

/** Where a model sits: all on the GPU, all in RAM, or split (with the GPU's share in percent). */
export type GpuShare = { kind: 'gpu' } | { kind: 'cpu' } | { kind: 'partial'; percent: number };

export function gpuShare(model: Pick<LoadedModel, 'size' | 'sizeVram'>): GpuShare {
  const { size, sizeVram } = model;
  if (sizeVram <= 0) return { kind: 'cpu' };
  if (sizeVram >= size) return { kind: 'gpu' };
  // A partial offload never reads as 0% or 100%, whatever the rounding.
  return { kind: 'partial', percent: Math.min(99, Math.max(1, Math.round((sizeVram / size) * 100))) };
}

/** "100% GPU", "76% GPU", "CPU". */
export function formatGpuShare(model: Pick<LoadedModel, 'size' | 'sizeVram'>): string {
  const share = gpuShare(model);
  if (share.kind === 'cpu') return 'CPU';
  return share.kind === 'gpu' ? '100% GPU' : `${share.percent}% GPU`;
}

/** "5.4 GB VRAM (100% GPU)", "4.1 GB VRAM (76% GPU)" for a partial offload, "5.4 GB RAM (CPU)". */
export function formatMemory(model: Pick<LoadedModel, 'size' | 'sizeVram'>): string {
  const share = gpuShare(model);
  if (share.kind === 'cpu') return `${formatGb(model.size)} RAM (CPU)`;
  return `${formatGb(model.sizeVram)} VRAM (${formatGpuShare(model)})`;
}

/** What a model's expiry means right now. */
export type ExpiryState = { kind: 'forever' } | { kind: 'in-use' } | { kind: 'left'; ms: number };

export function expiryState(expiresAt: string, now: number): ExpiryState | null {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  const left = at - now;
  if (left > FOREVER_MS) return { kind: 'forever' };
  // Ollama stops the timer while a request runs, so a past expiry means busy (ollama-api.md §3).
  if (left <= 0) return { kind: 'in-use' };
  return { kind: 'left', ms: left };
}

/**
 * "unloads in 45 s" / "in 4 min" / "in 2 h 5 min"; "kept loaded" for keep_alive forever; "in use" when
 * the expiry lies in the past. Coarse on purpose: the tray menu is rebuilt only now and then.
 */
export function formatExpiry(expiresAt: string, now: number): string | null {
  const state = expiryState(expiresAt, now);
  if (state === null) return null;
  if (state.kind === 'forever') return 'kept loaded';
  if (state.kind === 'in-use') return 'in use';
  const seconds = Math.ceil(state.ms / 1000);
  if (seconds < 60) return `unloads in ${seconds} s`;
  // Whole minutes left, rounded down: "4 min" means at least four minutes remain.
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `unloads in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `unloads in ${hours} h` : `unloads in ${hours} h ${rest} min`;
}

/**
 * The same states with a ticking clock for views that re-render every second: "unloads in 4:05",
 * "unloads in 1:02:05", "kept loaded", "in use".
 */
export function formatCountdown(expiresAt: string, now: number): string | null {
  const state = expiryState(expiresAt, now);
  if (state === null) return null;
  if (state.kind === 'forever') return 'kept loaded';
  if (state.kind === 'in-use') return 'in use';
  const total = Math.ceil(state.ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `unloads in ${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `unloads in ${minutes}:${seconds}`;
}
