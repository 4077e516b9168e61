// @vitest-environment jsdom
/**
 * PullsState over a scripted transport (the same makeApi the preload and the harness use): events that
 * beat models:pull's answer are kept, several pulls live side by side, success is announced once, a
 * double click on Cancel sends one request, and only finished pulls can be dismissed. The real
 * service behind it is covered end to end (tests/e2e/models-screen.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import type { PullProgress } from '../../../shared/domain';
import type { Result } from '../../../shared/errors';
import { PullsState } from '../../../renderer/src/components/models/pulls.svelte';
import { installScriptedApi, type Handlers } from './scripted-api';

const installApi = (handlers: Handlers) => installScriptedApi('models:pull', handlers);

const progress = (over: Partial<PullProgress>): PullProgress => ({
  pullId: 'p1',
  profileId: 'home',
  model: 'tinyllama',
  status: 'pulling manifest',
  state: 'running',
  ...over
});

describe('PullsState', () => {
  it('keeps events that arrive before models:pull answers, and one view per pull', async () => {
    const api: ReturnType<typeof installApi> = installApi({
      'models:pull': async () => {
        api.emit(progress({ status: 'pulling aaaa', digest: 'sha256:aa', total: 10, completed: 4 }));
        return { ok: true, value: { pullId: 'p1' } };
      }
    });
    const state = new PullsState();
    const result = await state.start('home', 'tinyllama');
    expect(result).toEqual({ ok: true, value: { pullId: 'p1' } });
    expect(state.pulls).toHaveLength(1);
    expect(state.pulls[0]!.layers).toEqual([{ digest: 'sha256:aa', total: 10, completed: 4 }]);
    expect(api.calls[0]).toEqual({ name: 'models:pull', input: { profileId: 'home', model: 'tinyllama' } });
    state.stop();
    expect(api.listenerCount()).toBe(0);
  });

  it('tracks several pulls at once, newest first, and announces each success once', async () => {
    let next = 0;
    const api = installApi({
      'models:pull': () => ({ ok: true, value: { pullId: `p${++next}` } })
    });
    const state = new PullsState();
    await state.start('home', 'tinyllama');
    await state.start('lab', 'phi3:mini');
    expect(state.pulls.map((p) => [p.pullId, p.profileId, p.model])).toEqual([
      ['p2', 'lab', 'phi3:mini'],
      ['p1', 'home', 'tinyllama']
    ]);
    api.emit(progress({ pullId: 'p2', profileId: 'lab', model: 'phi3:mini', digest: 'sha256:bb', total: 8 }));
    expect(state.finished).toBeNull();
    api.emit(progress({ pullId: 'p1', status: 'success', state: 'success' }));
    expect(state.finished).toMatchObject({ profileId: 'home', model: 'tinyllama' });
    const first = state.finished;
    api.emit(progress({ pullId: 'p1', status: 'success', state: 'success' }));
    expect(state.finished).toBe(first);
    expect(state.find('p2')!.state).toBe('running');
    expect(state.find('p2')!.layers).toHaveLength(1);

    // Only finished pulls can be dismissed.
    state.dismiss('p2');
    state.dismiss('p1');
    expect(state.pulls.map((p) => p.pullId)).toEqual(['p2']);
    state.stop();
  });

  it('forgets the ended pulls of a deleted model on that server only, never a running one', async () => {
    let next = 0;
    const api = installApi({ 'models:pull': () => ({ ok: true, value: { pullId: `p${++next}` } }) });
    const state = new PullsState();
    await state.start('home', 'phi3:mini');
    await state.start('lab', 'phi3:mini');
    await state.start('home', 'tinyllama');
    api.emit(progress({ pullId: 'p1', model: 'phi3:mini', status: 'success', state: 'success' }));
    api.emit(
      progress({ pullId: 'p2', profileId: 'lab', model: 'phi3:mini', status: 'success', state: 'success' })
    );
    state.forgetModel('home', 'PHI3:mini');
    state.forgetModel('home', 'tinyllama');
    // p1 ended and its model is gone; p2 is on another server; p3 still runs.
    expect(state.pulls.map((p) => p.pullId)).toEqual(['p3', 'p2']);
    state.stop();
  });

  it('sends one cancel for a double click and reports a failure to start', async () => {
    let release!: () => void;
    const api = installApi({
      'models:pull': () => ({ ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'gone' } }),
      'models:cancelPull': () =>
        new Promise<Result<unknown>>((resolve) => (release = () => resolve({ ok: true, value: undefined })))
    });
    const state = new PullsState();
    const failed = await state.start('home', 'x');
    expect(failed.ok).toBe(false);
    expect(state.pulls).toEqual([]);

    const one = state.cancel('p9');
    const two = state.cancel('p9');
    await Promise.resolve();
    release();
    expect(await one).toBeNull();
    expect(await two).toBeNull();
    expect(api.calls.filter((c) => c.name === 'models:cancelPull')).toHaveLength(1);
    state.stop();
  });
});
