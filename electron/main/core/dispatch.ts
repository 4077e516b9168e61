/**
 * The IPC edge inside main, free of Electron so it is tested under Node: validate a call's input with
 * the contract's schema, run its handler, and turn every outcome into the envelope. Nothing thrown
 * here ever crosses IPC.
 */
import { calls, type CallName, type Handlers } from '@shared/contract';
import { AppError, isAppError, type AppErrorShape, type Result } from '@shared/errors';

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function toErrorShape(error: unknown): AppErrorShape {
  if (isAppError(error)) return error.toShape();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

export async function dispatch(
  handlers: Handlers,
  name: unknown,
  rawInput: unknown,
  log: (line: string) => void = () => {}
): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    // Never String() a foreign value: a deeply nested array overflows the stack on the way.
    log(`refused unknown call ${typeof name === 'string' ? name.slice(0, 80) : `(a ${typeof name})`}`);
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown call' } };
  }
  const parsed = calls[name].input.safeParse(rawInput);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first ? first.path.join('.') : '';
    const issue = first?.message ?? 'Invalid input';
    return {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: path ? `${issue} at ${path}` : issue,
        detail: { path, issue }
      }
    };
  }
  try {
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (!isAppError(error)) log(`handler ${name} failed: ${error instanceof Error ? error.stack : error}`);
    return { ok: false, error: toErrorShape(error) };
  }
}

export { AppError };
