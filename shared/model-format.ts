/**
 * Words for model sizes and loaded models, shared by the tray menu (main), the Loaded models panel, the
 * Models screen and the composer's model menu (renderer), so one model reads the same everywhere. Pure
 * functions of their inputs; `now` is passed in so countdowns are testable.
 *
 * Sizes follow Ollama's format.HumanBytes, which `ollama ps` and `ollama list` print: decimal units
 * (1 GB = 1e9 bytes), whole numbers from 10 up ("12 GB"), one decimal below ("3.3 GB", "5.7 MB"), so
 * our figures match what the user sees in a terminal.
 */
import type { LoadedModel } from './domain';

/** Ollama shows keep_alive forever as an expiry ~292 years away; anything past this is "forever". */
export const FOREVER_MS = 100 * 365.25 * 24 * 3600 * 1000;

const UNITS = [
  [1e12, 'TB'],
  [1e9, 'GB'],
  [1e6, 'MB'],
  [1e3, 'KB']
] as const;

/** One decimal the way Go's %.1f writes it: an exact tie (x.25, x.75) rounds to the even digit. */
function oneDecimal(value: number): string {
  const tenths = value * 10;
  const floor = Math.floor(tenths);
  if (tenths - floor === 0.5) return ((floor % 2 === 0 ? floor : floor + 1) / 10).toFixed(1);
  return value.toFixed(1);
}

/** "512 B", "5.7 MB", "3.3 GB", "3 GB", "42 GB", "142 GB": Ollama's HumanBytes. */
export function formatBytes(bytes: number): string {
  const b = Math.max(0, Math.trunc(bytes));
  const unit = UNITS.find(([size]) => b >= size);
  if (!unit) return `${b} B`;
  const value = b / unit[0];
  // From 10 up Ollama truncates to a whole number (int(value)), it does not round.
  if (value >= 10 || value === Math.trunc(value)) return `${Math.trunc(value)} ${unit[1]}`;
  return `${oneDecimal(value)} ${unit[1]}`;
}

/** Where a model sits: all on the GPU, all in RAM, or split (with the GPU's share in percent). */
export type GpuShare = { kind: 'gpu' } | { kind: 'cpu' } | { kind: 'partial'; percent: number };

export function gpuShare(model: Pick<LoadedModel, 'size' | 'sizeVram'>): GpuShare {
  const { size, sizeVram } = model;
  if (sizeVram <= 0) return { kind: 'cpu' };
  if (sizeVram >= size) return { kind: 'gpu' };
  // As `ollama ps`: the CPU share is rounded and the GPU gets the rest; a split never reads 0% or 100%.
  const cpu = Math.min(99, Math.max(1, Math.round(((size - sizeVram) / size) * 100)));
  return { kind: 'partial', percent: 100 - cpu };
}

/** `ollama ps`'s PROCESSOR column: "100% GPU", "100% CPU", "24%/76% CPU/GPU". */
export function formatProcessor(model: Pick<LoadedModel, 'size' | 'sizeVram'>): string {
  const share = gpuShare(model);
  if (share.kind === 'cpu') return '100% CPU';
  if (share.kind === 'gpu') return '100% GPU';
  return `${100 - share.percent}%/${share.percent}% CPU/GPU`;
}

/** SIZE and PROCESSOR as `ollama ps` prints them: "3.3 GB · 100% GPU", "42 GB · 24%/76% CPU/GPU". */
export function formatMemory(model: Pick<LoadedModel, 'size' | 'sizeVram'>): string {
  return `${formatBytes(model.size)} · ${formatProcessor(model)}`;
}

/**
 * One server's memory in use: "3.3 GB VRAM", "40 GB VRAM · 11 GB RAM". Never sum across servers: two
 * machines' VRAM added up is nobody's VRAM.
 */
export function formatServerMemory(models: readonly Pick<LoadedModel, 'size' | 'sizeVram'>[]): string {
  let vram = 0;
  let ram = 0;
  for (const m of models) {
    vram += Math.max(0, Math.min(m.sizeVram, m.size));
    ram += Math.max(0, m.size - Math.max(0, m.sizeVram));
  }
  const parts: string[] = [];
  if (vram > 0 || ram === 0) parts.push(`${formatBytes(vram)} VRAM`);
  // RAM only when some of it is used, so the common all-GPU case stays short.
  if (ram > 0) parts.push(`${formatBytes(ram)} RAM`);
  return parts.join(' · ');
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
 * "45 s left" / "4 min left" / "2 h 5 min left"; "kept loaded" for keep_alive forever; "in use" when
 * the expiry lies in the past. Coarse on purpose: the tray menu is rebuilt only now and then.
 */
export function formatExpiry(expiresAt: string, now: number): string | null {
  const state = expiryState(expiresAt, now);
  if (state === null) return null;
  if (state.kind === 'forever') return 'kept loaded';
  if (state.kind === 'in-use') return 'in use';
  const seconds = Math.ceil(state.ms / 1000);
  if (seconds < 60) return `${seconds} s left`;
  // Whole minutes left, rounded down: "4 min" means at least four minutes remain.
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
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
