/** Small formatters for message details: durations from Ollama's nanoseconds, speeds. */
import type { Metrics } from '@shared/domain';

export function formatNs(ns: number | undefined): string {
  if (ns === undefined) return '—';
  const ms = ns / 1e6;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Generation speed from the final chunk: eval_count / eval_duration × 1e9. */
export function tokensPerSecond(metrics: Metrics | undefined): number | undefined {
  if (!metrics?.evalCount || !metrics.evalDuration) return undefined;
  return (metrics.evalCount / metrics.evalDuration) * 1e9;
}

export function formatTps(tps: number | undefined): string {
  if (tps === undefined || !Number.isFinite(tps)) return '—';
  return `${tps >= 100 ? Math.round(tps) : tps.toFixed(1)} tokens/s`;
}

/** Ollama's lookup rule: case-insensitive, a missing tag means latest. */
export function modelKey(name: string): string {
  const lower = name.trim().toLowerCase();
  const lastSegment = lower.slice(lower.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? lower : `${lower}:latest`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
