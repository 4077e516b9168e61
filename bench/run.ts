/**
 * `npm run bench`: holds the chat window to the speed targets of issue 4 in headless Chromium against
 * the fake Ollama server, prints a table and writes bench/results.json. A missed target is reported,
 * not failed (exit 0); only a benchmark that could not run exits non-zero. `-- --passes=N` runs it N
 * times in fresh environments and adds how often each target was met (one pass on a busy machine
 * says little).
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { clockOffset, openApp } from './app-driver';
import type { CpuShares } from './cpu-share';
import { startBenchEnv, withTimeout, type BenchEnv } from './env';
import { benchFirstToken, type FirstTokenResult } from './first-token';
import { benchLongConversation, TRACED_WHEEL_STEPS, type LongConversationResult } from './long-conversation';
import { formatPassSummary, formatTable, missed, summarizePasses, type Row } from './report';
import { median, round } from './stats';
import { benchThroughput, type ThroughputResult } from './throughput';

const TOTAL_TIMEOUT_MS = 12 * 60_000;
const RESULTS = join(import.meta.dirname, 'results.json');
const NO_LONG_TASK = 'none > 50 ms';

function longTaskCell(longest: number): string {
  return longest === 0 ? NO_LONG_TASK : `${longest.toFixed(0)} ms`;
}

function firstTokenRows(r: FirstTokenResult): Row[] {
  return [
    {
      metric: `first token → DOM, median (${r.samplesMs.length} replies)`,
      value: r.medianMs,
      target: '≤ 16 ms',
      ok: r.medianMs <= 16
    },
    { metric: 'first token → DOM, p95', value: r.p95Ms },
    { metric: 'first token → DOM, max', value: r.maxMs },
    { metric: 'first token, median leg: fake write → harness sends delta', value: r.legsMedianMs.core },
    { metric: 'first token, median leg: harness send → page receives', value: r.legsMedianMs.transport },
    { metric: 'first token, median leg: page receives → text in DOM', value: r.legsMedianMs.renderer }
  ];
}

function throughputRows(r: ThroughputResult): Row[] {
  const n = `${(r.tokens / 1000).toFixed(0)}k-token reply`;
  return [
    {
      metric: `${n}: last byte → finished reply in DOM (median of ${r.runs.length})`,
      value: r.finishedMedianMs,
      target: '≤ 100 ms',
      ok: r.finishedMedianMs <= 100
    },
    { metric: `${n}: last byte → last word in DOM`, value: r.textCompleteMedianMs },
    {
      metric: `${n}: longest main-thread task while streaming`,
      value: r.longestTaskMs,
      display: r.longTaskSupported ? longTaskCell(r.longestTaskMs) : 'longtask unsupported',
      target: 'none > 50 ms',
      ok: r.longTaskSupported ? r.longestTaskMs === 0 : undefined
    },
    { metric: `${n}: long tasks while streaming (all runs)`, value: r.longTaskCount, unit: 'count' },
    ...(r.traced
      ? [
          {
            metric: `${n}: longest main-thread task, its own CPU time (traced run; wall ${r.traced.longestTaskWallMs.toFixed(0)} ms)`,
            value: r.traced.longestTaskCpuMs
          },
          { metric: `${n}: main-thread CPU time for the whole reply (traced run)`, value: r.traced.totalMs }
        ]
      : []),
    ...cpuShareRows(n, r),
    { metric: `${n}: longest gap between frames`, value: r.longestFrameGapMs },
    { metric: `${n}: server stream time (first → last byte)`, value: r.streamMedianMs }
  ];
}

/** Medians over the runs of who used the CPU during a reply (see cpu-share.ts). */
function cpuShareRows(n: string, r: ThroughputResult): Row[] {
  const shares = r.runs.flatMap((run) => (run.cpu ? [run.cpu] : []));
  if (shares.length === 0) return [];
  const m = (pick: (s: CpuShares) => number) => median(shares.map(pick));
  const cpu = `${n}: CPU from Send to finished (median of ${shares.length})`;
  const busy = m(
    (s) => (100 * (s.pageMainMs + s.chromiumRestMs + s.benchProcessMs + s.fakeMs)) / s.capacityMs
  );
  return [
    { metric: `${cpu}, available (cores × wall time)`, value: m((s) => s.capacityMs) },
    { metric: `${cpu}, page main thread`, value: m((s) => s.pageMainMs) },
    { metric: `${cpu}, rest of Chromium`, value: m((s) => s.chromiumRestMs) },
    { metric: `${cpu}, bench process (harness = app core, Playwright)`, value: m((s) => s.benchProcessMs) },
    { metric: `${cpu}, fake server`, value: m((s) => s.fakeMs) },
    {
      metric: `${cpu}, the four together, of what was available`,
      value: busy,
      display: `${busy.toFixed(0)} %`
    }
  ];
}

