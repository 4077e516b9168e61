// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { markdownInteractions } from '../../../renderer/src/lib/markdown/interactions';
import { renderMarkdown } from '../../../renderer/src/lib/markdown/render';

afterEach(() => document.body.replaceChildren());

function setUp(markdown: string) {
  const opened: string[] = [];
  const copied: string[] = [];
  const node = document.createElement('div');
  node.innerHTML = renderMarkdown(markdown);
  document.body.append(node);
  const detach = markdownInteractions({
    openExternal: (url) => opened.push(url),
    copy: async (text) => {
      copied.push(text);
      return true;
    }
  })(node);
  return { node, opened, copied, detach };
}

function click(target: Element, init: MouseEventInit = {}): MouseEvent {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('markdownInteractions', () => {
  it('opens http(s) links outside the app and never lets them navigate', () => {
    const { node, opened } = setUp('[docs](https://ollama.com/library) and [mail](mailto:a@b.c)');
    const [docs, mail] = [...node.querySelectorAll('a')];
    const event = click(docs!);
    expect(event.defaultPrevented).toBe(true);
    click(mail!);
    expect(opened).toEqual(['https://ollama.com/library', 'mailto:a@b.c']);
  });

  it('does nothing for links without a safe target, but still keeps them from navigating', () => {
    const { node, opened } = setUp('[bad](javascript:alert(1)) [rel](/etc/passwd)');
    for (const a of node.querySelectorAll('a')) expect(click(a).defaultPrevented).toBe(true);
    expect(opened).toEqual([]);
  });

  it("copies a code block's code and says so on the button", async () => {
    const { node, copied } = setUp('```js\nconst a = "<b>";\n```');
    const button = node.querySelector('button[data-copy-code]')!;
    click(button);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(copied).toEqual(['const a = "<b>";']);
    expect(button.textContent).toBe('Copied');
  });

  it('stops listening when detached', () => {
    const { node, opened, detach } = setUp('[docs](https://ollama.com)');
    detach();
    // jsdom cannot navigate; keep it from trying once our handler is gone.
    document.addEventListener('click', (e) => e.preventDefault(), { once: true });
    click(node.querySelector('a')!);
    expect(opened).toEqual([]);
  });
});
