/**
 * Keeps an element's children in step with a markdown text. A finished text is rendered whole (from
 * the cache); a growing one incrementally: new finished blocks are appended, only the unfinished
 * last block is replaced. Once a text has streamed here it stays incremental, so the end of a reply
 * costs one small block, not a re-render of everything.
 */
import { renderMarkdownCached } from './cache';
import { IncrementalMarkdown } from './incremental';
import { renderMarkdownFragment } from './render';

/** Rendering work per frame while a reply streams in faster than it can be shown. */
const FRAME_BUDGET_MS = 10;
/** Renders this close together belong to the same frame and share its budget. */
const SAME_FRAME_MS = 4;

let frameDeadline = -Infinity;

/** The deadline of the current frame's budget, shared by every streaming view and callback in it. */
function frameBudgetDeadline(): number {
  const now = performance.now();
  if (now > frameDeadline + SAME_FRAME_MS) frameDeadline = now + FRAME_BUDGET_MS;
  return frameDeadline;
}

export class MarkdownDom {
  private readonly container: HTMLElement;
  private incremental: IncrementalMarkdown<DocumentFragment> | null = null;
  private appended = 0;
  private tail: DocumentFragment | null = null;
  private tailNodes: Node[] = [];
  private shown: string | null = null;
  private shownGrowing = false;
  private catchUp: number | null = null;

  constructor(container: HTMLElement) {
    this.container = container;
  }

  show(text: string, growing: boolean): void {
    if (text === this.shown && growing === this.shownGrowing) return;
    this.cancelCatchUp();
    this.shown = text;
    this.shownGrowing = growing;
    if (growing || this.incremental) {
      this.showGrowing(text, growing);
      return;
    }
    this.container.replaceChildren(document.importNode(renderMarkdownCached(text), true));
  }

  /** Stops a catch-up in progress (the element is going away). */
  destroy(): void {
    this.cancelCatchUp();
  }

  private cancelCatchUp(): void {
    if (this.catchUp !== null) cancelAnimationFrame(this.catchUp);
    this.catchUp = null;
  }

  private showGrowing(text: string, growing: boolean): void {
    this.incremental ??= new IncrementalMarkdown(renderMarkdownFragment);
    // A frame renders at most FRAME_BUDGET_MS of markdown and the rest follows in the next frames,
    // at the end of a reply too: a backlog rendered in one go would freeze the window (bench/).
    const view = this.incremental.update(text, frameBudgetDeadline());
    if (view.behind) {
      this.catchUp = requestAnimationFrame(() => {
        this.catchUp = null;
        this.showGrowing(text, growing);
      });
    }
    if (view.blocks.length < this.appended) {
      // The text was replaced rather than extended: start over.
      this.container.replaceChildren();
      this.appended = 0;
      this.tail = null;
      this.tailNodes = [];
    }
    const newBlocks = view.blocks.length > this.appended;
    if (!newBlocks && view.tail === this.tail) return;
    for (const node of this.tailNodes) node.parentNode?.removeChild(node);
    for (const block of view.blocks.slice(this.appended)) {
      // A wrapper per finished chunk: once it scrolls out of view it costs no layout or paint.
      const chunk = document.createElement('div');
      chunk.className = 'md-chunk';
      chunk.append(block.out);
      this.container.append(chunk);
    }
    this.appended = view.blocks.length;
    if (view.tail !== this.tail) {
      // The tail is rendered afresh whenever its text changes, so its nodes can be moved.
      this.tail = view.tail;
      this.tailNodes = view.tail ? [...view.tail.childNodes] : [];
    }
    this.container.append(...this.tailNodes);
  }
}
