/**
 * Case-insensitive full-text match over a conversation's title and message text (every branch, not
 * only the path shown), with a short snippet around the first hit for the list.
 */
import type { Message } from '@shared/domain';

const SNIPPET_SIDE = 40;

/** A matcher for a query; a RegExp (not toLowerCase + indexOf) keeps indices valid in the original text. */
export function queryMatcher(query: string): RegExp | null {
  const trimmed = query.trim();
  if (trimmed === '') return null;
  const escaped = trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(escaped, 'iu');
}

/** "…text around the match…", whitespace collapsed, at most about 2 × SNIPPET_SIDE + match long. */
export function snippetAround(text: string, index: number, length: number): string {
  let start = Math.max(0, index - SNIPPET_SIDE);
  let end = Math.min(text.length, index + length + SNIPPET_SIDE);
  // Never cut a surrogate pair in half.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start -= 1;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end += 1;
  const body = text.slice(start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Whether the conversation matches, and the snippet to show. A hit in the messages is preferred for
 * the snippet (the title is shown anyway); a title-only hit gives no snippet.
 */
export function matchConversation(
  title: string,
  messages: readonly Message[],
  matcher: RegExp
): { snippet?: string } | null {
  for (const message of messages) {
    const hit = matcher.exec(message.content);
    if (hit) return { snippet: snippetAround(message.content, hit.index, hit[0].length) };
  }
  if (matcher.test(title)) return {};
  return null;
}
