/**
 * Throughput: a 20,000-token markdown reply with code blocks, sent as fast as the socket goes. Measures
 * the time from the server's last byte to the finished reply in the DOM, and the main thread's long
 * tasks (and late frames) while it streams.
 */
import {
  armDone,
  armText,
  newChat,
  pageTimeline,
  send,
  sighting,
  sleep,
  waitIdle,
  within
} from './app-driver';
import { longMarkdownTokens } from './corpus';
import { cpuBetween, cpuSnapshot, type CpuShares } from './cpu-share';
import type { BenchEnv } from './env';
import { traceMainThread, type MainThreadCpu } from './main-thread-trace';
import type { FrameGap, LongTask } from './page-probe';
import { median } from './stats';

export interface ThroughputRun {
  /** Server's first content byte to its last byte. */
  streamMs: number;
  /** Server's last byte to the last word being in the DOM (still the streaming view). */
  textCompleteMs: number;
  /** Server's last byte to the reply shown as finished (data-status=done, final markdown). */
  finishedMs: number;
  longTasks: LongTask[];
  frameGaps: FrameGap[];
  /** Who used the CPU from Send to the finished reply (null where /proc is missing). */
  cpu: CpuShares | null;
}

export interface ThroughputResult {
  tokens: number;
  replyChars: number;
  runs: ThroughputRun[];
  finishedMedianMs: number;
  textCompleteMedianMs: number;
  streamMedianMs: number;
  longestTaskMs: number;
  longTaskCount: number;
  longestFrameGapMs: number;
  longTaskSupported: boolean;
  /** One more run, traced: the main thread's own CPU time (see main-thread-trace.ts). */
  traced: MainThreadCpu | null;
}

export async function benchThroughput(
  env: BenchEnv,
  opts: { tokens: number; runs: number; traced?: boolean }
): Promise<ThroughputResult> {
  const { page, fake } = env;
  const run = Math.floor(Math.random() * 1e9).toString(36);
  const runs: ThroughputRun[] = [];
  let replyChars = 0;
  let longTaskSupported = false;
  /** One reply: streamed, waited for until it is finished in the page. */
  const reply = async (label: string) => {
    const start = `Begin${run}${label}z`;
    const end = `Finish${run}${label}z`;
    const tokens = longMarkdownTokens(opts.tokens, start, end);
    replyChars = tokens.join('').length;
    await newChat(page);
    await fake.setScenario({ tokens });
    const first = fake.firstWrite(start, 60_000);
    const last = fake.end(end, 120_000);
    first.catch(() => {});
    last.catch(() => {});
    await armText(page, end);
    await armDone(page, end);
    const cpuBefore = cpuSnapshot(fake.pid);
    await send(page, `Write a long document (${label}).`);
    const [serverFirst, serverEnd, text, done] = await Promise.all([
      first,
      last,
      sighting(page, `text:${end}`, 120_000),
      sighting(page, `done:${end}`, 120_000)
    ]);
    const cpuAfter = cpuSnapshot(fake.pid);
    const cpu = cpuBefore && cpuAfter ? cpuBetween(cpuBefore, cpuAfter) : null;
    return { serverFirst, serverEnd, text, done, cpu };
  };
  for (let r = 0; r < opts.runs; r++) {
    const { serverFirst, serverEnd, text, done, cpu } = await reply(`r${r}`);
    // Long tasks are reported after they end: give the last ones time to arrive. Nothing drives the
    // page meanwhile (Playwright's polling runs in the page and would count as the app's work).
    await sleep(300);
    const timeline = await pageTimeline(page);
    await waitIdle(page);
    longTaskSupported = timeline.longTaskSupported;
    const to = done.at + 200;
    runs.push({
      streamMs: serverEnd - serverFirst,
      textCompleteMs: text.at - serverEnd,
      finishedMs: done.at - serverEnd,
      longTasks: within(timeline.longTasks, serverFirst, to),
      frameGaps: within(timeline.frameGaps, serverFirst, to),
      cpu
    });
    await sleep(300);
  }
  let traced: MainThreadCpu | null = null;
  if (opts.traced) {
    traced = await traceMainThread(env.browser, page, async () => {
      await reply('traced');
      await sleep(300);
    });
    await waitIdle(page);
  }
  const tasks = runs.flatMap((x) => x.longTasks);
  const gaps = runs.flatMap((x) => x.frameGaps);
  return {
    tokens: opts.tokens,
    replyChars,
    runs,
    finishedMedianMs: median(runs.map((x) => x.finishedMs)),
    textCompleteMedianMs: median(runs.map((x) => x.textCompleteMs)),
    streamMedianMs: median(runs.map((x) => x.streamMs)),
    longestTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
    longTaskCount: tasks.length,
    longestFrameGapMs: Math.max(0, ...gaps.map((g) => g.gap)),
    longTaskSupported,
    traced
  };
}
