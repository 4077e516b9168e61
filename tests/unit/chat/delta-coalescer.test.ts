import { describe, expect, it } from 'vitest';
import { DeltaCoalescer } from '../../../electron/main/core/chat/delta-coalescer';
import type { Clock } from '../../../electron/main/core/ports';

/** A clock moved by hand: timers fire only when the test advances time. */
class ManualClock implements Clock {
  private t = 1000;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }
  advance(ms: number): void {
    const until = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.live && x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      next.live = false;
      next.fn();
    }
    this.t = until;
  }
}

describe('DeltaCoalescer', () => {
  it('emits at most once per interval, in order, without losing text', () => {
    const clock = new ManualClock();
    const out: { at: number; content: string; thinking: string }[] = [];
    const c = new DeltaCoalescer(
      (content, thinking) => out.push({ at: clock.now(), content, thinking }),
      clock,
      16
    );

    c.push('', 'hmm ');
    expect(out).toHaveLength(1); // the first piece goes out at once
    let expected = '';
    for (let i = 0; i < 100; i += 1) {
      c.push(`t${i} `, '');
      expected += `t${i} `;
      clock.advance(1);
    }
    c.flush();
    const contents = out.map((o) => o.content).join('');
    expect(contents).toBe(expected);
    expect(out.map((o) => o.thinking).join('')).toBe('hmm ');
    // 100 pushes over 100 ms at 16 ms: about 7 events, never two within 16 ms (except the final flush).
    expect(out.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < out.length - 1; i += 1) {
      expect((out[i]?.at ?? 0) - (out[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(16);
    }
  });

  it('sends a lone piece after the interval without needing another push', () => {
    const clock = new ManualClock();
    const out: string[] = [];
    const c = new DeltaCoalescer((content) => out.push(content), clock, 16);
    c.push('a', '');
    c.push('b', '');
    expect(out).toEqual(['a']);
    clock.advance(15);
    expect(out).toEqual(['a']);
    clock.advance(1);
    expect(out).toEqual(['a', 'b']);
    c.flush();
    expect(out).toEqual(['a', 'b']); // nothing pending, nothing sent
  });
});
