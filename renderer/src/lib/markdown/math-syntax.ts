/**
 * Where TeX math starts and ends in a model's markdown: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]`
 * displayed. Pure string rules (no DOM, no KaTeX), shared by the marked extension (math.ts) and the
 * streaming block splitter (split-blocks.ts).
 *
 * A single `$` follows Pandoc's rule so prices stay prices ("$5 and $10"): the opening `$` is followed
 * by a non-space, the closing one is preceded by a non-space and not followed by a digit.
 */

export interface MathMatch {
  /** The whole delimited text, delimiters included. */
  raw: string;
  /** The TeX between the delimiters. */
  tex: string;
  display: boolean;
}

const INLINE_DOLLAR = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/;
const INLINE_DISPLAY_DOLLAR = /^\$\$(?!\$)((?:\\.|[^\\$])+?)\$\$/;
const INLINE_PAREN = /^\\\(((?:\\(?!\))|[^\\])+?)\\\)/;
const INLINE_BRACKET = /^\\\[((?:\\(?!\])|[^\\])+?)\\\]/;

/** Math at the very start of inline text, or null. Code spans never get here: marked takes them first. */
export function matchInlineMath(src: string): MathMatch | null {
  let m = INLINE_DISPLAY_DOLLAR.exec(src);
  if (m) return { raw: m[0], tex: m[1]!, display: true };
  m = INLINE_DOLLAR.exec(src);
  if (m) return { raw: m[0], tex: m[1]!, display: false };
  m = INLINE_PAREN.exec(src);
  if (m) return { raw: m[0], tex: m[1]!, display: false };
  m = INLINE_BRACKET.exec(src);
  if (m) return { raw: m[0], tex: m[1]!, display: true };
  return null;
}

/** Where inline math might start in `src` (for marked's `start`), or -1. */
export function inlineMathStart(src: string): number {
  const m = /\$|\\[([]/.exec(src);
  return m ? m.index : -1;
}

/** A line that opens a displayed block: `$$` or `\[` at the margin (up to three spaces). */
const BLOCK_OPEN = /^ {0,3}(\$\$|\\\[)/;
const CLOSER: Record<string, string> = { $$: '$$', '\\[': '\\]' };

/**
 * A displayed block at the start of `src`: the opening delimiter begins a line, the closing one ends
 * a line (possibly the same), and only blank space follows it there. Null while it is still open.
 */
export function matchBlockMath(src: string): MathMatch | null {
  const open = BLOCK_OPEN.exec(src);
  if (!open) return null;
  const opener = open[1]!;
  const closer = CLOSER[opener]!;
  const start = open[0].length;
  let from = start;
  for (;;) {
    const at = src.indexOf(closer, from);
    if (at === -1) return null;
    const lineEnd = src.indexOf('\n', at);
    const rest = src.slice(at + closer.length, lineEnd === -1 ? src.length : lineEnd);
    if (rest.trim() === '' && at > start) {
      const end = lineEnd === -1 ? src.length : lineEnd + 1;
      return { raw: src.slice(0, end), tex: src.slice(start, at).trim(), display: true };
    }
    from = at + closer.length;
  }
}

/**
 * For the block splitter: the closing delimiter a line opens and leaves open (`$$` alone, or `\[`
 * with more TeX to come on later lines), or null when the line opens nothing or closes itself.
 */
export function openedMathBlock(line: string): string | null {
  const open = BLOCK_OPEN.exec(line);
  if (!open) return null;
  const closer = CLOSER[open[1]!]!;
  return line.indexOf(closer, open[0].length) === -1 ? closer : null;
}
