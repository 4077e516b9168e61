/**
 * The bench's side of bench/fake-process.ts: starts it, and turns its IPC answers into promises.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Scenario } from '../tests/fake-ollama/types';
import type { FakeMessage, FakeRequest } from './fake-process';

export interface RemoteFake {
  url: string;
  /** The fake's process, for CPU accounting (cpu-share.ts). */
  pid: number | undefined;
  setScenario(scenario: Scenario): Promise<void>;
  /** Epoch ms of the first /api/chat write that carries the marker. */
  firstWrite(marker: string, timeoutMs: number): Promise<number>;
  /** Epoch ms of the end of the /api/chat reply that carried the marker. */
  end(marker: string, timeoutMs: number): Promise<number>;
  /** Resolves once a conversation's title request (/api/generate) has been answered. */
  waitForTitle(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export async function startRemoteFake(): Promise<RemoteFake> {
  const child: ChildProcess = fork(join(import.meta.dirname, 'fake-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let exited = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake server process did not start')), START_TIMEOUT_MS);
    child.on('message', (message: FakeMessage) => {
      if (message.kind === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
        return;
      }
      const w = waiting.get(message.id);
      if (!w) return;
      waiting.delete(message.id);
      if (message.ok) w.resolve(message.value);
      else w.reject(new Error(message.error));
    });
    child.once('exit', (code) => {
      exited = true;
      clearTimeout(timer);
      reject(new Error(`fake server process exited (${code})`));
      for (const w of waiting.values()) w.reject(new Error('fake server process exited'));
      waiting.clear();
    });
  });
  const ask = <T>(request: FakeRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error('fake server process exited'));
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, request });
    });
  return {
    url,
    pid: child.pid,
    setScenario: (scenario) => ask<null>({ op: 'setScenario', scenario }).then(() => undefined),
    firstWrite: (marker, timeoutMs) => ask<number>({ op: 'firstWrite', marker, timeoutMs }),
    end: (marker, timeoutMs) => ask<number>({ op: 'end', marker, timeoutMs }),
    waitForTitle: (timeoutMs) => ask<null>({ op: 'waitForTitle', timeoutMs }).then(() => undefined),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask({ op: 'close' }).catch(() => {});
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
      if (!exited) child.kill('SIGKILL');
    }
  };
}
