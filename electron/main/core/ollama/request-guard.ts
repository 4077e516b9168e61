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

  /** Starts (or restarts) the one running timer. */
  arm(kind: TimeoutKind, ms: number): void {
    this.disarm();
    if (this.reason !== undefined) return;
    this.timer = setTimeout(() => this.fire(timeoutError(kind, ms, this.url)), ms);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disarm();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private fire(reason: AppError): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.disarm();
    // Aborting the fetch signal also errors a body being read and closes the connection.
    this.controller.abort(reason);
  }
}
