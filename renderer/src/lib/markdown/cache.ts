/**
 * Finished messages never change, so their sanitized DOM is kept: scrolling back over a long
 * conversation, or re-opening it, does not parse the same markdown again (a copy is inserted).
 */
import { LruCache } from '../lru-cache';
import { renderMarkdownFragment } from './render';

const cache = new LruCache<DocumentFragment>(400);

/** The rendered fragment for a text (shared: import a copy, never move its nodes). */
export function renderMarkdownCached(text: string): DocumentFragment {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const fragment = renderMarkdownFragment(text);
  cache.set(text, fragment);
  return fragment;
}
