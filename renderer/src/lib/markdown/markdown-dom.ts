/**
 * Keeps an element's children in step with a markdown text. A finished text is rendered whole (from
 * the cache); a growing one incrementally: new finished blocks are appended, only the unfinished
 * last block is replaced. Once a text has streamed here it stays incremental, so the end of a reply
 * costs one small block, not a re-render of everything.
 *
 * A fast stream is shown in steps, not per token (bench/ measured why): every step that changes the
 * page costs a style, layout and paint of the new text, whatever its size, so steps are spaced at
 * least `commitIntervalMs` apart while the text grows, and markdown is rendered in slices of
 * `sliceMs` between them, off the frame, into detached fragments. A quiet stream still shows its
 * first token at once: a step is only held back when the previous one was recent. When the page is
 * slow to draw, steps are spaced further (a slow machine keeps up instead of falling behind), and of
 * what one step adds only its end is laid out at once: the rest has scrolled by (unseen-chunks.ts).
 */
import { renderMarkdownCached } from './cache';
import { CodeHighlighter } from './code-highlighter';
import { IncrementalMarkdown } from './incremental';
import { renderMarkdownFragment } from './render';
import { postTask, type TaskHandle } from './post-task';
import { UnseenChunks } from './unseen-chunks';

export interface MarkdownDomOptions {
  /** Least time between two changes to the page while the text grows. */
  commitIntervalMs?: number;
  /** Markdown rendering per task while catching up. */
  sliceMs?: number;
  /**
   * Space steps further apart when the page is slow to draw them (a step then waits STEP_COST_FACTOR
   * times as long as the last one took to draw). Off in tests that count steps.
   */
  adaptToDrawCost?: boolean;
}

/**
 * About 12 steps a second: smooth enough to read a stream, and with 50 ms the page spent a third more
 * of its time drawing the same 20,000-token reply and fell further behind (bench/).
 */
const DEFAULT_COMMIT_INTERVAL_MS = 80;
const DEFAULT_SLICE_MS = 12;
/** A step waits at least this many times as long as drawing the last one took… */
const STEP_COST_FACTOR = 4;
/** …but never longer than this, so a slow page still shows the reply moving. */
const MAX_STEP_INTERVAL_MS = 200;
/**
 * Of the pieces one step adds, those within this much text of its end are laid out at once; earlier
 * ones only when they come near the view (a fast stream scrolls them by unseen).
 */
const SHOWN_CHARS = 3_000;

export class MarkdownDom {
  private readonly container: HTMLElement;
  private readonly commitIntervalMs: number;
  private readonly sliceMs: number;
  private readonly adaptToDrawCost: boolean;
  /** How long the page took to draw the last step (style, layout, paint). */
  private drawCost = 0;
  private incremental: IncrementalMarkdown<DocumentFragment> | null = null;
  /** Finished blocks already rendered (in the page or waiting in `ready`). */
  private renderedBlocks = 0;
  /** Rendered finished blocks not yet in the page. */
  private ready: DocumentFragment[] = [];
  /** The tail to show at the next step: undefined = unchanged since the page got it. */
  private readyTail: DocumentFragment | null | undefined = undefined;
  private tail: DocumentFragment | null = null;
  private tailNodes: Node[] = [];
  private shown: string | null = null;
  private shownGrowing = false;
  private target = '';
  private targetGrowing = false;
  private lastCommit = -Infinity;
  private pending: TaskHandle | null = null;
  private readonly highlighter: CodeHighlighter;
  private readonly unseen: UnseenChunks;
  /** The tail's code was handed to the highlighter (only once the text stopped growing). */
  private tailWatched = false;

  constructor(container: HTMLElement, opts: MarkdownDomOptions = {}) {
    this.container = container;
    const root = container.closest('[data-scroll-root]');
    this.highlighter = new CodeHighlighter(root);
    this.unseen = new UnseenChunks(root);
    this.commitIntervalMs = opts.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    this.sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
    this.adaptToDrawCost = (opts.adaptToDrawCost ?? true) && typeof requestAnimationFrame === 'function';
  }

  show(text: string, growing: boolean): void {
    if (text === this.shown && growing === this.shownGrowing) return;
    this.shown = text;
    this.shownGrowing = growing;
    if (growing || this.incremental) {
      this.target = text;
      this.targetGrowing = growing;
      // A final text does not wait for the next step: the end of a reply is shown as soon as it is
      // rendered. A growing one joins the step already planned, if any.
      if (!growing) this.pending?.cancel();
      if (!growing || this.pending === null) this.pump();
      return;
    }
    this.highlighter.clear();
    this.container.replaceChildren(document.importNode(renderMarkdownCached(text), true));
    this.highlighter.watch(this.container.children);
  }

