import { describe, expect, it } from 'vitest';
import {
  overrideCount,
  parseKeepAlive,
  parseNumericOption,
  parseStop,
  withOption
} from '../../../renderer/src/components/conversation/model-options-form';

describe('options form', () => {
  it('parses numbers with the schema limits; empty clears', () => {
    expect(parseNumericOption('temperature', '0.2')).toEqual({ ok: true, value: 0.2 });
    expect(parseNumericOption('temperature', ' ')).toEqual({ ok: true, value: undefined });
    expect(parseNumericOption('top_p', '3')).toEqual({ ok: false, error: 'At most 1.' });
    expect(parseNumericOption('num_ctx', '0')).toEqual({ ok: false, error: 'At least 1.' });
    expect(parseNumericOption('num_ctx', '1.5')).toEqual({ ok: false, error: 'Enter a whole number.' });
    expect(parseNumericOption('seed', 'abc')).toEqual({ ok: false, error: 'Enter a number.' });
  });
  it('reads keep_alive as seconds or a Go duration', () => {
    expect(parseKeepAlive('300')).toEqual({ ok: true, value: 300 });
    expect(parseKeepAlive('-1')).toEqual({ ok: true, value: -1 });
    expect(parseKeepAlive('1h30m')).toEqual({ ok: true, value: '1h30m' });
    expect(parseKeepAlive('')).toEqual({ ok: true, value: undefined });
    expect(parseKeepAlive('soon').ok).toBe(false);
  });
  it('splits stop sequences by line, dropping blank lines', () => {
    expect(parseStop('END\n\n ### \n')).toEqual({ ok: true, value: ['END', ' ### '] });
    expect(parseStop('\n')).toEqual({ ok: true, value: undefined });
  });
  it('sets and removes one option, null once none is left', () => {
    const one = withOption(undefined, 'temperature', 0.2);
    expect(one).toEqual({ temperature: 0.2 });
    expect(withOption({ temperature: 0.2, seed: 1 }, 'seed', undefined)).toEqual({ temperature: 0.2 });
    expect(withOption({ temperature: 0.2 }, 'temperature', undefined)).toBeNull();
    expect(overrideCount({ temperature: 0.2, seed: 1 }, '5m')).toBe(3);
  });
});
