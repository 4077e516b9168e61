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
  /**
   * The unfinished last block; the same object as last time when its text did not change; undefined
   * when it was not asked for (or the view is behind).
   */
  tail: T | null | undefined;
  /** Finished blocks are still waiting to be rendered (a deadline passed): call again. */
  behind: boolean;
}

/** When catching up on a lot of text, finished blocks are rendered in pieces of about this size. */
const PIECE_CHARS = 4_000;

export class IncrementalMarkdown<T> {
  private blocks: RenderedBlock<T>[] = [];
  private stableText = '';
  private lastTail: string | null = null;
  private lastTailOut: T | null = null;
  private readonly render: (source: string) => T;

  constructor(render: (source: string) => T) {
    this.render = render;
  }

  /**
   * Brings the view up to `text`. With a deadline (a performance.now() time), finished blocks are
   * rendered a piece at a time until it passes; the view is then `behind` (no tail yet) and the
   * caller calls again later. Without one, everything is rendered now. `withTail: false` renders only
   * finished blocks (the tail is not going to be shown yet).
   */
  update(text: string, deadline?: number, withTail = true): IncrementalView<T> {
    if (!text.startsWith(this.stableText)) this.reset();
    const cut = lastStableCut(text, this.stableText.length);
    let behind = false;
    if (cut > this.stableText.length) {
      const added: RenderedBlock<T>[] = [];
      let from = this.stableText.length;
      while (from < cut) {
        let to = cut;
        if (deadline !== undefined && to - from > PIECE_CHARS) {
          // The last block boundary within a piece's length; a single longer block goes whole.
          const within = lastStableCut(text.slice(0, from + PIECE_CHARS), from);
          if (within > from) to = within;
        }
        added.push({ key: from, out: this.render(text.slice(from, to)) });
        from = to;
        if (deadline !== undefined && from < cut && performance.now() > deadline) {
          behind = true;
          break;
        }
      }
      // A new array, so a caller holding the previous one (e.g. in $state.raw) sees the change.
      this.blocks = [...this.blocks, ...added];
      this.stableText = text.slice(0, from);
    }
    if (behind) {
      // The unfinished block waits until the finished ones have caught up.
      this.lastTail = null;
      this.lastTailOut = null;
      return { blocks: this.blocks, tail: undefined, behind: true };
    }
    if (!withTail) return { blocks: this.blocks, tail: undefined, behind: false };
    const tail = text.slice(cut);
    if (tail !== this.lastTail) {
      this.lastTail = tail;
      this.lastTailOut = tail === '' ? null : this.render(tail);
    }
    return { blocks: this.blocks, tail: this.lastTailOut, behind: false };
  }

  reset(): void {
    this.blocks = [];
    this.stableText = '';
    this.lastTail = null;
    this.lastTailOut = null;
  }
}
