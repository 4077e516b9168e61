// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../renderer/src/lib/markdown/render';

function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders tables, lists, emphasis and inline code', () => {
    const root = dom(
      renderMarkdown('# Title\n\n- one\n- **two**\n\n1. a\n2. b\n\n| a | b |\n|---|---|\n| 1 | `x` |\n')
    );
    expect(root.querySelector('h1')?.textContent).toBe('Title');
    expect(root.querySelectorAll('ul > li')).toHaveLength(2);
    expect(root.querySelector('ul strong')?.textContent).toBe('two');
    expect(root.querySelectorAll('ol > li')).toHaveLength(2);
    expect(root.querySelectorAll('table td')).toHaveLength(2);
    expect(root.querySelector('td code')?.textContent).toBe('x');
  });

  it('renders a fenced code block as plain escaped code, marked for colouring, with a copy button', () => {
    const root = dom(renderMarkdown('```python\ndef f(x):\n    return "<b>"\n```\n'));
    const code = root.querySelector<HTMLElement>('pre code');
    expect(code?.className).toContain('language-python');
    expect(code?.dataset['lang']).toBe('python');
    // Colouring waits until the block is near the view (code-highlighter.ts).
    expect(code?.children).toHaveLength(0);
    expect(code?.textContent).toBe('def f(x):\n    return "<b>"');
    expect(root.querySelector('.code-lang')?.textContent).toBe('python');
    expect(root.querySelector('button[data-copy-code]')?.textContent).toBe('Copy code');
  });

  it('marks for colouring only languages it has a grammar for', () => {
    const root = dom(renderMarkdown('```brainfudge\nx\n```\n\n```\ny\n```'));
    const blocks = [...root.querySelectorAll<HTMLElement>('pre code')];
    expect(blocks.map((b) => b.textContent)).toEqual(['x', 'y']);
    expect(blocks.map((b) => b.dataset['lang'])).toEqual([undefined, undefined]);
    expect(blocks[0]?.className).toContain('language-brainfudge');
  });

  it('shows code of an unknown language as plain escaped text', () => {
    const root = dom(renderMarkdown('```brainfudge\n<script>alert(1)</script>\n```'));
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('pre code')?.textContent).toBe('<script>alert(1)</script>');
  });

  it('keeps raw HTML as visible, inert text', () => {
    const src =
      'Look: <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script>\n\n' +
      '<iframe src="https://example.com"></iframe>\n\n<b onclick="alert(1)">bold?</b>';
    const html = renderMarkdown(src);
    const root = dom(html);
    expect(root.querySelector('img, script, iframe, b')).toBeNull();
    expect(root.querySelectorAll('[onerror], [onclick]')).toHaveLength(0);
    expect(root.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(root.textContent).toContain('<script>window.__pwned=2</script>');
    expect(root.textContent).toContain('<iframe src="https://example.com"></iframe>');
  });

  it('drops javascript: and data: link targets but keeps the link text', () => {
    const root = dom(
      renderMarkdown(
        '[click me](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://ollama.com)'
      )
    );
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual(['click me', 'data', 'ok']);
    expect(links[0]?.hasAttribute('href')).toBe(false);
    expect(links[1]?.hasAttribute('href')).toBe(false);
    expect(links[2]?.getAttribute('href')).toBe('https://ollama.com');
    expect(root.innerHTML).not.toMatch(/javascript:/i);
  });

  it('turns images into links so nothing is fetched', () => {
    const root = dom(renderMarkdown('![a cat](https://example.com/cat.png)'));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('a')?.getAttribute('href')).toBe('https://example.com/cat.png');
    expect(root.querySelector('a')?.textContent).toBe('a cat');
  });
});
