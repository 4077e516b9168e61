import { describe, expect, it } from 'vitest';
import { judgeScroll, type ScrollFacts } from '../../../renderer/src/components/conversation/follow-scroll';

/** Following put the view at 5,000 px; the user has not touched anything lately. */
const base: ScrollFacts = {
  atBottom: false,
  atLatest: true,
  userActive: false,
  top: 5_000,
  placedTop: 5_000
};

describe('judgeScroll', () => {
  it('follows again once the view is back at the bottom of the newest message', () => {
    expect(judgeScroll({ ...base, atBottom: true })).toBe('follow');
    expect(judgeScroll({ ...base, atBottom: true, userActive: true, top: 3_000 })).toBe('follow');
    // At the bottom of a window that does not hold the newest message: not following yet.
    expect(judgeScroll({ ...base, atBottom: true, atLatest: false })).toBe('keep');
  });

  it('lets go when the user moves the view up', () => {
    expect(judgeScroll({ ...base, userActive: true, top: 4_200 })).toBe('let-go');
    expect(judgeScroll({ ...base, userActive: true, top: 4_200, placedTop: null })).toBe('let-go');
  });

  it('does not let go for a scroll that layout caused, even just after the user clicked', () => {
    // Text above the view grew and scroll anchoring moved the view down: right after a click on
    // "Jump to latest" this used to stop the following.
    expect(judgeScroll({ ...base, userActive: true, top: 5_300 })).toBe('keep');
    // The same spot, give or take a fraction of a pixel.
    expect(judgeScroll({ ...base, userActive: true, top: 4_999.5 })).toBe('keep');
    // With no input from the user, any scroll leaves things as they are.
    expect(judgeScroll({ ...base, top: 1_000 })).toBe('keep');
  });
});
