/**
 * The words and numbers of the Loaded models panel and the Models screen: the shared loaded-model
 * formatting (also the tray's), the renderer's copy of Ollama's name rule, sizes and speeds, and the
 * folding of 'models:pull' events into one pull's view.
 */
import { describe, expect, it } from 'vitest';
import type { PullProgress } from '../../../shared/domain';
import {
  expiryState,
  formatCountdown,
  formatExpiry,
  formatBytes,
  formatMemory,
  formatProcessor,
  formatServerMemory,
  FOREVER_MS,
  gpuShare
} from '../../../shared/model-format';
import { normalizeModelName, sameModel } from '../../../shared/model-name';
import {
  capabilityBadges,
  formatContext,
  formatRate,
  formatTimeLeft
} from '../../../renderer/src/components/models/format';
import {
  applyPullEvent,
  layerPercent,
  newPull,
  pullTotals,
  shortDigest,
  stepTrail,
  timeLeftMs
} from '../../../renderer/src/components/models/pull-progress';
import { pullErrorWords } from '../../../renderer/src/components/models/pull-words';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('shared loaded-model words', () => {
  it('tells GPU, CPU and partial offload apart', () => {
    expect(gpuShare({ size: 100, sizeVram: 100 })).toEqual({ kind: 'gpu' });
    expect(gpuShare({ size: 100, sizeVram: 0 })).toEqual({ kind: 'cpu' });
    expect(gpuShare({ size: 100, sizeVram: 76 })).toEqual({ kind: 'partial', percent: 76 });
    // Rounding never claims 0% or 100% for a split model.
    expect(gpuShare({ size: 1000, sizeVram: 999 })).toEqual({ kind: 'partial', percent: 99 });
    expect(gpuShare({ size: 1000, sizeVram: 1 })).toEqual({ kind: 'partial', percent: 1 });
    // `ollama ps`'s PROCESSOR column, word for word.
    expect(formatProcessor({ size: 5.4e9, sizeVram: 5.4e9 })).toBe('100% GPU');
    expect(formatProcessor({ size: 5.4e9, sizeVram: 0 })).toBe('100% CPU');
    expect(formatProcessor({ size: 42e9, sizeVram: 31.92e9 })).toBe('24%/76% CPU/GPU');
    expect(formatMemory({ size: 5.4e9, sizeVram: 4.1e9 })).toBe('5.4 GB · 24%/76% CPU/GPU');
    expect(formatMemory({ size: 5.4e9, sizeVram: 0 })).toBe('5.4 GB · 100% CPU');
    expect(formatMemory({ size: 6e6, sizeVram: 6e6 })).toBe('6 MB · 100% GPU');
  });

  it('prints sizes as Ollama’s format.HumanBytes does', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1 KB');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(3_600_000)).toBe('3.6 MB');
    // Below 1 GB it is MB, never "0.0 GB" (tinyllama's 5.7 MB read "0.0 GB VRAM" before).
    expect(formatBytes(5_700_000)).toBe('5.7 MB');
    expect(formatBytes(999_999_999)).toBe('999 MB');
    expect(formatBytes(3_338_801_718)).toBe('3.3 GB');
    expect(formatBytes(Math.round(5.23e9))).toBe('5.2 GB');
    expect(formatBytes(2.02e9)).toBe('2.0 GB');
    // A whole value drops the decimal; from 10 up the value is truncated, not rounded.
    expect(formatBytes(3e9)).toBe('3 GB');
    expect(formatBytes(10e9)).toBe('10 GB');
    expect(formatBytes(42_990_000_000)).toBe('42 GB');
    expect(formatBytes(142_000_000_000)).toBe('142 GB');
    expect(formatBytes(1.5e12)).toBe('1.5 TB');
    // Go's %.1f: 9.96 becomes "10.0" (it rounds after choosing the form); exact ties go to even.
    expect(formatBytes(9.96e9)).toBe('10.0 GB');
    expect(formatBytes(2.25e9)).toBe('2.2 GB');
    expect(formatBytes(2.75e9)).toBe('2.8 GB');
    expect(formatBytes(-5)).toBe('0 B');
  });

  it('sums one server’s memory as VRAM and RAM, RAM only when used', () => {
    expect(formatServerMemory([{ size: 3.34e9, sizeVram: 3.34e9 }])).toBe('3.3 GB VRAM');
    expect(
      formatServerMemory([
        { size: 3.34e9, sizeVram: 3.34e9 },
        { size: 42e9, sizeVram: 31.92e9 },
        { size: 1.3e9, sizeVram: 0 }
      ])
    ).toBe('35 GB VRAM · 11 GB RAM');
    expect(formatServerMemory([{ size: 1.3e9, sizeVram: 0 }])).toBe('1.3 GB RAM');
  });

  it('counts down to the second, with the tray’s words for forever and in use', () => {
    expect(formatCountdown(at(4 * 60_000 + 5_000), NOW)).toBe('unloads in 4:05');
    expect(formatCountdown(at(4 * 60_000 + 4_001), NOW)).toBe('unloads in 4:05');
    expect(formatCountdown(at(59_000), NOW)).toBe('unloads in 0:59');
    expect(formatCountdown(at(3_725_000), NOW)).toBe('unloads in 1:02:05');
    expect(formatCountdown(at(-1), NOW)).toBe('in use');
    expect(formatCountdown(at(0), NOW)).toBe('in use');
    expect(formatCountdown(at(FOREVER_MS + 1), NOW)).toBe('kept loaded');
    // Ollama's keep_alive -1 expiry, about 292 years away.
    expect(formatCountdown('2318-08-29T12:00:00Z', NOW)).toBe('kept loaded');
    expect(formatCountdown('not a date', NOW)).toBeNull();
    expect(expiryState(at(10_000), NOW)).toEqual({ kind: 'left', ms: 10_000 });
    // The tray's coarse wording.
    expect(formatExpiry(at(4 * 60_000 + 5_000), NOW)).toBe('4 min left');
  });
});

