/**
 * Runs in the page before the app: defines `window.ollamaDesk` over a loopback WebSocket with the same
 * contract the preload exposes in Electron, so the renderer runs unchanged in Chromium.
 */
import { makeApi } from '../../shared/make-api';
import type { Result } from '../../shared/errors';

type Reply = { id: number; result: Result<unknown> } | { event: string; payload: unknown };

const token = document.querySelector<HTMLMetaElement>('meta[name="harness-token"]')?.content ?? '';
const socket = new WebSocket(`ws://${location.host}/__harness/socket?token=${encodeURIComponent(token)}`);
const pending = new Map<number, (result: Result<unknown>) => void>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
const queue: string[] = [];
let nextId = 1;

socket.addEventListener('open', () => queue.splice(0).forEach((frame) => socket.send(frame)));
socket.addEventListener('message', (message) => {
  const reply = JSON.parse(String(message.data)) as Reply;
  if ('id' in reply) {
    pending.get(reply.id)?.(reply.result);
    pending.delete(reply.id);
  } else {
    listeners.get(reply.event)?.forEach((listener) => listener(reply.payload));
  }
});
socket.addEventListener('close', () => {
  for (const resolve of pending.values()) {
    resolve({ ok: false, error: { code: 'INTERNAL', message: 'The harness connection closed' } });
  }
  pending.clear();
});

const api = makeApi({
  invoke(name, input) {
    const id = nextId++;
    const frame = JSON.stringify({ id, name, input });
    return new Promise<Result<unknown>>((resolve) => {
      pending.set(id, resolve);
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    });
  },
  subscribe(event, listener) {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  }
});

Object.defineProperty(window, 'ollamaDesk', { value: api, writable: false, configurable: false });
