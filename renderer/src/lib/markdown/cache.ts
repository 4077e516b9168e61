/**
 * Finished messages never change, so their sanitized DOM is kept: scrolling back over a long
 * conversation, or re-opening it, does not parse the same markdown again (a copy is inserted).
 */
import { renderMarkdownFragment } from './render';

const MAX_ENTRIES = 400;
const cache = new Map<string, DocumentFragment>();

/** The rendered fragment for a text (shared: import a copy, never move its nodes). */
export function renderMarkdownCached(text: string): DocumentFragment {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Re-insert so the map's order is least recently used first.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const fragment = renderMarkdownFragment(text);
  cache.set(text, fragment);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return fragment;
}
