/**
 * A server that holds /api/ps while a model loads (Ollama ≥ 0.32.10, real-ollama.md D1) is busy, not
 * unreachable: the monitor asks /api/version, keeps the last list, names what our requests wait for,
 * and an unload sent meanwhile is held by the server and happens when the load ends. A hand-written
 * loopback server plays the scheduler here, so each step is under the test's control.
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadedSnapshot, ProfileStatus } from '@shared/domain';
import { OllamaClient } from '../../../electron/main/core/ollama/client';
import { systemClock } from '../../../electron/main/core/ports';
import { LoadedModelsMonitor } from '../../../electron/main/core/models/loaded-monitor';
import { ServerActivity } from '../../../electron/main/core/models/server-activity';
import { StatusTracker } from '../../../electron/main/core/profiles/status-tracker';
import { httpServer, readBody, silentServer, type LocalServer } from '../ollama/local-servers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const psEntry = (name: string) => ({
  name,
  model: name,
  size: 4e9,
  size_vram: 4e9,
  digest: 'abc',
  details: {},
  expires_at: new Date(Date.now() + 300_000).toISOString(),
  context_length: 4096
});

/** /api/ps and unloads wait while `loading` is true; /api/version always answers. */
class Scheduler {
  loaded: string[] = [];
  loading = false;
  private waiters: (() => void)[] = [];
  unloadsReceived: string[] = [];
  finishLoad(name: string): void {
    this.loaded.push(name);
    this.loading = false;
    for (const w of this.waiters.splice(0)) w();
  }
  private whenIdle(): Promise<void> {
    return this.loading ? new Promise((r) => this.waiters.push(r)) : Promise.resolve();
  }
  readonly handler: http.RequestListener = (req, res) => {
    void (async () => {
      const json = (o: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (req.url === '/api/version') return json({ version: '0.33.0' });
      if (req.url === '/api/ps') {
        await this.whenIdle();
        return json({ models: this.loaded.map(psEntry) });
      }
      if (req.url === '/api/chat') {
        const body = JSON.parse(await readBody(req)) as { model: string };
        this.unloadsReceived.push(body.model);
        await this.whenIdle();
        this.loaded = this.loaded.filter((m) => m !== body.model);
        return json({
          model: body.model,
          done: true,
          done_reason: 'unload',
          message: { role: 'assistant', content: '' }
        });
      }
      res.writeHead(404).end();
    })();
  };
}

async function start(server: Promise<LocalServer>) {
  const s = await server;
  cleanups.push(() => s.close());
  return s;
}

function watch(url: string, activity = new ServerActivity(), metaMs = 1000) {
  const snapshots: LoadedSnapshot[] = [];
  const statuses: ProfileStatus[] = [];
  const client = new OllamaClient({ baseUrl: url, timeouts: { metaMs, firstByteMs: 30_000 } });
  const tracker = new StatusTracker({
    version: () => client.version(),
    now: () => Date.now(),
    emit: (s) => statuses.push(s)
  });
  const monitor = new LoadedModelsMonitor({
    profiles: () => [{ id: 'gpu', name: 'GPU box' }],
    clientFor: async () => client,
    clock: systemClock,
    activity,
    emit: (s) => {
      snapshots.push(s);
      tracker.onSnapshot(s);
    },
    intervals: { busyAfterMs: 150, calmMs: 60_000, burstMs: 100, burstCount: 2 }
  });
  cleanups.push(() => monitor.stop());
  return { monitor, snapshots, statuses, last: () => snapshots.at(-1) };
}

async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a server busy loading a model', () => {
  it('is "busy, loading M" while /api/ps waits, never unreachable, and lists M once the load ends', async () => {
    const sched = new Scheduler();
    sched.loaded = ['llama3.2:latest'];
    const s = await start(httpServer(sched.handler));
    const activity = new ServerActivity();
    const { monitor, snapshots, statuses, last } = watch(s.url, activity);
    monitor.start();
    await until(() => last()?.state === 'reachable' && !last()?.busy, 3000, 'the first list');

    sched.loading = true;
    const chat = activity.begin('gpu', 'gemma3:4b', 'chat');
    monitor.burst('gpu');
    await until(() => last()?.busy !== undefined, 3000, 'busy');
    expect(last()).toMatchObject({ state: 'reachable', busy: { loading: ['gemma3:4b'] } });
    // The last list stays: what was loaded is still loaded.
    expect(last()?.models.map((m) => m.name)).toEqual(['llama3.2:latest']);
    await until(() => statuses.at(-1)?.busy !== undefined, 3000, 'a busy status');
    expect(statuses.at(-1)).toMatchObject({ state: 'reachable', busy: { loading: ['gemma3:4b'] } });

    // Longer than metaMs (1 s): before, this was TIMEOUT → unreachable.
    await new Promise((r) => setTimeout(r, 1500));
    sched.finishLoad('gemma3:4b');
    chat.respond();
    await until(() => last()?.busy === undefined && (last()?.models.length ?? 0) === 2, 3000, 'the new list');
    expect(snapshots.some((x) => x.state === 'unreachable')).toBe(false);
    expect(statuses.some((x) => x.state === 'unreachable')).toBe(false);
    expect(statuses.at(-1)?.busy).toBeUndefined();
    chat.end();
  });

