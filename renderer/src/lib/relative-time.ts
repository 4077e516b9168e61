/**
 * Short relative times for the conversation list ("just now", "5 min ago", "yesterday", "Mar 3").
 * Pure: the caller passes `now`, so a ticking clock in state re-renders the list and tests stay exact.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Building an Intl formatter costs far more than using one, and the list formats every row each
// minute: keep one per locale and shape.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

function startOfDay(time: number): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function relativeTime(timestamp: number, now: number = Date.now(), locale?: string): string {
  const diff = now - timestamp;
  // A clock that moved backwards (or a synced file from a machine ahead of us) reads as "just now".
  if (diff < 45_000) return 'just now';
  if (diff < HOUR) return `${Math.max(1, Math.round(diff / MINUTE))} min ago`;
  const days = Math.round((startOfDay(now) - startOfDay(timestamp)) / DAY);
  if (days === 0) return `${Math.floor(diff / HOUR)} h ago`;
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  const sameYear = new Date(now).getFullYear() === new Date(timestamp).getFullYear();
  return formatter(locale, {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' })
  }).format(timestamp);
}

/** The full date and time, for a tooltip next to the short form. */
export function fullTime(timestamp: number, locale?: string): string {
  return formatter(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(timestamp);
}
