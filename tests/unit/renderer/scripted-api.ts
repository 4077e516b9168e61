/**
 * A main process in miniature for renderer state tests: `window.ollamaDesk` over the same makeApi the
 * preload and the harness use, answering calls from a table (and recording them), and pushing one
 * kind of event on demand.
 */
import { makeApi } from '../../../shared/make-api';
import type { EventName, Events } from '../../../shared/events';
import type { Result } from '../../../shared/errors';

type Listener = (payload: unknown) => void;
export type Handlers = Record<string, (input: unknown) => Promise<Result<unknown>> | Result<unknown>>;

export function installScriptedApi<E extends EventName>(event: E, handlers: Handlers) {
  const listeners = new Map<string, Set<Listener>>();
  const calls: { name: string; input: unknown }[] = [];
  window.ollamaDesk = makeApi({
    invoke: async (name, input) => {
      calls.push({ name, input });
      const handler = handlers[name];
      if (!handler) return { ok: false, error: { code: 'INTERNAL', message: `no ${name}` } };
      return handler(input);
    },
    subscribe: (name, listener) => {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    }
  });
  return {
    calls,
    emit(payload: Events[E]) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    /** How many listeners the event has (0 once everything unsubscribed). */
    listenerCount: () => listeners.get(event)?.size ?? 0
  };
}
