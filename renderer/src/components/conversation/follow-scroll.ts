/**
 * Whether a scroll of the message list stops the view from following the newest text. Only the user
 * stops it: a scroll that layout caused (scroll anchoring as text above the view changes size, a
 * message growing into its real size) must not, even when it comes just after the user's own input
 * (say, a click on "Jump to latest"). The user's scrolls that matter move the view up from where
 * following last put it; layout-caused ones near the bottom do not.
 */
export interface ScrollFacts {
  /** The view is within a few lines of the bottom. */
  atBottom: boolean;
  /** The window of messages holds the newest one. */
  atLatest: boolean;
  /** The user turned the wheel, touched, pressed a key or pressed the pointer just now. */
  userActive: boolean;
  /** Where the view is now (scrollTop). */
  top: number;
  /** Where following last put it (null: it never did). */
  placedTop: number | null;
}

/** 'follow': follow from now on; 'let-go': the user scrolled away; 'keep': nothing changes. */
export type ScrollVerdict = 'follow' | 'let-go' | 'keep';

/** Less than this is rounding (fractional scroll positions), not a move. */
const MOVED_PX = 2;

export function judgeScroll(facts: ScrollFacts): ScrollVerdict {
  if (facts.atBottom && facts.atLatest) return 'follow';
  if (!facts.userActive) return 'keep';
  const movedUp = facts.placedTop === null || facts.top < facts.placedTop - MOVED_PX;
  return movedUp ? 'let-go' : 'keep';
}
