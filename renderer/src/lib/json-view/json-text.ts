/**
 * Reading a reply as JSON: parse with the error's position, place a position on a line and column,
 * and find JSON in a reply that was not asked to be JSON (a bare object or one ```json block).
 */

import { findJsonError, lineAndColumn } from '@shared/json-position';

export type ParseOutcome = { ok: true; value: unknown } | { ok: false; message: string; position: number };

export function parseJson(text: string): ParseOutcome {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    // Some engine messages carry no position ("Unexpected token…"): find it ourselves.
    return { ok: false, message, position: at ? Number(at[1]) : errorPosition(text) };
  }
}

/** Index of the first character where `text` stops being valid JSON (its length if it ends early). */
export function errorPosition(text: string): number {
  return findJsonError(text)?.position ?? text.length;
}

export { lineAndColumn };

const FENCED = /^\s*```json[^\n]*\n([\s\S]*?)\n```\s*$/i;

/** The JSON a reply consists of, if it is only that: a bare object/array or a single ```json block. */
export function detectJson(content: string): { text: string; value: unknown } | null {
  const trimmed = content.trim();
  const fenced = FENCED.exec(trimmed);
  const text = fenced ? fenced[1]!.trim() : trimmed;
  if (!(text.startsWith('{') && text.endsWith('}')) && !(text.startsWith('[') && text.endsWith(']')))
    return null;
  const parsed = parseJson(text);
  return parsed.ok ? { text, value: parsed.value } : null;
}
