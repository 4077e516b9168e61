/** Small helpers shared by the client tests. */
import { expect } from 'vitest';
import { AppError } from '@shared/errors';

/** Runs fn and returns the AppError it throws (fails the test if it does not throw one). */
export async function caught(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

/** Collects everything an async iterable yields. */
export async function drain<T>(it: AsyncIterable<T>, got: T[] = []): Promise<T[]> {
  for await (const x of it) got.push(x);
  return got;
}