function longConversationRows(r: LongConversationResult): Row[] {
  const n = `${r.messages} messages (${(r.textBytes / 1e6).toFixed(2)} MB)`;
  return [
    {
      metric: `${n}: click → latest message in DOM`,
      value: r.openMs,
      target: '≤ 200 ms',
      ok: r.openMs <= 200 && r.latestVisible
    },
    {
      metric: `${n}: longest task while opening`,
      value: Math.max(0, ...r.openLongTasks.map((t) => t.duration)),
      display: longTaskCell(Math.max(0, ...r.openLongTasks.map((t) => t.duration)))
    },
    {
      metric: `${n}: scroll to top, longest main-thread task`,
      value: r.longestScrollTaskMs,
      display: r.reachedTop ? longTaskCell(r.longestScrollTaskMs) : 'never reached the top',
      target: 'none > 50 ms',
      ok: r.reachedTop && r.longestScrollTaskMs === 0
    },
    { metric: `${n}: scroll to top, long tasks`, value: r.scrollLongTasks.length, unit: 'count' },
    ...(r.traced
      ? [
          {
            metric: `${n}: scroll, longest main-thread task, its own CPU time (traced, ${TRACED_WHEEL_STEPS} turns; wall ${r.traced.longestTaskWallMs.toFixed(0)} ms)`,
            value: r.traced.longestTaskCpuMs
          },
          { metric: `${n}: scroll, main-thread CPU time for those turns (traced)`, value: r.traced.totalMs }
        ]
      : []),
    { metric: `${n}: scroll to top, longest gap between frames`, value: r.longestScrollFrameGapMs },
    {
      metric: r.reachedTop
        ? `${n}: scroll to top with the wheel (${r.wheelSteps} turns)`
        : `${n}: wheel scrolling for (${r.wheelSteps} turns), top not reached: ${r.renderedAtEnd} messages shown`,
      value: r.scrollMs
    }
  ];
}

async function section<T>(
  name: string,
  errors: string[],
  fn: () => Promise<T>,
  timeoutMs: number
): Promise<T | null> {
  process.stdout.write(`bench: ${name}…\n`);
  try {
    return await withTimeout(fn(), timeoutMs, name);
  } catch (error) {
    errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.stdout.write(`bench: ${name} failed: ${String(error)}\n`);
    return null;
  }
}

/**
 * `tsx bench/run.ts [first-token] [throughput] [long-conversation] [--renderer=DIR] [--passes=N]`: run only those
 * (default all), against another build of the renderer (default out/renderer) to compare a change.
 */
function rendererDir(): string | undefined {
  return process.argv.find((a) => a.startsWith('--renderer='))?.slice('--renderer='.length);
}

function wanted(name: string): boolean {
  const picked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  return picked.length === 0 || picked.includes(name);
}

/** `--passes=N`: the whole benchmark N times, each in a fresh browser, harness and fake (default 1). */
function passCount(): number {
  const arg = process.argv.find((a) => a.startsWith('--passes='))?.slice('--passes='.length);
  const n = arg === undefined ? 1 : Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > 20)
    throw new Error(`--passes must be a whole number from 1 to 20, not ${arg}`);
  return n;
}

interface PassResult {
  loadAverageAtStart: number;
  rows: Row[];
  errors: string[];
  browserVersion: string;
  details: {
    clock: { offsetMs: number; uncertaintyMs: number } | null;
    firstToken: FirstTokenResult | null;
    throughput: ThroughputResult | null;
    longConversation: LongConversationResult | null;
  };
}

/** The environment of the pass under way, so that a watchdog or Ctrl+C can close it. */
let current: BenchEnv | null = null;

