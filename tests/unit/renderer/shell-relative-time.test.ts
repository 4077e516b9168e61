/** Relative times in the conversation list, against a fixed "now". */
import { describe, expect, it } from 'vitest';
import { fullTime, relativeTime } from '../../../renderer/src/lib/relative-time';

const NOW = new Date(2026, 4, 20, 15, 30, 0).getTime(); // 20 May 2026, 15:30 local
const MIN = 60_000;

describe('relativeTime', () => {
  it('says "just now" under 45 seconds, and for times slightly in the future', () => {
    expect(relativeTime(NOW, NOW)).toBe('just now');
    expect(relativeTime(NOW - 44_000, NOW)).toBe('just now');
    expect(relativeTime(NOW + 5 * MIN, NOW)).toBe('just now');
  });

  it('counts minutes, then hours the same day', () => {
    expect(relativeTime(NOW - 46_000, NOW)).toBe('1 min ago');
    expect(relativeTime(NOW - 5 * MIN, NOW)).toBe('5 min ago');
    expect(relativeTime(NOW - 59 * MIN, NOW)).toBe('59 min ago');
    expect(relativeTime(NOW - 61 * MIN, NOW)).toBe('1 h ago');
    expect(relativeTime(NOW - 15 * 60 * MIN, NOW)).toBe('15 h ago');
  });

  it('uses calendar days: "yesterday" even if fewer than 24 hours passed', () => {
    const lateYesterday = new Date(2026, 4, 19, 23, 50).getTime();
    expect(relativeTime(lateYesterday, NOW)).toBe('yesterday');
    expect(relativeTime(new Date(2026, 4, 17, 9, 0).getTime(), NOW)).toBe('3 days ago');
  });

  it('shows a date after a week, with the year only when it differs', () => {
    expect(relativeTime(new Date(2026, 2, 3, 12, 0).getTime(), NOW, 'en-US')).toBe('Mar 3');
    expect(relativeTime(new Date(2024, 11, 24, 12, 0).getTime(), NOW, 'en-US')).toBe('Dec 24, 2024');
  });

  it('gives a full date and time for tooltips', () => {
    expect(fullTime(new Date(2026, 2, 3, 12, 5).getTime(), 'en-US')).toMatch(/Mar 3, 2026.*12:05/);
  });
});
