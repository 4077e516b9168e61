import { describe, expect, it } from 'vitest';
import { normalizeModelName, sameModel } from '../../../shared/model-name';
import { RateMeter } from '../../../electron/main/core/models/rate-meter';
import { contextLengthOf } from '../../../electron/main/core/models/model-service';

describe('model names', () => {
  it('treats a missing tag as latest and ignores case', () => {
    expect(sameModel('llama3.2', 'llama3.2:latest')).toBe(true);
    expect(sameModel('Llama3.2:Latest', 'llama3.2:latest')).toBe(true);
    expect(sameModel('llama3.2:1b', 'llama3.2:latest')).toBe(false);
  });

  it('does not read a registry port as a tag', () => {
    expect(normalizeModelName('localhost:5000/user/m')).toBe('localhost:5000/user/m:latest');
    expect(normalizeModelName('user/m:q4')).toBe('user/m:q4');
  });
});

describe('RateMeter', () => {
  it('measures bytes per second over about the last second', () => {
    const meter = new RateMeter(1000);
    expect(meter.add(0, 0)).toBeUndefined();
    expect(meter.add(500, 500_000)).toBe(1_000_000);
    expect(meter.add(1000, 1_000_000)).toBe(1_000_000);
    // The speed halves: after a full window the old pace no longer counts.
    meter.add(1500, 1_250_000);
    meter.add(2000, 1_500_000);
    expect(meter.add(2500, 1_750_000)).toBe(500_000);
  });

  it('shows a stall as zero rather than the old speed', () => {
    const meter = new RateMeter(1000);
    meter.add(0, 0);
    meter.add(1000, 5_000_000);
    meter.add(2000, 5_000_000);
    expect(meter.add(3000, 5_000_000)).toBe(0);
  });

  it('starts over when a layer restarts from a lower total', () => {
    const meter = new RateMeter(1000);
    meter.add(0, 0);
    meter.add(500, 900_000);
    expect(meter.add(600, 100_000)).toBeUndefined();
    expect(meter.add(1100, 600_000)).toBe(1_000_000);
  });
});

describe('contextLengthOf', () => {
  it('reads <general.architecture>.context_length', () => {
    expect(
      contextLengthOf({
        'general.architecture': 'llama',
        'llama.context_length': 131072,
        'qwen2.context_length': 1
      })
    ).toBe(131072);
  });

  it('is undefined without an architecture or a number', () => {
    expect(contextLengthOf({ 'llama.context_length': 4096 })).toBeUndefined();
    expect(
      contextLengthOf({ 'general.architecture': 'llama', 'llama.context_length': '4096' })
    ).toBeUndefined();
    expect(contextLengthOf(undefined)).toBeUndefined();
  });
});
