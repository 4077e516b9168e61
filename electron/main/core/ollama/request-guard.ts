/**
 * One request's abort controller: the caller's signal plus our own timers, and a record of which
 * of them fired so that the resulting error is ABORTED or TIMEOUT rather than a generic fetch failure.
 */
import type { AppError } from '@shared/errors';
import { abortedError, timeoutError, type TimeoutKind } from './errors';

export class RequestGuard {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the pending timer fires (performance.now() ms). */
  private timerAt = 0;
  /** The running timer's deadline (performance.now() ms) and what it times; undefined when disarmed. */
  private deadline: { at: number; kind: TimeoutKind; ms: number } | undefined;
  private reason: AppError | undefined;
  private readonly onCallerAbort = (): void => this.fire(abortedError(this.url));

  constructor(
    private readonly url: string,
    private readonly callerSignal?: AbortSignal
  ) {
    this.signal = this.controller.signal;
    if (callerSignal?.aborted) this.fire(abortedError(url));
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The ABORTED/TIMEOUT error if the caller or a timer ended the request. */
  get stopped(): AppError | undefined {
    return this.reason;
  }

  /**
   * Starts (or restarts) the one running timer. Restarting only moves the deadline: the idle timer is
   * re-armed at every read of a fast stream (thousands a second), and a timer that is already pending
   * checks the deadline when it fires instead of being cleared and set again each time.
   */
  arm(kind: TimeoutKind, ms: number): void {
    if (this.reason !== undefined) return;
    const at = performance.now() + ms;
    this.deadline = { at, kind, ms };
    // A pending timer that fires after the new deadline (a shorter kind of timeout) must be moved up.
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.setTimer(ms);
  }

  disarm(): void {
    this.deadline = undefined;
  }

  dispose(): void {
    this.stop();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    const deadline = this.deadline;
    if (deadline === undefined) return;
    const left = deadline.at - performance.now();
    if (left > 0) this.setTimer(left);
    else this.fire(timeoutError(deadline.kind, deadline.ms, this.url));
  };

  private setTimer(ms: number): void {
    this.clearTimer();
    this.timerAt = performance.now() + ms;
    this.timer = setTimeout(this.onTimer, ms);
  }

  /** No deadline and no timer left. */
  private stop(): void {
    this.deadline = undefined;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(reason: AppError): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.stop();
    // Aborting the fetch signal also errors a body being read and closes the connection.
    this.controller.abort(reason);
  }
}
