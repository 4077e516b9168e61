/**
 * Timestamps the harness's WebSocket frames (the app's IPC in the browser build): while installed,
 * `ws`'s WebSocket.send is wrapped in this process, and the first frame carrying a watched marker
 * records when it was handed to the socket. Used to split first-token latency into its legs.
 */
import { WebSocket } from 'ws';
import { epochNow } from './write-probe';

export interface WsProbe {
  /** Resolves with the time of the first frame sent to the page that contains the marker. */
  firstSend(marker: string, timeoutMs: number): Promise<number>;
  uninstall(): void;
}

type SendFn = (this: WebSocket, ...args: unknown[]) => void;

export function installWsProbe(): WsProbe {
  const proto = WebSocket.prototype as unknown as { send: SendFn };
  const original = proto.send;
  const watches = new Map<string, { resolve(at: number): void; timer: NodeJS.Timeout }>();
  proto.send = function (this: WebSocket, ...args: unknown[]) {
    if (watches.size > 0 && typeof args[0] === 'string') {
      const at = epochNow();
      for (const [marker, watch] of watches) {
        if (!args[0].includes(marker)) continue;
        watches.delete(marker);
        clearTimeout(watch.timer);
        watch.resolve(at);
      }
    }
    original.apply(this, args);
  };
  return {
    firstSend: (marker, timeoutMs) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          watches.delete(marker);
          reject(new Error(`ws probe: no frame with ${marker} within ${timeoutMs} ms`));
        }, timeoutMs);
        watches.set(marker, { resolve, timer });
      }),
    uninstall() {
      proto.send = original;
      for (const w of watches.values()) clearTimeout(w.timer);
      watches.clear();
    }
  };
}