describe('model names (renderer copy of the core rule)', () => {
  it('ignores case and a missing :latest, but keeps real tags apart', () => {
    expect(normalizeModelName(' Llama3.2 ')).toBe('llama3.2:latest');
    expect(sameModel('llama3.2', 'LLAMA3.2:latest')).toBe(true);
    expect(sameModel('gemma3:4b', 'gemma3:12b')).toBe(false);
    expect(sameModel('gemma3', 'gemma3:4b')).toBe(false);
    // A port belongs to the registry host, not a tag.
    expect(normalizeModelName('box:5000/team/model')).toBe('box:5000/team/model:latest');
    expect(normalizeModelName('box:5000/team/model:q4')).toBe('box:5000/team/model:q4');
  });
});

describe('sizes, speeds and times', () => {
  it('prints speeds in the same units, and times and contexts as people say them', () => {
    expect(formatRate(2_100_000)).toBe('2.1 MB/s');
    expect(formatTimeLeft(4_200)).toBe('about 5 s left');
    expect(formatTimeLeft(150_000)).toBe('about 3 min left');
    expect(formatTimeLeft(4_800_000)).toBe('about 1 h 20 min left');
    expect(formatContext(131072)).toBe('128K');
    expect(formatContext(4096)).toBe('4K');
    expect(formatContext(5000)).toBe('5000');
    expect(capabilityBadges(['completion', 'vision', 'tools'])).toEqual(['vision', 'tools']);
  });
});

