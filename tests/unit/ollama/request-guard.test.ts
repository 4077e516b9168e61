/**
 * RequestGuard's one timer: re-arming moves a deadline instead of resetting a timer, so these check
 * the deadlines themselves, with fake timers (Date included).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestGuard } from '../../../electron/main/core/ollama/request-guard';

const URL = 'http://127.0.0.1:11434/api/chat';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RequestGuard', () => {
  it('re-armed before each deadline it never fires; after a silence as long as the timeout it does', () => {
    const guard = new RequestGuard(URL);
    for (let i = 0; i < 50; i++) {
      guard.arm('idle', 100);
      vi.advanceTimersByTime(60);
      guard.disarm();
      vi.advanceTimersByTime(5);
    }
    expect(guard.stopped).toBeUndefined();
    expect(guard.signal.aborted).toBe(false);

    guard.arm('idle', 100);
    vi.advanceTimersByTime(99);
    expect(guard.stopped).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(guard.stopped?.code).toBe('TIMEOUT');
    expect(guard.stopped?.message).toContain('between two chunks');
    expect(guard.signal.aborted).toBe(true);
  });

  it('a disarmed guard does not fire, however long the consumer takes', () => {
    const guard = new RequestGuard(URL);
    guard.arm('idle', 100);
    guard.disarm();
    vi.advanceTimersByTime(10_000);
    expect(guard.stopped).toBeUndefined();
  });

  it('a shorter timeout armed after a longer one fires on its own deadline', () => {
    const guard = new RequestGuard(URL);
    guard.arm('first-byte', 10_000);
    vi.advanceTimersByTime(1_000);
    guard.arm('idle', 200);
    vi.advanceTimersByTime(200);
    expect(guard.stopped?.code).toBe('TIMEOUT');
    expect(guard.stopped?.message).toContain('No answer after 200 ms between two chunks');
  });

  it('a longer timeout armed after a shorter one is not cut short by the earlier timer', () => {
    const guard = new RequestGuard(URL);
    guard.arm('idle', 100);
    guard.arm('first-byte', 1_000);
    vi.advanceTimersByTime(999);
    expect(guard.stopped).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(guard.stopped?.message).toContain('for the first byte');
  });

  it('dispose leaves no timer behind', () => {
    const guard = new RequestGuard(URL);
    guard.arm('idle', 100);
    guard.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(guard.stopped).toBeUndefined();
  });

  it("the caller's abort is ABORTED, and no timer fires after it", () => {
    const caller = new AbortController();
    const guard = new RequestGuard(URL, caller.signal);
    guard.arm('idle', 100);
    caller.abort();
    expect(guard.stopped?.code).toBe('ABORTED');
    expect(vi.getTimerCount()).toBe(0);
  });
});
