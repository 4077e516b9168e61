/**
 * Finished pieces of a fast stream that the view scrolls past before anyone sees them. Such a piece is
 * kept out of layout altogether (`content-visibility: hidden`) until it comes near the view, or until
 * the reply is final. `content-visibility: auto` alone is not enough: the browser lays out every new
 * piece near where the view was before it follows the reply down, so each step of a fast stream laid
 * out screens of text that had already scrolled by (bench/).
 */
import { nextFrame, type TaskHandle } from './post-task';
import { observersPerRoot } from './root-observers';

/** A hidden piece is shown once it is within this distance of the visible area. */
const NEAR = '1000px 0px';
const UNSEEN = 'md-unseen';
/**
 * Height a hidden piece stands in for, per character of its text (about what a reply measures at a
 * usual width). Close enough that revealing the pieces does not pull many of them near the view.
 */
const PX_PER_CHAR = 0.5;

const observerFor = observersPerRoot(NEAR, (chunk, observer) => show(chunk, observer));

function show(chunk: Element, observer: IntersectionObserver): void {
  observer.unobserve(chunk);
  chunk.classList.remove(UNSEEN);
}

/** The hidden pieces of one rendered text. */
export class UnseenChunks {
  private readonly root: Element | null;
  /** In the order of the text: the newest last. */
  private hidden: Element[] = [];
  private revealing: TaskHandle | null = null;

  /** `root`: the scrolling element the text lives in (null: the window). */
  constructor(root: Element | null) {
    this.root = root;
  }

  /** Keeps this piece out of layout until it comes near the view. */
  hide(chunk: HTMLElement, chars: number): void {
    if (typeof IntersectionObserver === 'undefined') return;
    chunk.classList.add(UNSEEN);
    // Until it is laid out once (then the browser remembers its real size).
    chunk.style.containIntrinsicSize = `auto ${Math.round(chars * PX_PER_CHAR)}px`;
    observerFor(this.root).observe(chunk);
    this.hidden.push(chunk);
  }

  /**
   * Shows every hidden piece (the text is final), so that all of it is in the accessibility tree and
   * laid out when scrolled to. One piece per frame, the newest first: shown all at once, they made one
   * frame lay out thousands of boxes (bench/).
   */
  showAll(): void {
    if (this.hidden.length === 0 || this.revealing) return;
    const next = (): void => {
      let last = this.hidden.pop();
      // Pieces the view came near are shown already: skip them (no frame spent on them).
      while (last !== undefined && !last.classList.contains(UNSEEN)) last = this.hidden.pop();
      if (last === undefined) {
        this.revealing = null;
        return;
      }
      show(last, observerFor(this.root));
      this.revealing = nextFrame(next);
    };
    this.revealing = nextFrame(next);
  }

  /** Forgets every piece (the content was replaced, or the element is going away). */
  clear(): void {
    this.revealing?.cancel();
    this.revealing = null;
    if (this.hidden.length === 0) return;
    const observer = observerFor(this.root);
    for (const chunk of this.hidden) observer.unobserve(chunk);
    this.hidden = [];
  }
}
