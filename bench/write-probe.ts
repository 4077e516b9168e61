/**
 * Timestamps the fake Ollama server's socket writes without touching its code: while installed,
 * ServerResponse.write/end are wrapped in this process, and a write of an /api/chat reply that
 * carries a watched marker string records when it was handed to the socket (epoch ms, sub-ms).
 * The fake awaits each write's callback, so the call time is when the bytes leave for the client.
 */
import { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

type WriteFn = (this: ServerResponse, ...args: unknown[]) => unknown;

export interface WriteProbe {
  /** Resolves with the time of the first /api/chat write that contains the marker. */
  firstWrite(marker: string, timeoutMs: number): Promise<number>;
  /** Resolves with the time end() is called on the /api/chat reply that carried the marker. */
  end(marker: string, timeoutMs: number): Promise<number>;
  uninstall(): void;
}

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

interface Watch {
  needle: Buffer;
  resolve(at: number): void;
  timer: NodeJS.Timeout;
}

function isChatReply(res: ServerResponse): boolean {
  return (res.req?.url ?? '').startsWith('/api/chat');
}

function asBuffer(chunk: unknown): Buffer | null {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return null;
}

export function installWriteProbe(): WriteProbe {
  const proto = ServerResponse.prototype as unknown as { write: WriteFn; end: WriteFn };
  const originalWrite = proto.write;
  const originalEnd = proto.end;
  const firstWrites = new Map<string, Watch>();
  const ends = new Map<string, Watch>();
  /** Markers each reply has carried, so its end() can be attributed. */
  const carried = new WeakMap<ServerResponse, string[]>();

  const inspect = (res: ServerResponse, chunk: unknown, at: number): void => {
    if (firstWrites.size === 0 && ends.size === 0) return;
    if (!isChatReply(res)) return;
    const buf = asBuffer(chunk);
    if (!buf) return;
    for (const [marker, watch] of firstWrites) {
      if (!buf.includes(watch.needle)) continue;
      firstWrites.delete(marker);
      clearTimeout(watch.timer);
      watch.resolve(at);
    }
    for (const [marker, watch] of ends) {
      if (buf.includes(watch.needle)) carried.set(res, [...(carried.get(res) ?? []), marker]);
    }
  };

  proto.write = function (this: ServerResponse, ...args: unknown[]) {
    inspect(this, args[0], epochNow());
    return originalWrite.apply(this, args);
  };
  proto.end = function (this: ServerResponse, ...args: unknown[]) {
    const at = epochNow();
    if (typeof args[0] !== 'function') inspect(this, args[0], at);
    for (const marker of carried.get(this) ?? []) {
      const watch = ends.get(marker);
      if (!watch) continue;
      ends.delete(marker);
      clearTimeout(watch.timer);
      watch.resolve(at);
    }
    return originalEnd.apply(this, args);
  };

  const watch = (table: Map<string, Watch>, marker: string, timeoutMs: number, what: string) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        table.delete(marker);
        reject(new Error(`write probe: no ${what} for ${marker} within ${timeoutMs} ms`));
      }, timeoutMs);
      table.set(marker, { needle: Buffer.from(marker, 'utf8'), resolve, timer });
    });

  return {
    firstWrite: (marker, timeoutMs) => watch(firstWrites, marker, timeoutMs, 'server write'),
    end: (marker, timeoutMs) => watch(ends, marker, timeoutMs, 'end of reply'),
    uninstall() {
      proto.write = originalWrite;
      proto.end = originalEnd;
      for (const w of [...firstWrites.values(), ...ends.values()]) clearTimeout(w.timer);
      firstWrites.clear();
      ends.clear();
    }
  };
}
