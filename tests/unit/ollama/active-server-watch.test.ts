/** The current server, while down, is polled every 1.5 s; one that answers, or another server, is left alone. */
import { describe, expect, it } from 'vitest';
import { watchActiveServer } from '../../../electron/main/core/profiles/active-server-watch';
import type { Clock } from '../../../electron/main/core/ports';

function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; live: boolean }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { at: now + ms, fn, live: true };
      timers.push(timer);
      return { cancel: () => (timer.live = false) };
    }
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      next.live = false;
      now = next.at;
      next.fn();
    }
    timers = timers.filter((t) => t.live);
    now = end;
  };
  return { clock, advance, pending: () => timers.filter((t) => t.live).length };
}

describe('watchActiveServer', () => {
  it('pokes the active server only while it is down, and stops', () => {
    const { clock, advance, pending } = manualClock();
    let down = true;
    let active: string | null = 'gpu';
    const poked: string[] = [];
    const stop = watchActiveServer({
      clock,
      activeId: () => active,
      isDown: (id) => id === 'gpu' && down,
      poke: (id) => poked.push(id)
    });
    advance(1_499);
    expect(poked).toEqual([]);
    advance(1);
    expect(poked).toEqual(['gpu']);
    advance(3_000);
    expect(poked).toEqual(['gpu', 'gpu', 'gpu']);
    down = false;
    advance(3_000);
    expect(poked).toHaveLength(3);
    down = true;
    active = 'local';
    advance(3_000);
    expect(poked).toHaveLength(3);
    active = null;
    advance(3_000);
    stop();
    expect(pending()).toBe(0);
    advance(10_000);
    expect(poked).toHaveLength(3);
  });
});
