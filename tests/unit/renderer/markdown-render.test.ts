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

  it('highlights a fenced code block of a known language and adds a copy button', () => {
    const root = dom(renderMarkdown('```python\ndef f(x):\n    return "<b>"\n```\n'));
    const code = root.querySelector('pre code');
    expect(code?.className).toContain('language-python');
    expect(code?.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(code?.textContent).toBe('def f(x):\n    return "<b>"');
    expect(root.querySelector('button[data-copy-code]')?.textContent).toBe('Copy code');
  });

  it('fills highlighted code after sanitizing and leaves no slot marker a model could forge', () => {
    const root = dom(
      renderMarkdown('```js\nlet a = 1\n```\n\n```js\nlet b = 2\n```\n\n<code data-hl="x:0">forged</code>\n')
    );
    const blocks = root.querySelectorAll('pre code');
    expect([...blocks].map((b) => b.textContent)).toEqual(['let a = 1', 'let b = 2']);
    expect(blocks[1]?.querySelector('.hljs-keyword')?.textContent).toBe('let');
    expect(root.querySelector('[data-hl]')).toBeNull();
    expect(root.textContent).toContain('<code data-hl="x:0">forged</code>');
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
