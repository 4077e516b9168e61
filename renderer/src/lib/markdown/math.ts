/**
 * TeX math in model output, typeset by KaTeX. The marked extensions below find the math (math-syntax.ts)
 * and leave an empty slot element in marked's HTML; render.ts sanitizes that HTML as always and then
 * fills each slot with the formula, which KaTeX typeset and a DOMPurify of its own sanitized.
 *
 * KaTeX runs with `trust: false`, so \href, \url, \includegraphics and \html… render as errors, never
 * as links, images or attributes; a `<script>` in the TeX is text to KaTeX. Its output still goes
 * through DOMPurify: only the style attributes, SVG and MathML that typesetting needs are allowed there,
 * and never a link, image or handler. Code spans and fences are marked's own tokens, matched before any
 * of this is tried, so `$x$` in code stays as typed.
 */
import DOMPurify from 'dompurify';
import katex from 'katex';
import type { TokenizerAndRendererExtension, Tokens } from 'marked';
import { inlineMathStart, matchBlockMath, matchInlineMath } from './math-syntax';

interface MathToken extends Tokens.Generic {
  type: 'math';
  raw: string;
  tex: string;
  display: boolean;
}

/** The formulas of the document being rendered, by slot number (render.ts resets it per document). */
let pending: { tex: string; display: boolean }[] = [];

export function startMathDocument(): void {
  pending = [];
}

/** A block of its own is a div; inside a paragraph even displayed math is a span (a div would break the p). */
function slot(token: MathToken, block: boolean): string {
  pending.push({ tex: token.tex, display: token.display });
  const tag = block ? 'div' : 'span';
  const display = token.display ? ' math-display' : '';
  return `<${tag} class="math-slot${display}" data-math-slot="${pending.length - 1}"></${tag}>`;
}

const blockMath: TokenizerAndRendererExtension = {
  name: 'math',
  level: 'block',
  start(src) {
    const m = /(^|\n) {0,3}(\$\$|\\\[)/.exec(src);
    return m ? m.index + m[1]!.length : undefined;
  },
  tokenizer(src) {
    const m = matchBlockMath(src);
    return m ? ({ type: 'math', raw: m.raw, tex: m.tex, display: true } satisfies MathToken) : undefined;
  },
  renderer: (token) => slot(token as MathToken, true)
};

const inlineMath: TokenizerAndRendererExtension = {
  name: 'math',
  level: 'inline',
  start(src) {
    const at = inlineMathStart(src);
    return at === -1 ? undefined : at;
  },
  tokenizer(src) {
    const m = matchInlineMath(src);
    return m ? ({ type: 'math', raw: m.raw, tex: m.tex, display: m.display } satisfies MathToken) : undefined;
  },
  renderer: (token) => slot(token as MathToken, false)
};

export const mathExtensions = [blockMath, inlineMath];

let purify: ReturnType<typeof DOMPurify> | null = null;

/** KaTeX's output needs style attributes (sizes, offsets), SVG (radicals, arrows) and MathML (for screen readers). */
function mathPurifier(): ReturnType<typeof DOMPurify> {
  if (purify) return purify;
  const instance = DOMPurify(window);
  instance.setConfig({
    // DOMPurify leaves these MathML wrappers out by default; KaTeX keeps the TeX source in them.
    ADD_TAGS: ['semantics', 'annotation'],
    ADD_ATTR: ['encoding'],
    FORBID_TAGS: [
      'a',
      'img',
      'image',
      'use',
      'style',
      'form',
      'input',
      'iframe',
      'object',
      'embed',
      'foreignObject'
    ],
    FORBID_ATTR: ['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction'],
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    RETURN_DOM_FRAGMENT: true
  });
  purify = instance;
  return instance;
}

/** One formula as sanitized DOM; TeX KaTeX cannot read is shown as its source, marked as an error. */
export function typesetMath(tex: string, display: boolean): DocumentFragment {
  const html = katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    // TeX it cannot read is shown as typed, in the theme's error colour (readable in both themes).
    errorColor: 'var(--danger)',
    output: 'htmlAndMathml',
    // A formula is model output: bound what one can ask of the page.
    maxSize: 50,
    maxExpand: 1000
  });
  return mathPurifier().sanitize(html) as unknown as DocumentFragment;
}

/** Fills the slots of a sanitized document with their formulas. */
export function fillMathSlots(root: DocumentFragment): void {
  if (pending.length === 0) return;
  for (const el of root.querySelectorAll<HTMLElement>('[data-math-slot]')) {
    const formula = pending[Number(el.dataset['mathSlot'])];
    el.removeAttribute('data-math-slot');
    if (formula) el.append(typesetMath(formula.tex, formula.display));
  }
  pending = [];
}
