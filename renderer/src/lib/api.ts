/**
 * The renderer's only door to main: `window.ollamaDesk`, defined by the preload in the app and by the
 * harness bridge in tests. `call` unwraps the envelope into a thrown UiError so components can
 * `try/await`; `tryCall` keeps the envelope for code that branches on error codes.
 */
import type { CallInput, CallName, CallOutput, EventName, Events, OllamaDeskApi } from '@shared/contract';
import type { AppErrorShape, Result } from '@shared/errors';

declare global {
  interface Window {
    ollamaDesk: OllamaDeskApi;
  }
}

export class UiError extends Error {
  readonly shape: AppErrorShape;
  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.shape = shape;
  }
  get code() {
    return this.shape.code;
  }
}

export function tryCall<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>> {
  return window.ollamaDesk.call(name, input);
}

export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const result = await window.ollamaDesk.call(name, input);
  if (!result.ok) throw new UiError(result.error);
  return result.value;
}

export function on<E extends EventName>(event: E, callback: (payload: Events[E]) => void): () => void {
  return window.ollamaDesk.on(event, callback);
}
