import { describe, expect, it } from 'vitest';
import { formatPassSummary, summarizePasses, type Row } from '../../../bench/report';

const pass = (finished: number, longest: number, firstTokenReplies = 50): Row[] => [
  {
    metric: `first token → DOM, median (${firstTokenReplies} replies)`,
    value: 8,
    target: '≤ 16 ms',
    ok: true
  },
  { metric: 'first token → DOM, p95', value: 20 },
  { metric: 'finished', value: finished, target: '≤ 100 ms', ok: finished <= 100 },
  {
    metric: 'longest task',
    value: longest,
    display: longest === 0 ? 'none > 50 ms' : `${longest} ms`,
    target: 'none > 50 ms',
    ok: longest === 0
  }
];

describe('summarizePasses', () => {
  it('counts, per target, the passes that met it, and the passes that met every target', () => {
    const summary = summarizePasses([pass(90, 0), pass(120, 0), pass(80, 57)]);
    expect(summary.passes).toBe(3);
    expect(summary.allMetIn).toBe(1);
    expect(summary.targets.map((t) => [t.metric, t.metIn])).toEqual([
      ['first token → DOM, median (50 replies)', 3],
      ['finished', 2],
      ['longest task', 2]
    ]);
    expect(summary.targets[1]!.cells).toEqual(['90.0 ms', '120.0 ms ✗', '80.0 ms']);
    expect(summary.targets[2]!.cells).toEqual(['none > 50 ms', 'none > 50 ms', '57 ms ✗']);
  });

  it('matches a target across passes whose labels differ (a count in the label)', () => {
    const summary = summarizePasses([pass(90, 0, 50), pass(90, 0, 49)]);
    expect(summary.targets).toHaveLength(3);
    expect(summary.targets[0]!.metIn).toBe(2);
  });

  it('shows a target a pass could not measure as missing, and that pass as not meeting every target', () => {
    const summary = summarizePasses([pass(90, 0), []]);
    expect(summary.targets[1]!.cells).toEqual(['90.0 ms', '—']);
    expect(summary.allMetIn).toBe(1);
  });
});

describe('formatPassSummary', () => {
  it('prints one row per target with each pass and the count', () => {
    const text = formatPassSummary(summarizePasses([pass(90, 0), pass(120, 0)]));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\| target +\| pass 1 +\| pass 2 +\| met in +\|$/);
    expect(lines.find((l) => l.startsWith('| finished (≤ 100 ms)'))).toMatch(
      /90\.0 ms +\| 120\.0 ms ✗ +\| 1 of 2 +\|$/
    );
    expect(lines.at(-1)).toBe('Every target met in 1 of 2 passes.');
  });
});
