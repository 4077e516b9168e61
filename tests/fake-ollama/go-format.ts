/** How Go's encoding/json and time packages print things, so clients see the real server's bytes. */

/** JSON.stringify plus Go's HTML escaping of <, >, & and the JS line separators. */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')
  );
}

/** Go's strconv-style quoting, as time.ParseDuration and fmt's %q use it. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * RFC 3339 with up to 9 fractional digits, trailing zeros trimmed (Go's RFC3339Nano).
 * UTC (`offsetMinutes` null or 0) prints `Z`, as Go does (D21); other offsets print ±hh:mm.
 */
export function formatTime(epochMs: number, offsetMinutes: number | null, extraNs = 0): string {
  const whole = Math.floor(epochMs);
  const shifted = new Date(whole + (offsetMinutes ?? 0) * 60_000);
  const nanos = (((whole % 1000) + 1000) % 1000) * 1_000_000 + Math.floor(extraNs);
  const frac = nanos > 0 ? '.' + pad(nanos, 9).replace(/0+$/, '') : '';
  const date =
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
  if (offsetMinutes === null || offsetMinutes === 0) return `${date}${frac}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${date}${frac}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The machine's local UTC offset at that instant, in minutes east of UTC. */
export function localOffsetMinutes(epochMs: number): number {
  return -new Date(epochMs).getTimezoneOffset();
}
