/**
 * Speeds and durations for the Models screen. Sizes come from shared/model-format.ts (Ollama's own
 * HumanBytes), so a download reads the same here as in a terminal and in the tray.
 */
import { formatBytes } from '@shared/model-format';

/** "2.1 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
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
