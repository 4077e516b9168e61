import { describe, expect, it } from 'vitest';
import {
  formatThinkingDuration,
  thinkingSummary
} from '../../../renderer/src/components/conversation/thinking-words';

describe('thinking summary', () => {
  it('says Thinking… while streaming, whatever the duration', () => {
    expect(thinkingSummary(true, 1200)).toBe('Thinking…');
  });
  it('gives the duration once done, one decimal under a minute', () => {
    expect(thinkingSummary(false, 3210)).toBe('Thought for 3.2 s');
    expect(thinkingSummary(false, 400)).toBe('Thought for 0.4 s');
  });
  it('gives minutes and seconds past a minute', () => {
    expect(formatThinkingDuration(65_000)).toBe('1 min 5 s');
    expect(formatThinkingDuration(120_200)).toBe('2 min');
  });
  it('falls back to a plain label without a duration', () => {
    expect(thinkingSummary(false, undefined)).toBe('Thinking');
    expect(thinkingSummary(false, Number.NaN)).toBe('Thinking');
  });
});
