/**
 * Builds `window.ollamaDesk` from the contract over any transport: Electron's ipcRenderer in the
 * preload, a WebSocket in the test harness. The renderer cannot tell them apart.
 */
import type { OllamaDeskApi } from './contract';
import { EVENT_NAMES, type EventName, type Events } from './events';
import type { Result } from './errors';

export interface Transport {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribes to one event; returns the unsubscribe function. */
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function makeApi(transport: Transport): OllamaDeskApi {
  return Object.freeze({
    call: (name, input) => transport.invoke(name, input) as never,
    on<E extends EventName>(event: E, callback: (payload: Events[E]) => void): () => void {
      if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event ${String(event)}`);
      return transport.subscribe(event, (payload) => callback(payload as Events[E]));
    }
  } satisfies OllamaDeskApi);
}
