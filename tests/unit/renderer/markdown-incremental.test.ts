// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { IncrementalMarkdown } from '../../../renderer/src/lib/markdown/incremental';
import { MarkdownDom } from '../../../renderer/src/lib/markdown/markdown-dom';
import { renderMarkdown } from '../../../renderer/src/lib/markdown/render';
import { lastStableCut } from '../../../renderer/src/lib/markdown/split-blocks';

describe('lastStableCut', () => {
  it('cuts after the last blank line followed by a line at the margin', () => {
    const text = 'para one\n\npara two\n\npara thr';
    expect(lastStableCut(text)).toBe(text.indexOf('para thr'));
  });

  it('never cuts inside a code fence, even at blank lines', () => {
    const text = 'intro\n\n```js\nlet a = 1;\n\nlet b = 2;\n';
    expect(lastStableCut(text)).toBe(text.indexOf('```'));
    const closed = text + '```\n\nafter';
    expect(lastStableCut(closed)).toBe(closed.indexOf('after'));
  });

  it('does not cut before an indented line (a list item may continue)', () => {
    const text = '- item\n\n  still the item';
    expect(lastStableCut(text)).toBe(0);
  });

  it('waits for the next line to start before cutting', () => {
    expect(lastStableCut('para\n\n')).toBe(0);
  });

  it('resumes from a previous cut', () => {
    const text = 'a\n\nb\n\nc';
    const first = lastStableCut(text.slice(0, 4));
    expect(first).toBe(3);
    expect(lastStableCut(text, first)).toBe(text.indexOf('c'));
  });
});

describe('IncrementalMarkdown', () => {
  it('renders finished blocks once and keeps their objects while the tail grows', () => {
    const md = new IncrementalMarkdown(renderMarkdown);
    const text = 'First paragraph.\n\n```js\nconst x = 1;\n```\n\nThird is grow';
    const first = md.update(text);
    expect(first.blocks).toHaveLength(1);
    const block = first.blocks[0];
    const second = md.update(text + 'ing');
    expect(second.blocks[0]).toBe(block);
    expect(second.tail).toContain('Third is growing');
  });

  it('ends with the same visible text as rendering the whole reply at once', () => {
    const text =
      '# Head\n\nSome *text*.\n\n```python\nx = 1\n\ny = 2\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nEnd.';
    const md = new IncrementalMarkdown(renderMarkdown);
    let view = md.update('');
    for (let i = 1; i <= text.length; i += 7) view = md.update(text.slice(0, i));
    view = md.update(text);
    const div = document.createElement('div');
    div.innerHTML = view.blocks.map((b) => b.out).join('') + (view.tail ?? '');
    const whole = document.createElement('div');
    whole.innerHTML = renderMarkdown(text);
    expect(div.textContent?.replace(/\s+/g, ' ')).toBe(whole.textContent?.replace(/\s+/g, ' '));
    expect(div.querySelectorAll('pre code')).toHaveLength(1);
    expect(div.querySelector('pre code')?.textContent).toBe('x = 1\n\ny = 2');
  });

  it('renders only finished blocks when the tail is not asked for', () => {
    const md = new IncrementalMarkdown(renderMarkdown);
    const view = md.update('Done block.\n\nGrowing tai', undefined, false);
    expect(view.blocks).toHaveLength(1);
    expect(view.tail).toBeUndefined();
    expect(md.update('Done block.\n\nGrowing tail').tail).toContain('Growing tail');
  });

  it('starts over when the text is replaced rather than extended', () => {
    const md = new IncrementalMarkdown(renderMarkdown);
    md.update('old block\n\nold tail');
    const view = md.update('new text');
    expect(view.blocks).toHaveLength(0);
    expect(view.tail).toContain('new text');
  });
});

/** A container in the document (code is only coloured once it is in the page). */
function attached(): HTMLDivElement {
  const div = document.createElement('div');
  document.body.append(div);
  return div;
}

/** Lets posted tasks (MessageChannel) and timers run. */
const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms + 5));

