/**
 * Colours code blocks once they come near the view. Markdown is rendered with plain code (render.ts):
 * a 20,000-token reply with dozens of code blocks would otherwise spend a good part of its rendering
 * in highlight.js, and fill the page with spans to lay out, for code that is mostly off screen.
 * Blocks are coloured a few milliseconds at a time, in tasks of their own, so no frame runs long.
 */
import { highlightCode } from './highlight';
import { postTask, type TaskHandle } from './post-task';

/** Code within this distance of the visible area is coloured before it scrolls in. */
const AHEAD = '800px 0px';
const SLICE_MS = 8;
const SELECTOR = 'code[data-lang]';

export class CodeHighlighter {
  private observer: IntersectionObserver | null = null;
  private readonly queue: HTMLElement[] = [];
  private pending: TaskHandle | null = null;
  private readonly root: Element | null;

  /** `root`: the scrolling element the code lives in (null: the window). */
  constructor(root: Element | null) {
    this.root = root;
  }

  /** Colours the code blocks inside these nodes when they come near the view. */
  watch(nodes: Iterable<Node>): void {
    for (const node of nodes) {
      if (!(node instanceof Element)) continue;
      const found = node.matches(SELECTOR) ? [node] : node.querySelectorAll(SELECTOR);
      for (const code of found) this.observe(code as HTMLElement);
    }
  }

  /** Forgets every block (the content was replaced, or the element is going away). */
  clear(): void {
    this.observer?.disconnect();
    this.queue.length = 0;
    this.pending?.cancel();
    this.pending = null;
  }

  private observe(code: HTMLElement): void {
    if (typeof IntersectionObserver === 'undefined') {
      this.enqueue(code);
      return;
    }
    this.observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          this.observer?.unobserve(entry.target);
          this.enqueue(entry.target as HTMLElement);
        }
      },
      { root: this.root, rootMargin: AHEAD }
    );
    this.observer.observe(code);
  }

  private enqueue(code: HTMLElement): void {
    this.queue.push(code);
    this.pending ??= postTask(() => this.drain(), 0);
  }

  private drain(): void {
    this.pending = null;
    const until = performance.now() + SLICE_MS;
    while (this.queue.length > 0 && performance.now() < until) {
      const code = this.queue.shift()!;
      if (!code.isConnected || !code.dataset['lang']) continue;
      const html = highlightCode(code.textContent ?? '', code.dataset['lang']);
      code.removeAttribute('data-lang');
      if (html !== null) code.innerHTML = html;
    }
    if (this.queue.length > 0) this.pending = postTask(() => this.drain(), 0);
  }
}
