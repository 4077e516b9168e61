/** The Thinking block's summary line: "Thinking…" while streaming, then how long it took. */
export function thinkingSummary(streaming: boolean, durationMs: number | undefined): string {
  if (streaming) return 'Thinking…';
  if (durationMs === undefined || !Number.isFinite(durationMs) || durationMs < 0) return 'Thinking';
  return `Thought for ${formatThinkingDuration(durationMs)}`;
}

/** 0.4 s, 3.2 s, 1 min 5 s: one decimal under a minute, whole seconds after. */
export function formatThinkingDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