describe('MarkdownDom', () => {
  it('keeps the nodes of finished blocks while a reply grows, and when it is done', () => {
    const container = attached();
    // Every change shown at once (no spacing between steps), so each show() can be checked.
    const dom = new MarkdownDom(container, { commitIntervalMs: 0, adaptToDrawCost: false });
    dom.show('First paragraph.\n\nSecond is gro', true);
    const first = container.querySelector('p');
    expect(first?.textContent).toBe('First paragraph.');
    dom.show('First paragraph.\n\nSecond is growing.\n\n- a list', true);
    expect(container.querySelector('p')).toBe(first);
    dom.show('First paragraph.\n\nSecond is growing.\n\n- a list\n- of two', false);
    expect(container.querySelector('p')).toBe(first);
    expect([...container.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'First paragraph.',
      'Second is growing.'
    ]);
    expect(container.querySelectorAll('li')).toHaveLength(2);
  });

  it('renders a finished text whole, and the same text twice into two places, code coloured soon after', async () => {
    const a = attached();
    const b = attached();
    const text = '# Hi\n\n```js\nlet x = 1;\n```';
    new MarkdownDom(a).show(text, false);
    new MarkdownDom(b).show(text, false);
    for (const el of [a, b]) {
      expect(el.querySelector('h1')?.textContent).toBe('Hi');
      expect(el.querySelector('pre code')?.textContent).toBe('let x = 1;');
    }
    expect(a.querySelector('h1')).not.toBe(b.querySelector('h1'));
    for (const el of [a, b]) {
      await vi.waitFor(() => expect(el.querySelector('pre code .hljs-keyword')?.textContent).toBe('let'));
      expect(el.querySelector('pre code')?.textContent).toBe('let x = 1;');
    }
  });

  it('spaces the steps of a fast stream, and shows the whole text once it is final', async () => {
    const container = attached();
    const dom = new MarkdownDom(container, { commitIntervalMs: 40, adaptToDrawCost: false });
    const shown = () => container.textContent?.trim();
    dom.show('One.', true);
    // The first text of a quiet stream is shown at once.
    expect(shown()).toBe('One.');
    dom.show('One. Two.', true);
    dom.show('One. Two. Three.', true);
    // Too soon after the last step: held back, not lost.
    expect(shown()).toBe('One.');
    await settle(40);
    expect(shown()).toBe('One. Two. Three.');
    dom.show('One. Two. Three. Four.', true);
    expect(shown()).toBe('One. Two. Three.');
    // The final text does not wait for the planned step.
    dom.show('One. Two. Three. Four.\n\n```js\nlet done = true;\n```', false);
    expect(container.querySelector('p')?.textContent).toBe('One. Two. Three. Four.');
    expect(container.querySelector('pre code')?.textContent).toBe('let done = true;');
    await vi.waitFor(() =>
      expect(container.querySelector('pre code .hljs-keyword')?.textContent).toBe('let')
    );
  });

  it('does not colour an unfinished code block while the reply grows', async () => {
    const container = attached();
    const dom = new MarkdownDom(container, { commitIntervalMs: 0, adaptToDrawCost: false });
    dom.show('Intro.\n\n```js\nlet a = 1;\n', true);
    await settle();
    expect(container.querySelector('pre code')?.textContent).toBe('let a = 1;');
    expect(container.querySelector('pre code .hljs-keyword')).toBeNull();
    dom.show('Intro.\n\n```js\nlet a = 1;\n```', false);
    await vi.waitFor(() =>
      expect(container.querySelector('pre code .hljs-keyword')?.textContent).toBe('let')
    );
  });

  it('renders a long backlog in slices, the final text complete and in order', async () => {
    const container = attached();
    const dom = new MarkdownDom(container, { commitIntervalMs: 0, sliceMs: 0, adaptToDrawCost: false });
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}. ` + 'word '.repeat(400)).join('\n\n');
    dom.show(text, true);
    // A zero slice renders one piece per task: the first step is not the whole text.
    expect(container.querySelectorAll('p').length).toBeLessThan(30);
    dom.show(text, false);
    await vi.waitFor(() => expect(container.querySelectorAll('p')).toHaveLength(30));
    expect([...container.querySelectorAll('p')].map((p) => p.textContent?.split('.')[0])).toEqual(
      Array.from({ length: 30 }, (_, i) => `Paragraph ${i}`)
    );
  });
});

describe('IncrementalMarkdown with a deadline', () => {
  it('renders a backlog a piece at a time, holding the tail back until it has caught up', () => {
    const paragraph = (i: number) => `Paragraph ${i} ` + 'lorem ipsum dolor sit amet '.repeat(20);
    const text = Array.from({ length: 40 }, (_, i) => paragraph(i)).join('\n\n') + '\n\nThe unfinished tail';
    const md = new IncrementalMarkdown(renderMarkdown);
    // A deadline already passed: one piece, then it says it is behind.
    const first = md.update(text, performance.now() - 1);
    expect(first.behind).toBe(true);
    expect(first.tail).toBeUndefined();
    expect(first.blocks).toHaveLength(1);
    expect(first.blocks[0]!.out.length).toBeLessThan(text.length / 2);
    // Without a deadline it finishes, and the whole text is there exactly once.
    const done = md.update(text);
    expect(done.behind).toBe(false);
    const div = document.createElement('div');
    div.innerHTML = done.blocks.map((b) => b.out).join('') + (done.tail ?? '');
    expect(div.querySelectorAll('p')).toHaveLength(41);
    expect(div.textContent).toContain('Paragraph 39');
    expect(div.textContent).toContain('The unfinished tail');
  });
});