/** One pass: a fresh environment, every wanted section, its rows. */
async function runPass(): Promise<PassResult> {
  const errors: string[] = [];
  const loadAverageAtStart = loadavg()[0] ?? 0;
  let first: FirstTokenResult | null = null;
  let through: ThroughputResult | null = null;
  let long: LongConversationResult | null = null;
  let clock: { offsetMs: number; uncertaintyMs: number } | null = null;
  let browserVersion = '';
  try {
    const renderer = rendererDir();
    current = await startBenchEnv(renderer ? { rendererDir: renderer } : {});
    const e = current;
    browserVersion = e.browser.version();
    await openApp(e.page, e.harness.url);
    clock = await clockOffset(e.page);
    if (wanted('first-token'))
      first = await section(
        'first-token latency',
        errors,
        () => benchFirstToken(e, { replies: 50, warmup: 3 }),
        180_000
      );
    if (wanted('throughput'))
      through = await section(
        'throughput',
        errors,
        () => benchThroughput(e, { tokens: 20_000, runs: 3, traced: true }),
        240_000
      );
    if (wanted('long-conversation'))
      long = await section(
        'long conversation',
        errors,
        () => benchLongConversation(e, { messages: 2_000, bytes: 1_000_000, scrollBudgetMs: 120_000 }),
        200_000
      );
    if (e.pageErrors.length > 0) errors.push(`page errors: ${e.pageErrors.slice(0, 5).join(' | ')}`);
  } catch (error) {
    errors.push(`setup: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await current?.close();
    current = null;
  }

  const rows: Row[] = [];
  if (first) rows.push(...firstTokenRows(first));
  if (through) rows.push(...throughputRows(through));
  if (long) rows.push(...longConversationRows(long));
  if (clock) {
    rows.push({
      metric: 'clock check: page − server epoch clock',
      value: clock.offsetMs,
      display: `${clock.offsetMs.toFixed(2)} ± ${clock.uncertaintyMs.toFixed(2)} ms`
    });
  }
  return {
    loadAverageAtStart,
    rows,
    errors,
    browserVersion,
    details: { clock, firstToken: first, throughput: through, longConversation: long }
  };
}

function printPass(pass: PassResult, label: string): void {
  const load = loadavg()[0] ?? 0;
  console.log(`\n${label}${formatTable(pass.rows)}\n`);
  if (load > cpus().length) {
    console.log(
      `NOTE: load average ${load.toFixed(1)} on ${cpus().length} cores (started at ${pass.loadAverageAtStart.toFixed(1)}): ` +
        'other work competed for the CPU, so times are inflated.'
    );
  }
  const misses = missed(pass.rows);
  if (misses.length > 0) console.log(`MISSED: ${misses.map((r) => r.metric).join('; ')}`);
  else if (pass.rows.length > 0) console.log('All targets met.');
  for (const e of pass.errors) console.log(`ERROR: ${e}`);
}

async function main(): Promise<number> {
  const passes = passCount();
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${(passes * TOTAL_TIMEOUT_MS) / 60_000} minutes`);
    void (current?.close() ?? Promise.resolve()).finally(() => process.exit(2));
  }, passes * TOTAL_TIMEOUT_MS);
  const interrupt = () => void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const results: PassResult[] = [];
  try {
    for (let i = 0; i < passes; i++) {
      if (passes > 1) process.stdout.write(`bench: pass ${i + 1} of ${passes}\n`);
      const pass = await runPass();
      results.push(pass);
      printPass(pass, passes > 1 ? `Pass ${i + 1} of ${passes}\n` : '');
    }
  } finally {
    clearTimeout(watchdog);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  const summary = summarizePasses(results.map((p) => p.rows));
  if (passes > 1) console.log(`\n${formatPassSummary(summary)}\n`);

  const output = {
    when: new Date().toISOString(),
    machine: {
      node: process.version,
      chromium: results.find((p) => p.browserVersion)?.browserVersion ?? '',
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? '',
      loadAverageAtEnd: loadavg().map((x) => round(x, 2))
    },
    summary,
    passes: results.map((p) => ({
      loadAverageAtStart: round(p.loadAverageAtStart, 2),
      rows: p.rows.map((r) => ({ ...r, value: Number.isNaN(r.value) ? null : round(r.value, 2) })),
      missed: missed(p.rows).map((r) => r.metric),
      errors: p.errors,
      details: p.details
    }))
  };
  await writeFile(RESULTS, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Written to ${RESULTS}`);
  return results.some((p) => p.errors.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  }
);
