/**
 * CPU time of the page's main thread, from a Chromium trace. The Long Tasks API reports wall time:
 * on a small machine that also runs the fake server and the harness, a task is often descheduled
 * while it runs, so its wall time says more about the machine than about the app. A traced run tells
 * the two apart (tracing costs a little, so the targets are judged on untraced runs).
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';

export interface MainThreadCpu {
  /** CPU time of all main-thread tasks. */
  totalMs: number;
  /** CPU time of the longest task (by CPU time). */
  longestTaskCpuMs: number;
  /** Wall time of that same task. */
  longestTaskWallMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline'];

/** Runs `work` with tracing on and sums the page's main-thread tasks. */
export async function traceMainThread(
  browser: Browser,
  page: Page,
  work: () => Promise<void>
): Promise<MainThreadCpu> {
  const path = join(tmpdir(), `ollama-desk-bench-trace-${process.pid}-${Date.now()}.json`);
  await browser.startTracing(page, { path, categories: CATEGORIES });
  try {
    await work();
  } finally {
    await browser.stopTracing();
  }
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
    const mains = new Set(
      events
        .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
        .map((e) => `${e.pid}:${e.tid}`)
    );
    let totalMs = 0;
    let longest: TraceEvent | null = null;
    for (const e of events) {
      if (e.ph !== 'X' || e.name !== 'RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
      totalMs += (e.tdur ?? 0) / 1000;
      if (!longest || (e.tdur ?? 0) > (longest.tdur ?? 0)) longest = e;
    }
    return {
      totalMs,
      longestTaskCpuMs: (longest?.tdur ?? 0) / 1000,
      longestTaskWallMs: (longest?.dur ?? 0) / 1000
    };
  } finally {
    await rm(path, { force: true });
  }
}
