/**
 * Sizes, speeds and durations for the Models screen. Decimal units (1 MB = 1e6 bytes) like the
 * `ollama` CLI prints, so a download reads the same here as in a terminal.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "512 B", "4.2 MB", "3.3 GB", "12 GB". */
export function formatSize(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** "2.1 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatSize(bytesPerSecond)}/s`;
}

/** "about 5 s left", "about 3 min left", "about 1 h 20 min left". */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `about ${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/** "128K", "4096" → a context length as people say it ("131072" is "128K"). */
export function formatContext(tokens: number): string {
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}K`;
  return String(tokens);
}

/** Capabilities worth a badge: every model completes text, so "completion" says nothing. */
export function capabilityBadges(capabilities: readonly string[]): string[] {
  return capabilities.filter((c) => c !== 'completion');
}
