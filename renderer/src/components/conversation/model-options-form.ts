/**
 * Pure helpers for the composer's Options panel: text fields → ModelOptions / keep_alive, checked
 * with the same zod schemas main validates with, so the user sees the error before main refuses.
 */
import { keepAliveSchema, modelOptionsSchema, type KeepAlive, type ModelOptions } from '@shared/domain';

/** The options the panel edits, in the order shown. */
export const OPTION_FIELDS = [
  { key: 'temperature', label: 'Temperature', step: '0.05', integer: false },
  { key: 'top_p', label: 'Top P', step: '0.05', integer: false },
  { key: 'num_ctx', label: 'Context length (num_ctx)', step: '1', integer: true },
  { key: 'seed', label: 'Seed', step: '1', integer: true },
  { key: 'num_predict', label: 'Max tokens (num_predict)', step: '1', integer: true }
] as const;

export type NumericOptionKey = (typeof OPTION_FIELDS)[number]['key'];

export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false; error: string };

/** A number field: empty clears it (back to the preset / model default). */
export function parseNumericOption(key: NumericOptionKey, raw: string): Parsed<number> {
  const text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  const value = Number(text);
  if (!Number.isFinite(value)) return { ok: false, error: 'Enter a number.' };
  const checked = modelOptionsSchema.shape[key].safeParse(value);
  if (!checked.success) return { ok: false, error: describeIssue(checked.error.issues[0]) };
  return { ok: true, value };
}

/** Stop sequences, one per line; blank lines are dropped, spaces inside kept. */
export function parseStop(raw: string): Parsed<string[]> {
  const list = raw.split('\n').filter((line) => line.trim() !== '');
  return { ok: true, value: list.length > 0 ? list : undefined };
}

/** keep_alive: seconds ("300", "-1") or a Go duration ("5m", "1h30m"); empty clears it. */
export function parseKeepAlive(raw: string): Parsed<KeepAlive> {
  const text = raw.trim();
  if (text === '') return { ok: true, value: undefined };
  const value: KeepAlive = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  const checked = keepAliveSchema.safeParse(value);
  if (!checked.success)
    return { ok: false, error: 'Use seconds, or a duration such as 5m, 1h30m; -1 keeps it loaded.' };
  return { ok: true, value: checked.data };
}

/** The conversation's options with one field set or removed; null when nothing is left. */
export function withOption<K extends keyof ModelOptions>(
  options: ModelOptions | undefined,
  key: K,
  value: ModelOptions[K] | undefined
): ModelOptions | null {
  const next: ModelOptions = { ...options };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return Object.keys(next).length > 0 ? next : null;
}

/** How a value looks in its field (and as a placeholder). */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** The count of overrides, for the disclosure's summary. */
export function overrideCount(options: ModelOptions | undefined, keepAlive: KeepAlive | undefined): number {
  return Object.keys(options ?? {}).length + (keepAlive === undefined ? 0 : 1);
}

function describeIssue(
  issue: { code: string; message: string; minimum?: unknown; maximum?: unknown } | undefined
) {
  if (!issue) return 'Not a valid value.';
  if (issue.code === 'too_small') return `At least ${String(issue.minimum)}.`;
  if (issue.code === 'too_big') return `At most ${String(issue.maximum)}.`;
  if (issue.code === 'invalid_type') return 'Enter a whole number.';
  return issue.message;
}
