/**
 * The fake Ollama server in a process of its own, for the benchmark: a real Ollama is another
 * process, and the fake's socket writes (one per token, as Ollama flushes them) must not take the
 * event loop the app's core runs on. The write probe runs here, next to the fake's writes; the bench
 * asks over the IPC channel (see remote-fake.ts) and gets epoch times back.
 */
import type { Scenario } from '../tests/fake-ollama/types';
import { createFakeOllama } from '../tests/fake-ollama/server';
import { installWriteProbe } from './write-probe';

export type FakeRequest =
  | { op: 'setScenario'; scenario: Scenario }
  | { op: 'firstWrite' | 'end'; marker: string; timeoutMs: number }
  | { op: 'waitForTitle'; timeoutMs: number }
  | { op: 'close' };

export type FakeMessage =
  | { kind: 'ready'; url: string }
  | { kind: 'answer'; id: number; ok: true; value: unknown }
  | { kind: 'answer'; id: number; ok: false; error: string };

const send = (message: FakeMessage): void => void process.send?.(message);

const probe = installWriteProbe();
const fake = await createFakeOllama();

async function answer(request: FakeRequest): Promise<unknown> {
  switch (request.op) {
    case 'setScenario':
      fake.setScenario(request.scenario);
      return null;
    case 'firstWrite':
      return probe.firstWrite(request.marker, request.timeoutMs);
    case 'end':
      return probe.end(request.marker, request.timeoutMs);
    case 'waitForTitle':
      await fake.waitForRequest((r) => r.path === '/api/generate' && r.finished, request.timeoutMs);
      return null;
    case 'close':
      probe.uninstall();
      await fake.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (raw: { id: number; request: FakeRequest }) => {
  answer(raw.request).then(
    (value) => send({ kind: 'answer', id: raw.id, ok: true, value }),
    (error: unknown) =>
      send({
        kind: 'answer',
        id: raw.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error)
      })
  );
});
// The bench went away without closing us: do not outlive it.
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready', url: fake.url });
