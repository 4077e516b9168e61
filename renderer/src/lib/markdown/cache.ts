/**
 * Finished messages never change, so their HTML is kept: scrolling back over a long conversation,
 * or re-opening it, does not parse the same markdown again.
 */
import { renderMarkdown } from './render';

const MAX_ENTRIES = 400;
const cache = new Map<string, string>();

export function renderMarkdownCached(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Re-insert so the map's order is least recently used first.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const html = renderMarkdown(text);
  cache.set(text, html);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return html;
}
