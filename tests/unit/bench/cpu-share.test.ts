import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from '../../../bench/cpu-share';

describe('cpuBetween', () => {
  it('adds up each part’s threads, a thread born in between counting whole', () => {
    const before: CpuSnapshot = {
      at: 1000,
      threads: new Map([
        ['10:10', { part: 'pageMain', ms: 500 }],
        ['10:11', { part: 'chromiumRest', ms: 100 }],
        ['20:20', { part: 'benchProcess', ms: 40 }],
        ['30:30', { part: 'fake', ms: 0 }]
      ])
    };
    const after: CpuSnapshot = {
      at: 1500,
      threads: new Map([
        ['10:10', { part: 'pageMain', ms: 700 }],
        ['10:11', { part: 'chromiumRest', ms: 130 }],
        ['10:12', { part: 'chromiumRest', ms: 20 }],
        ['20:20', { part: 'benchProcess', ms: 140 }],
        ['30:30', { part: 'fake', ms: 250 }]
      ])
    };
    expect(cpuBetween(before, after)).toEqual({
      wallMs: 500,
      capacityMs: 500 * cpus().length,
      pageMainMs: 200,
      chromiumRestMs: 50,
      benchProcessMs: 100,
      fakeMs: 250
    });
  });
});

describe.skipIf(!existsSync('/proc/self/stat'))('cpuSnapshot (Linux /proc)', () => {
  it('sees the CPU a child process burns, and tells the fake’s process apart', async () => {
    const burn = (ms: number) =>
      spawn(process.execPath, ['-e', `const end = Date.now() + ${ms}; while (Date.now() < end) {}`]);
    const child = burn(400);
    const fake = burn(400);
    // Read while both still run: the fake's pid is named, the other child is below this process.
    const snapshot = cpuSnapshot(fake.pid);
    await Promise.all([child, fake].map((p) => new Promise((resolve) => p.once('exit', resolve))));
    expect(snapshot).not.toBeNull();
    const parts = new Set([...snapshot!.threads.values()].map((t) => t.part));
    expect(parts).toContain('benchProcess');
    expect(parts).toContain('fake');
    expect(parts).toContain('chromiumRest');
  });

  it('measures a child’s CPU between two snapshots', async () => {
    const child = spawn(process.execPath, [
      '-e',
      'const end = Date.now() + 600; while (Date.now() < end) {}; setTimeout(() => {}, 400)'
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = cpuSnapshot(undefined)!;
    await new Promise((resolve) => setTimeout(resolve, 450));
    const after = cpuSnapshot(undefined)!;
    await new Promise((resolve) => child.once('exit', resolve));
    const shares = cpuBetween(before, after);
    // The child spun for most of those 450 ms (ticks are 10 ms; a busy machine gives it less).
    expect(shares.chromiumRestMs).toBeGreaterThanOrEqual(100);
    expect(shares.fakeMs).toBe(0);
  });
});
