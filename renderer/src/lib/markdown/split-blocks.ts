/**
 * Finds where a growing markdown text can be cut so that everything before the cut is finished and
 * renders the same on its own: after a blank line that is outside any code fence and is followed by a
 * line that starts at the margin (an indented line could still continue a list item or code). A
 * displayed formula (`$$` or `\[` opening a line) counts like a fence: it is never cut until it closes.
 */
import { openedMathBlock } from './math-syntax';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Returns the offset of the last safe cut at or after `from` (which must itself be a cut, i.e. outside
 * a fence), or `from` when there is none. Scanning starts at `from`, so repeated calls while a reply
 * grows cost only the new text.
 */
export function lastStableCut(text: string, from = 0): number {
  let cut = from;
  let fence: string | null = null;
  /** The closing delimiter of an open displayed formula. */
  let math: string | null = null;
  let prevBlank = false;
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const complete = nl !== -1;
    const end = complete ? nl : text.length;
    const line = text.slice(pos, end);
    if (fence !== null) {
      const m = FENCE.exec(line);
      if (complete && m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) {
        fence = null;
      }
      prevBlank = false;
    } else if (math !== null) {
      if (complete && line.includes(math)) math = null;
      prevBlank = false;
    } else {
      const blank = line.trim() === '';
      // A line after a blank one, starting at the margin: the text before it is a finished block.
      if (prevBlank && !blank && line.length > 0 && line[0] !== ' ' && line[0] !== '\t') cut = pos;
      const m = FENCE.exec(line);
      if (m && complete) fence = m[1]!;
      else if (complete) math = openedMathBlock(line);
      prevBlank = blank && complete;
    }
    if (!complete) break;
    pos = nl + 1;
  }
  return cut;
}
