/**
 * Renders a reply that grows while it streams: finished blocks are rendered once and kept, only the
 * last (unfinished) block is rendered again when it changes. Generic over what rendering produces
 * (an HTML string, a DOM root…).
 */
import { lastStableCut } from './split-blocks';

export interface RenderedBlock<T> {
  /** Offset of the block in the text: stable, so it keys the block. */
  key: number;
  out: T;
}

export interface IncrementalView<T> {
  blocks: RenderedBlock<T>[];
  /** The unfinished last block; the same object as last time when its text did not change. */
  tail: T | null;
}

export class IncrementalMarkdown<T> {
  private blocks: RenderedBlock<T>[] = [];
  private stableText = '';
  private lastTail: string | null = null;
  private lastTailOut: T | null = null;
  private readonly render: (source: string) => T;

  constructor(render: (source: string) => T) {
    this.render = render;
  }

  update(text: string): IncrementalView<T> {
    if (!text.startsWith(this.stableText)) this.reset();
    const cut = lastStableCut(text, this.stableText.length);
    if (cut > this.stableText.length) {
      // A new array, so a caller holding the previous one (e.g. in $state.raw) sees the change.
      this.blocks = [
        ...this.blocks,
        { key: this.stableText.length, out: this.render(text.slice(this.stableText.length, cut)) }
      ];
      this.stableText = text.slice(0, cut);
    }
    const tail = text.slice(cut);
    if (tail !== this.lastTail) {
      this.lastTail = tail;
      this.lastTailOut = tail === '' ? null : this.render(tail);
    }
    return { blocks: this.blocks, tail: this.lastTailOut };
  }

  reset(): void {
    this.blocks = [];
    this.stableText = '';
    this.lastTail = null;
    this.lastTailOut = null;
  }
}
