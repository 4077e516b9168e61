import { AppError, isAppError } from '@shared/errors';

/** Whatever was thrown, as the AppError a caller can show (unknown failures become INTERNAL). */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', message);
}