  it('an unload asked during the load is held by the server ("unloads when loading ends") and happens after', async () => {
    const sched = new Scheduler();
    sched.loaded = ['llama3.2:latest'];
    const s = await start(httpServer(sched.handler));
    const { monitor, last } = watch(s.url);
    monitor.start();
    await until(() => last()?.state === 'reachable' && (last()?.models.length ?? 0) === 1, 3000, 'the list');
    sched.loading = true;
    monitor.burst('gpu');
    await until(() => last()?.busy !== undefined, 3000, 'busy');

    let settled = false;
    const unload = monitor.unload('gpu', 'llama3.2:latest').then(() => (settled = true));
    await until(() => (last()?.unloadsAfterLoad ?? []).includes('llama3.2:latest'), 3000, 'the held mark');
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled).toBe(false);
    expect(sched.unloadsReceived).toEqual(['llama3.2:latest']);

    sched.finishLoad('gemma3:4b');
    await unload;
    expect(last()?.models.map((m) => m.name)).toEqual(['gemma3:4b']);
    expect(last()?.unloading).toEqual([]);
    expect(last()?.unloadsAfterLoad).toBeUndefined();
  });

  it('unload all during a load covers the listed models and the one being loaded for us', async () => {
    const sched = new Scheduler();
    sched.loaded = ['llama3.2:latest'];
    const s = await start(httpServer(sched.handler));
    const activity = new ServerActivity();
    const { monitor, last } = watch(s.url, activity);
    monitor.start();
    await until(() => (last()?.models.length ?? 0) === 1, 3000, 'the list');
    sched.loading = true;
    const chat = activity.begin('gpu', 'gemma3:4b', 'chat');
    monitor.burst('gpu');
    await until(() => last()?.busy !== undefined, 3000, 'busy');
    const all = monitor.unloadAll('gpu');
    await until(() => sched.unloadsReceived.length === 2, 3000, 'both unloads');
    expect([...sched.unloadsReceived].sort()).toEqual(['gemma3:4b', 'llama3.2:latest']);
    chat.respond();
    sched.finishLoad('gemma3:4b');
    await all;
    chat.end();
    expect(last()?.models).toEqual([]);
  });

  it('a server that does not answer /api/version either is unreachable', async () => {
    const s = await start(silentServer());
    const { monitor, last } = watch(s.url, new ServerActivity(), 300);
    monitor.start();
    await until(() => last()?.state === 'unreachable', 5000, 'unreachable');
    expect(last()?.error?.code).toBe('TIMEOUT');
    expect(last()?.busy).toBeUndefined();
  });
});