  /** Stops work in progress (the element is going away). */
  destroy(): void {
    this.pending?.cancel();
    this.pending = null;
    this.highlighter.clear();
    this.unseen.clear();
  }

  /** Renders up to a slice of markdown, and shows what is rendered when a step is due. */
  private pump(): void {
    this.pending = null;
    const now = performance.now();
    const interval = Math.max(
      this.commitIntervalMs,
      Math.min(MAX_STEP_INTERVAL_MS, STEP_COST_FACTOR * this.drawCost)
    );
    const wait = this.lastCommit + interval - now;
    this.incremental ??= new IncrementalMarkdown(renderMarkdownFragment);
    // The tail is only rendered for a step that will show it: it changes with every token.
    const due = !this.targetGrowing || wait <= 0;
    const view = this.incremental.update(this.target, now + this.sliceMs, due);
    if (view.blocks.length < this.renderedBlocks) {
      // The text was replaced rather than extended: start over.
      this.highlighter.clear();
      this.unseen.clear();
      this.container.replaceChildren();
      this.ready = [];
      this.renderedBlocks = 0;
      this.tail = null;
      this.tailNodes = [];
    }
    for (const block of view.blocks.slice(this.renderedBlocks)) this.ready.push(block.out);
    this.renderedBlocks = view.blocks.length;
    if (view.behind) {
      // The old tail's text is partly inside the new blocks: it goes until the tail is rendered.
      this.readyTail = this.tail === null ? undefined : null;
    } else if (view.tail !== undefined) {
      this.readyTail = view.tail === this.tail ? undefined : view.tail;
    }
    const changed = this.ready.length > 0 || this.readyTail !== undefined;
    // A growing text waits for its step; a finished one is shown as soon as it is all rendered.
    const committed = changed && due && (this.targetGrowing || !view.behind);
    if (committed) this.commit(now);
    if (!this.targetGrowing && !view.behind && this.ready.length === 0) this.unseen.showAll();
    if (!this.targetGrowing && !this.tailWatched && !view.behind && this.readyTail === undefined) {
      // An unfinished block may still be an open code fence: it is coloured once the text is final.
      this.tailWatched = true;
      this.highlighter.watch(this.tailNodes);
    }
    if (view.behind) this.pending = postTask(() => this.pump(), 0);
    // Not due yet: the step (with the tail as it will be then) comes when it is.
    else if (!due) this.pending = postTask(() => this.pump(), Math.max(0, wait));
  }

  /**
   * Times the frame that draws this step: from its animation-frame callbacks (before style and layout)
   * to the first task after it (once it is painted).
   */
  private measureDraw(): void {
    if (!this.adaptToDrawCost) return;
    requestAnimationFrame(() => {
      const start = performance.now();
      postTask(() => (this.drawCost = performance.now() - start), 0);
    });
  }

  private commit(now: number): void {
    this.lastCommit = now;
    if (this.readyTail !== undefined) {
      for (const node of this.tailNodes) node.parentNode?.removeChild(node);
      this.tailNodes = [];
    }
    const chunks = this.ready.map((out) => {
      // A wrapper per finished piece: once it scrolls out of view it costs no layout or paint.
      const chunk = document.createElement('div');
      chunk.className = 'md-chunk';
      chunk.append(out);
      return chunk;
    });
    // Only the end of what this step adds is sure to be seen (the view follows the reply down): the
    // pieces before the last SHOWN_CHARS of text are held back, in the order they come.
    const chars = chunks.map((chunk) => chunk.textContent?.length ?? 0);
    let cut = chunks.length;
    for (let after = 0; cut > 0 && after < SHOWN_CHARS;) after += chars[--cut]!;
    for (let i = 0; i < cut; i++) this.unseen.hide(chunks[i]!, chars[i]!);
    for (const chunk of chunks) {
      this.container.append(chunk);
      this.highlighter.watch([chunk]);
    }
    this.ready = [];
    if (this.readyTail !== undefined) {
      // The tail is rendered afresh whenever its text changes, so its nodes can be moved.
      this.tail = this.readyTail;
      this.tailNodes = this.tail ? [...this.tail.childNodes] : [];
      this.readyTail = undefined;
      this.tailWatched = false;
    }
    // Keep the tail last, after any chunk just appended.
    if (this.tailNodes.length > 0) this.container.append(...this.tailNodes);
    if (this.targetGrowing) this.measureDraw();
  }
}
