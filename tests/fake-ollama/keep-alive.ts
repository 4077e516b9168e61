/** keep_alive decoding as Ollama's api.Duration.UnmarshalJSON does it (ollama-api.md §3). */
import { goQuote } from './go-format';

/** math.MaxInt64 nanoseconds in ms: "forever", which /api/ps shows as about the year 2318. */
export const FOREVER_MS = 9_223_372_036_854;

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5
  μs: 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9
};

/** Go's time.ParseDuration, returning nanoseconds or throwing with Go's message. */
export function parseGoDuration(orig: string): number {
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  const invalid = (): Error => new Error('time: invalid duration ' + goQuote(orig));
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(\.(\d*))?/.exec(s);
    const intPart = num?.[1] ?? '';
    const fracPart = num?.[3] ?? '';
    if (intPart === '' && fracPart === '') throw invalid();
    s = s.slice(num?.[0].length ?? 0);
    const unitMatch = /^[^.0-9]*/.exec(s);
    const unit = unitMatch?.[0] ?? '';
    if (unit === '') throw new Error('time: missing unit in duration ' + goQuote(orig));
    const scale = UNIT_NS[unit];
    if (scale === undefined) {
      throw new Error('time: unknown unit ' + goQuote(unit) + ' in duration ' + goQuote(orig));
    }
    s = s.slice(unit.length);
    total += Number(`${intPart || '0'}.${fracPart || '0'}`) * scale;
    if (total > 9.223372036854775e18) throw invalid();
  }
  return neg ? -total : total;
}

export type KeepAliveResult = { ok: true; ms: number | undefined } | { ok: false; error: string };

/** Reflect-style Go type names for the "Unsupported type" message. */
function goTypeName(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  return typeof v;
}

/** undefined/null → ms undefined (keep the runner's duration or use the default). */
export function parseKeepAlive(raw: unknown): KeepAliveResult {
  if (raw === undefined || raw === null) return { ok: true, ms: undefined };
  if (typeof raw === 'number') {
    return { ok: true, ms: raw < 0 ? FOREVER_MS : raw * 1000 };
  }
  if (typeof raw === 'string') {
    try {
      const ns = parseGoDuration(raw);
      return { ok: true, ms: ns < 0 ? FOREVER_MS : ns / 1e6 };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }
  return { ok: false, error: `Unsupported type: '${goTypeName(raw)}'` };
}

/** keep_alive seconds as loadModel() takes them: negative = forever. */
export function keepAliveSecToMs(sec: number): number {
  return sec < 0 ? FOREVER_MS : sec * 1000;
}
