/**
 * Colours code blocks once they come near the view. Markdown is rendered with plain code (render.ts):
 * a 20,000-token reply with dozens of code blocks would otherwise spend a good part of its rendering
 * in highlight.js, and fill the page with spans to lay out, for code that is mostly off screen.
 * Blocks are coloured a few milliseconds at a time, in tasks of their own, so no frame runs long.
 */
import { highlightCode } from './highlight';
import { postTask, type TaskHandle } from './post-task';
import { observersPerRoot } from './root-observers';

/** Code within this distance of the visible area is coloured before it scrolls in. */
const AHEAD = '800px 0px';
const SLICE_MS = 8;
const SELECTOR = 'code[data-lang]';

const queue: HTMLElement[] = [];
let pending: TaskHandle | null = null;

const observerFor = observersPerRoot(AHEAD, (code, observer) => {
  observer.unobserve(code);
  enqueue(code as HTMLElement);
});

function enqueue(code: HTMLElement): void {
  queue.push(code);
  pending ??= postTask(drain, 0);
}

function drain(): void {
  pending = null;
  const until = performance.now() + SLICE_MS;
  while (queue.length > 0 && performance.now() < until) {
    const code = queue.shift()!;
    // Gone from the page (the text was replaced), or already coloured.
    if (!code.isConnected || !code.dataset['lang']) continue;
    const html = highlightCode(code.textContent ?? '', code.dataset['lang']);
    code.removeAttribute('data-lang');
    if (html !== null) code.innerHTML = html;
  }
  if (queue.length > 0) pending = postTask(drain, 0);
}

/** The code blocks of one rendered text. */
export class CodeHighlighter {
  private readonly root: Element | null;
  private readonly observed = new Set<Element>();

  /** `root`: the scrolling element the code lives in (null: the window). */
  constructor(root: Element | null) {
    this.root = root;
  }

  /** Colours the code blocks inside these nodes when they come near the view. */
  watch(nodes: Iterable<Node>): void {
    for (const node of nodes) {
      if (!(node instanceof Element)) continue;
      const found = node.matches(SELECTOR) ? [node] : node.querySelectorAll(SELECTOR);
      for (const code of found) {
        if (typeof IntersectionObserver === 'undefined') {
          enqueue(code as HTMLElement);
          continue;
        }
        observerFor(this.root).observe(code);
        this.observed.add(code);
      }
    }
  }

  /** Forgets every block (the content was replaced, or the element is going away). */
  clear(): void {
    if (this.observed.size === 0) return;
    const observer = observerFor(this.root);
    for (const code of this.observed) observer.unobserve(code);
    this.observed.clear();
  }
}
