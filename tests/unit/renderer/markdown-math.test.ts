// @vitest-environment jsdom
/**
 * TeX math in markdown: where it starts and ends (math-syntax.ts), that code spans and fences keep
 * their dollars, that prices stay prices, that KaTeX's output is sanitized (no script, link or
 * handler from TeX), and that the streaming splitter never cuts a displayed formula in two.
 */
import { describe, expect, it } from 'vitest';
import { matchBlockMath, matchInlineMath } from '../../../renderer/src/lib/markdown/math-syntax';
import { renderMarkdown } from '../../../renderer/src/lib/markdown/render';
import { lastStableCut } from '../../../renderer/src/lib/markdown/split-blocks';
import { IncrementalMarkdown } from '../../../renderer/src/lib/markdown/incremental';

function dom(source: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(source);
  return div;
}

/** The TeX of every typeset formula, from KaTeX's MathML annotation, with its display flag. */
function formulas(root: HTMLElement): { tex: string; display: boolean }[] {
  return [...root.querySelectorAll('.katex')].map((k) => ({
    tex: k.querySelector('annotation')?.textContent ?? '',
    display: k.parentElement?.classList.contains('katex-display') ?? false
  }));
}

describe('finding math', () => {
  it('matches the four delimiters at the start of inline text', () => {
    expect(matchInlineMath('$x^2$ rest')).toEqual({ raw: '$x^2$', tex: 'x^2', display: false });
    expect(matchInlineMath('$$E = mc^2$$')).toEqual({ raw: '$$E = mc^2$$', tex: 'E = mc^2', display: true });
    expect(matchInlineMath('\\(a^2\\) b')).toEqual({ raw: '\\(a^2\\)', tex: 'a^2', display: false });
    expect(matchInlineMath('\\[\\frac12\\]')).toEqual({
      raw: '\\[\\frac12\\]',
      tex: '\\frac12',
      display: true
    });
  });

  it('leaves prices and lone dollars alone (Pandoc’s rule)', () => {
    expect(matchInlineMath('$5 and $10')).toBeNull();
    expect(matchInlineMath('$ x$')).toBeNull();
    expect(matchInlineMath('$x $')).toBeNull();
    expect(matchInlineMath('$x$5')).toBeNull();
    expect(matchInlineMath('$x')).toBeNull();
    // An escaped dollar inside is part of the TeX.
    expect(matchInlineMath('$a\\$b$')?.tex).toBe('a\\$b');
  });

  it('finds a displayed block only once it is closed at the end of a line', () => {
    expect(matchBlockMath('$$\nx = 1\n$$\nafter')).toEqual({
      raw: '$$\nx = 1\n$$\n',
      tex: 'x = 1',
      display: true
    });
    expect(matchBlockMath('\\[\n\\int_0^1 f\n\\]')).toMatchObject({ tex: '\\int_0^1 f' });
    expect(matchBlockMath('$$\nx = 1\n')).toBeNull();
    expect(matchBlockMath('text $$x$$')).toBeNull();
  });
});

describe('rendering math', () => {
  it('typesets inline and displayed math and keeps the text around it', () => {
    const root = dom(
      'Energy: $$E = mc^2$$\n\nInline \\(a^2\\) and $x_1$, for $5 and $10.\n\n\\[\n\\sqrt{2}\n\\]\n'
    );
    expect(formulas(root)).toEqual([
      { tex: 'E = mc^2', display: true },
      { tex: 'a^2', display: false },
      { tex: 'x_1', display: false },
      { tex: '\\sqrt{2}', display: true }
    ]);
    expect(root.textContent).toContain('for $5 and $10.');
    // The backslashes of \( \) are delimiters, not markdown escapes: no "(a^2)" left over.
    expect(root.textContent).not.toContain('(a^2)');
    // A radical is drawn with SVG, which survives the math sanitizer.
    expect(root.querySelector('.katex svg path')).not.toBeNull();
  });

  it('leaves code spans and fences exactly as typed', () => {
    const root = dom(
      'Use `$x$` and `\\(y\\)` here.\n\n```tex\n$$E = mc^2$$\n\\(a\\)\n```\n\n    $$indented$$\n'
    );
    expect(formulas(root)).toEqual([]);
    const codes = [...root.querySelectorAll('code')].map((c) => c.textContent?.trimEnd());
    expect(codes).toEqual(['$x$', '\\(y\\)', '$$E = mc^2$$\n\\(a\\)', '$$indented$$']);
  });

  it('keeps a <script> or a javascript: link inside TeX inert', () => {
    const root = dom(
      '$<script>window.__pwned=1</script>$ and $$\\href{javascript:alert(1)}{click}$$ and ' +
        '$\\url{javascript:alert(2)}$ and $\\htmlClass{x}{y}$ and $\\includegraphics{https://example.com/x.png}$'
    );
    expect(root.querySelector('script, a, img, [href], [src], [onerror], [onclick]')).toBeNull();
    // The TeX source stays readable as text (KaTeX's annotation), but no attribute carries it.
    const attributes = [...root.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].map((a) => a.value)
    );
    expect(attributes.some((value) => value.includes('javascript:') || value.includes('example.com'))).toBe(
      false
    );
    expect(root.querySelector('p:empty')).toBeNull();
    // Untrusted commands show as errors in the text, not as links.
    expect(root.querySelectorAll('.katex')).not.toHaveLength(0);
  });

  it('shows TeX it cannot read as typed, in the error colour', () => {
    const root = dom('$\\frac{a}{$ ok');
    const error = root.querySelector<HTMLElement>('.katex-error');
    expect(error?.textContent).toBe('\\frac{a}{');
    expect(error?.style.color).toBe('var(--danger)');
  });
});

describe('streaming math', () => {
  it('does not cut a displayed formula at a blank line inside it', () => {
    const text = 'Intro.\n\n$$\n\\begin{aligned}\na &= 1\n\n\\end{aligned}\n$$\n\nNext paragraph';
    const cut = lastStableCut(text);
    // The last cut is before "Next paragraph", never inside the formula.
    expect(text.slice(cut)).toBe('Next paragraph');
    const open = 'Intro.\n\n$$\na\n\nb';
    expect(open.slice(lastStableCut(open))).toBe('$$\na\n\nb');
  });

  it('renders an open formula as text, then as math once it closes', () => {
    const view = new IncrementalMarkdown((source: string) => renderMarkdown(source));
    const first = view.update('Say\n\n$$\nE = mc');
    expect(first.tail).toContain('E = mc');
    expect(first.tail).not.toContain('katex');
    const done = view.update('Say\n\n$$\nE = mc^2\n$$\n\nAfter');
    const html = done.blocks.map((b) => b.out).join('') + (done.tail ?? '');
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('After');
  });
});
