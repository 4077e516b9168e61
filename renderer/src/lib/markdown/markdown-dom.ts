/**
 * Keeps an element's children in step with a markdown text. A finished text is rendered whole (from
 * the cache); a growing one incrementally: new finished blocks are appended, only the unfinished
 * last block is replaced. Once a text has streamed here it stays incremental, so the end of a reply
 * costs one small block, not a re-render of everything.
 */
import { renderMarkdownCached } from './cache';
import { IncrementalMarkdown } from './incremental';
import { renderMarkdownFragment } from './render';

export class MarkdownDom {
  private readonly container: HTMLElement;
  private incremental: IncrementalMarkdown<DocumentFragment> | null = null;
  private appended = 0;
  private tail: DocumentFragment | null = null;
  private tailNodes: Node[] = [];
  private shown: string | null = null;

  constructor(container: HTMLElement) {
    this.container = container;
  }

  show(text: string, growing: boolean): void {
    if (text === this.shown) return;
    this.shown = text;
    if (growing || this.incremental) {
      this.showGrowing(text);
      return;
    }
    this.container.replaceChildren(document.importNode(renderMarkdownCached(text), true));
  }

  private showGrowing(text: string): void {
    this.incremental ??= new IncrementalMarkdown(renderMarkdownFragment);
    const view = this.incremental.update(text);
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
    for (const block of view.blocks.slice(this.appended)) this.container.append(block.out);
    this.appended = view.blocks.length;
    if (view.tail !== this.tail) {
      // The tail is rendered afresh whenever its text changes, so its nodes can be moved.
      this.tail = view.tail;
      this.tailNodes = view.tail ? [...view.tail.childNodes] : [];
    }
    this.container.append(...this.tailNodes);
  }
}
