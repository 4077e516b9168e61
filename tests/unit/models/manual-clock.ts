/**
 * A Clock whose time only moves when a test says so, and which shows the timers asked of it, so
 * pacing (calm, burst, back-off) is checked by the delays the monitor chooses rather than by waiting.
 */
import type { Clock } from '../../../electron/main/core/ports';

interface Timer {
  at: number;
  delay: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private time: number;
  private readonly timers: Timer[] = [];
  /** Every delay ever asked for, in order. */
  readonly delays: number[] = [];

  constructor(start = Date.parse('2025-06-01T12:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer: Timer = { at: this.time + ms, delay: ms, fn, cancelled: false };
    this.timers.push(timer);
    this.delays.push(ms);
    return {
      cancel: () => {
        timer.cancelled = true;
      }
    };
  }

  /** Timers set and neither fired nor cancelled. */
  pending(): { at: number; delay: number }[] {
    return this.timers.filter((t) => !t.cancelled).map(({ at, delay }) => ({ at, delay }));
  }

  /** Moves time forward and fires every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.time = until;
  }

  /** Jumps to the next timer and fires it; false when there is none. */
  fireNext(): boolean {
    const next = this.timers.filter((t) => !t.cancelled).sort((a, b) => a.at - b.at)[0];
    if (!next) return false;
    this.advance(next.at - this.time);
    return true;
  }
}
