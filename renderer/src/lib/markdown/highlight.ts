/**
 * Syntax highlighting for code blocks. Only a handful of common languages are registered (the full
 * highlight.js bundle is ~1 MB); anything else is shown escaped, without colors.
 */
import hljs from 'highlight.js/lib/core';
import { LruCache } from '../lru-cache';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml
};
for (const [name, definition] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, definition);

/** Code longer than this is not highlighted: the cost grows with size and plain text stays readable. */
const MAX_HIGHLIGHT_CHARS = 100_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) =>
    ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '"' ? '&quot;' : '&#39;'
  );
}

/** The language named after a code fence's backticks (first word, lower case), or '' for none. */
export function codeLanguage(lang: string | undefined): string {
  return (lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** A registered grammar exists for it (never auto-detected: slow and often wrong). */
export function canHighlight(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

/** Highlighted code by language and text: showing a message again does not colour its code again. */
const cache = new LruCache<string>(300);

/**
 * Highlighted HTML for code in a registered language, or null (unknown language, too long, or a
 * grammar error: the code then stays plain, never lost). highlight.js escapes the code itself, so
 * its output holds nothing but spans around escaped text.
 */
export function highlightCode(code: string, language: string): string | null {
  if (!canHighlight(language) || code.length > MAX_HIGHLIGHT_CHARS) return null;
  const key = `${language}\u0000${code}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string;
  try {
    html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
  cache.set(key, html);
  return html;
}
