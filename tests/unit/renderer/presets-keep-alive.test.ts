/** keep_alive between Ollama's forms (seconds, Go durations, negative = forever, 0 = unload) and the editor's. */
import { describe, expect, it } from 'vitest';
import {
  describeKeepAlive,
  draftToKeepAlive,
  goDurationMs,
  keepAliveToDraft,
  secondsToGo
} from '../../../renderer/src/components/presets/keep-alive';

describe('goDurationMs', () => {
  it('reads Go durations', () => {
    expect(goDurationMs('5m')).toBe(300_000);
    expect(goDurationMs('1h30m')).toBe(5_400_000);
    expect(goDurationMs('1.5h')).toBe(5_400_000);
    expect(goDurationMs('300ms')).toBe(300);
    expect(goDurationMs('-1m')).toBe(-60_000);
    expect(goDurationMs('0')).toBe(0);
    expect(goDurationMs('0s')).toBe(0);
    expect(goDurationMs(' 2h ')).toBe(7_200_000);
  });
  it('refuses what Go refuses', () => {
    for (const bad of ['5', '5 m', 'm', '5min', '', '1h 30m', '5M'])
      expect(goDurationMs(bad), bad).toBeUndefined();
  });
});

describe('secondsToGo', () => {
  it('writes whole seconds compactly', () => {
    expect(secondsToGo(300)).toBe('5m');
    expect(secondsToGo(5400)).toBe('1h30m');
    expect(secondsToGo(3661)).toBe('1h1m1s');
    expect(secondsToGo(45)).toBe('45s');
    expect(secondsToGo(1.5)).toBe('1.5s');
  });
});

describe('keepAliveToDraft', () => {
  it('chooses the mode Ollama would apply', () => {
    expect(keepAliveToDraft(undefined)).toEqual({ mode: 'default', text: '' });
    expect(keepAliveToDraft(-1)).toEqual({ mode: 'forever', text: '' });
    expect(keepAliveToDraft('-5m')).toEqual({ mode: 'forever', text: '' });
    expect(keepAliveToDraft(0)).toEqual({ mode: 'unload', text: '' });
    expect(keepAliveToDraft('0s')).toEqual({ mode: 'unload', text: '' });
    expect(keepAliveToDraft(600)).toEqual({ mode: 'duration', text: '10m' });
    expect(keepAliveToDraft('1h30m')).toEqual({ mode: 'duration', text: '1h30m' });
  });
});

describe('draftToKeepAlive', () => {
  it('sends -1, 0, the duration, or nothing', () => {
    expect(draftToKeepAlive({ mode: 'default', text: '5m' })).toEqual({ ok: true, value: undefined });
    expect(draftToKeepAlive({ mode: 'forever', text: '' })).toEqual({ ok: true, value: -1 });
    expect(draftToKeepAlive({ mode: 'unload', text: '' })).toEqual({ ok: true, value: 0 });
    expect(draftToKeepAlive({ mode: 'duration', text: ' 1h30m ' })).toEqual({ ok: true, value: '1h30m' });
  });
  it('explains a duration it cannot send', () => {
    expect(draftToKeepAlive({ mode: 'duration', text: '' })).toMatchObject({
      ok: false,
      error: /Enter a duration/
    });
    expect(draftToKeepAlive({ mode: 'duration', text: '300' })).toMatchObject({
      ok: false,
      error: /300s or 300m/
    });
    expect(draftToKeepAlive({ mode: 'duration', text: 'soon' })).toMatchObject({
      ok: false,
      error: /Not a duration/
    });
    expect(draftToKeepAlive({ mode: 'duration', text: '0s' })).toMatchObject({ ok: false, error: /Forever/ });
    expect(draftToKeepAlive({ mode: 'duration', text: '-1m' })).toMatchObject({ ok: false });
  });
  it('describes each choice for the list', () => {
    expect(describeKeepAlive(undefined)).toBeNull();
    expect(describeKeepAlive(-1)).toBe('kept loaded forever');
    expect(describeKeepAlive(0)).toBe('unloaded after each reply');
    expect(describeKeepAlive('5m')).toBe('kept loaded 5m');
  });
});