describe('a pull folded from its events', () => {
  const D1 = 'sha256:' + 'a'.repeat(64);
  const D2 = 'sha256:' + 'b'.repeat(64);
  const ev = (over: Partial<PullProgress>): PullProgress => ({
    pullId: 'p1',
    profileId: 'home',
    model: 'tinyllama',
    status: 'pulling manifest',
    state: 'running',
    ...over
  });
  const fold = (events: PullProgress[]) => events.reduce(applyPullEvent, newPull('p1', 'home', 'tinyllama'));

  it('keeps the layers, the overall percent, the speed and time left, and the steps in order', () => {
    const view = fold([
      ev({ status: 'pulling manifest' }),
      ev({ status: 'pulling aaaaaaaaaaaa', digest: D1, total: 3_600_000, completed: 0 }),
      ev({
        status: 'pulling aaaaaaaaaaaa',
        digest: D1,
        total: 3_600_000,
        completed: 1_800_000,
        bytesPerSecond: 900_000
      })
    ]);
    expect(view.layers).toEqual([{ digest: D1, total: 3_600_000, completed: 1_800_000 }]);
    expect(layerPercent(view.layers[0]!)).toBe(50);
    expect(view.bytesPerSecond).toBe(900_000);
    expect(timeLeftMs(view)).toBe(2_000);
    expect(view.percent).toBe(50);
    expect(view.steps).toEqual(['pulling manifest']);

    const next = fold([
      ev({ status: 'pulling manifest' }),
      ev({ status: 'pulling aaaaaaaaaaaa', digest: D1, total: 100, completed: 100, bytesPerSecond: 50 }),
      ev({ status: 'pulling bbbbbbbbbbbb', digest: D2, total: 40 }),
      ev({ status: 'verifying sha256 digest' }),
      ev({ status: 'writing manifest' }),
      ev({ status: 'writing manifest' })
    ]);
    expect(next.layers.map((l) => l.digest)).toEqual([D1, D2]);
    // Between layers nothing moves, so no speed is claimed.
    expect(next.bytesPerSecond).toBeUndefined();
    expect(next.steps).toEqual(['pulling manifest', 'verifying sha256 digest', 'writing manifest']);
    expect(pullTotals(next)).toEqual({ completed: 100, total: 140 });
  });

  it('marks the steps behind us as done: the last one once bytes or success followed', () => {
    const waiting = fold([ev({ status: 'pulling manifest' })]);
    expect(stepTrail(waiting)).toEqual([{ step: 'pulling manifest', done: false }]);
    const moving = applyPullEvent(
      waiting,
      ev({ status: 'pulling aaaa', digest: D1, total: 10, completed: 1 })
    );
    expect(stepTrail(moving)).toEqual([{ step: 'pulling manifest', done: true }]);
    const verifying = applyPullEvent(moving, ev({ status: 'verifying sha256 digest' }));
    expect(stepTrail(verifying)).toEqual([
      { step: 'pulling manifest', done: true },
      { step: 'verifying sha256 digest', done: false }
    ]);
    const done = applyPullEvent(verifying, ev({ status: 'success', state: 'success' }));
    expect(stepTrail(done).every((s) => s.done)).toBe(true);
    // A pull that failed on its manifest did not get past it.
    const failed = applyPullEvent(
      waiting,
      ev({ state: 'error', error: { code: 'MODEL_NOT_FOUND', message: '' } })
    );
    expect(stepTrail(failed)).toEqual([{ step: 'pulling manifest', done: false }]);
  });

  it('a new layer does not inherit the previous layer’s speed', () => {
    const view = fold([
      ev({ status: 'pulling a', digest: D1, total: 100, completed: 50, bytesPerSecond: 10 }),
      ev({ status: 'pulling b', digest: D2, total: 100, completed: 1 })
    ]);
    expect(view.activeDigest).toBe(D2);
    expect(view.bytesPerSecond).toBeUndefined();
  });

  it('never runs a bar backwards and never past its total', () => {
    const view = fold([
      ev({ digest: D1, total: 100, completed: 60 }),
      ev({ digest: D1, total: 100, completed: 40 }),
      ev({ digest: D2, total: 10, completed: 25 })
    ]);
    expect(view.layers.map((l) => l.completed)).toEqual([60, 10]);
    expect(layerPercent({ digest: D1, total: 0, completed: 0 })).toBe(0);
  });

  it('moves the overall bar only forward, below 100 until success, over every layer so far', () => {
    const steps = [
      ev({ digest: D1, total: 100, completed: 50, bytesPerSecond: 25 }),
      ev({ digest: D1, total: 100, completed: 100 }),
      // The second layer's size arrives only now: 100 of 140 known bytes would read 71%.
      ev({ digest: D2, total: 40, completed: 0, bytesPerSecond: 20 }),
      ev({ digest: D2, total: 40, completed: 20, bytesPerSecond: 20 }),
      ev({ status: 'success', state: 'success' })
    ];
    const seen: number[] = [];
    let view = newPull('p1', 'home', 'tinyllama');
    for (const step of steps) {
      view = applyPullEvent(view, step);
      seen.push(view.percent);
    }
    expect(seen).toEqual([50, 99, 99, 99, 100]);
    // Time left counts every known layer: 20 bytes at 20 B/s.
    const midway = steps.slice(0, 4).reduce(applyPullEvent, newPull('p1', 'home', 'tinyllama'));
    expect(timeLeftMs(midway)).toBe(1_000);
  });

  it('fills every layer on success and ignores events after the end', () => {
    const done = fold([
      ev({ digest: D1, total: 100, completed: 30 }),
      ev({ status: 'success', state: 'success' }),
      ev({ digest: D1, total: 100, completed: 31 })
    ]);
    expect(done.state).toBe('success');
    expect(done.layers[0]!.completed).toBe(100);
    expect(done.steps).not.toContain('success');
  });

  it('keeps the error of a failed pull and says “not in the registry” for an unknown name', () => {
    const error = {
      code: 'MODEL_NOT_FOUND' as const,
      message: 'Model nope was not found in the registry',
      detail: { serverError: 'pull model manifest: file does not exist' }
    };
    const failed = fold([ev({}), ev({ state: 'error', error })]);
    expect(failed.state).toBe('error');
    expect(failed.error).toEqual(error);
    expect(pullErrorWords('nope', error).title).toBe('No model called “nope” was found in the registry.');
    // Other codes use the app's usual words.
    expect(pullErrorWords('x', { code: 'CONNECTION_REFUSED', message: '' }).title).toBe(
      'Connection refused.'
    );
    expect(shortDigest(D1)).toBe('aaaaaaaaaaaa');
  });
});
