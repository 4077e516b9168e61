/**
 * Renders a reply that grows while it streams: finished blocks are rendered once and kept, only the
 * last (unfinished) block is rendered again on each update.
 */
import { renderMarkdown } from './render';
import { lastStableCut } from './split-blocks';

export interface RenderedBlock {
  /** Offset of the block in the text: stable, so it keys the block in an `{#each}`. */
  key: number;
  html: string;
}

export interface IncrementalView {
  blocks: RenderedBlock[];
  tailHtml: string;
}

export class IncrementalMarkdown {
  private blocks: RenderedBlock[] = [];
  private stableText = '';
  private lastTail = '';
  private lastTailHtml = '';

  update(text: string): IncrementalView {
    if (!text.startsWith(this.stableText)) this.reset();
    const cut = lastStableCut(text, this.stableText.length);
    if (cut > this.stableText.length) {
      // Copy so that the caller's previous array (held in $state.raw) is not mutated.
      this.blocks = [
        ...this.blocks,
        { key: this.stableText.length, html: renderMarkdown(text.slice(this.stableText.length, cut)) }
      ];
      this.stableText = text.slice(0, cut);
    }
    const tail = text.slice(cut);
    if (tail !== this.lastTail) {
      this.lastTail = tail;
      this.lastTailHtml = renderMarkdown(tail);
    }
    return { blocks: this.blocks, tailHtml: this.lastTailHtml };
  }

  reset(): void {
    this.blocks = [];
    this.stableText = '';
    this.lastTail = '';
    this.lastTailHtml = '';
  }
}
