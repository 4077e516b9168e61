/**
 * keep_alive as the editor shows it: the server's default, a duration, forever, or unload right after
 * the reply. Ollama takes seconds as a number or a Go duration string; a negative value means
 * forever and zero means unload (ollama-api.md §3).
 */
import { GO_DURATION, type KeepAlive } from '@shared/domain';

export type KeepAliveMode = 'default' | 'duration' | 'forever' | 'unload';

export interface KeepAliveDraft {
  mode: KeepAliveMode;
  /** The duration text; kept while another mode is chosen so switching back restores it. */
  text: string;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000
};

/** Milliseconds of a Go duration string, or undefined when it is not one. */
export function goDurationMs(text: string): number | undefined {
  const t = text.trim();
  if (!GO_DURATION.test(t)) return undefined;
  if (t === '0') return 0;
  const sign = t.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const [, amount, unit] of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit!]!;
  }
  return sign * total;
}

/** Whole seconds as a Go duration: 300 → "5m", 5400 → "1h30m". */
export function secondsToGo(seconds: number): string {
  if (!Number.isInteger(seconds)) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('');
  return parts || '0s';
}

export function keepAliveToDraft(value: KeepAlive | undefined): KeepAliveDraft {
  if (value === undefined) return { mode: 'default', text: '' };
  const ms = typeof value === 'number' ? value * 1000 : goDurationMs(value);
  if (ms === undefined) return { mode: 'duration', text: String(value) };
  if (ms < 0) return { mode: 'forever', text: '' };
  if (ms === 0) return { mode: 'unload', text: '' };
  return { mode: 'duration', text: typeof value === 'number' ? secondsToGo(value) : value };
}

export type KeepAliveResult = { ok: true; value: KeepAlive | undefined } | { ok: false; error: string };

export function draftToKeepAlive(draft: KeepAliveDraft): KeepAliveResult {
  switch (draft.mode) {
    case 'default':
      return { ok: true, value: undefined };
    case 'forever':
      return { ok: true, value: -1 };
    case 'unload':
      return { ok: true, value: 0 };
    case 'duration': {
      const text = draft.text.trim();
      if (text === '') return { ok: false, error: 'Enter a duration such as 5m or 1h30m.' };
      if (/^\d+(\.\d+)?$/.test(text))
        return { ok: false, error: `Add a unit, for example ${text}s or ${text}m.` };
      const ms = goDurationMs(text);
      if (ms === undefined) {
        return {
          ok: false,
          error: 'Not a duration: use numbers with units h, m, s or ms, like 30s, 5m or 1h30m.'
        };
      }
      if (ms <= 0) return { ok: false, error: 'Use “Forever” or “Unload after each reply” for that.' };
      return { ok: true, value: text };
    }
  }
}

/** Short words for the presets list. */
export function describeKeepAlive(value: KeepAlive | undefined): string | null {
  const draft = keepAliveToDraft(value);
  if (draft.mode === 'default') return null;
  if (draft.mode === 'forever') return 'kept loaded forever';
  if (draft.mode === 'unload') return 'unloaded after each reply';
  return `kept loaded ${draft.text}`;
}
