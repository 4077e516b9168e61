/**
 * A conversation of 2,000 messages (about 1 MB of text), imported through the api: the time from the
 * click on it in the sidebar to its latest message in the DOM, and then scrolling to its first message
 * with the mouse wheel while watching for long tasks.
 */
import { armText, openApp, pageTimeline, sighting, sleep, within } from './app-driver';
import { longConversationExport } from './corpus';
import type { BenchEnv } from './env';
import { traceMainThread, type MainThreadCpu } from './main-thread-trace';
import type { FrameGap, LongTask, Sighting } from './page-probe';
import type { Locator, Page } from '@playwright/test';

export interface LongConversationResult {
  messages: number;
  textBytes: number;
  openMs: number;
  /** The latest message is inside the scroller's visible area once it opened. */
  latestVisible: boolean;
  openLongTasks: LongTask[];
  /** Time spent scrolling: to the top, or the whole budget when it was not reached. */
  scrollMs: number;
  reachedTop: boolean;
  wheelSteps: number;
  /** Messages in the DOM when the scroll ended (all of them when it reached the top). */
  renderedAtEnd: number;
  scrollLongTasks: LongTask[];
  scrollFrameGaps: FrameGap[];
  longestScrollTaskMs: number;
  longestScrollFrameGapMs: number;
  /**
   * The same fling once more, traced, after opening the conversation afresh: the main thread's own
   * CPU time (see main-thread-trace.ts). Only its first TRACED_WHEEL_STEPS turns, to keep the trace small.
   */
  traced: MainThreadCpu | null;
}

/** Wheel turns of the traced fling: the first few seconds of it. */
export const TRACED_WHEEL_STEPS = 96;

interface ScrollState {
  top: number;
  firstShown: boolean;
  rendered: number;
}

export async function benchLongConversation(
  env: BenchEnv,
  opts: { messages: number; bytes: number; scrollBudgetMs: number }
): Promise<LongConversationResult> {
  const { page, harness } = env;
  const run = Math.floor(Math.random() * 1e9).toString(36);
  const firstMarker = `Oldest${run}z`;
  const lastMarker = `Newest${run}z`;
  const title = `Benchmark history ${run}`;

  const profiles = await page.evaluate(() => window.ollamaDesk.call('profiles:list', {}));
  if (!profiles.ok || !profiles.value.activeId) throw new Error('no active server profile to import into');
  const { text, textBytes } = longConversationExport({
    count: opts.messages,
    bytes: opts.bytes,
    profileId: profiles.value.activeId,
    model: 'gemma3:4b',
    title,
    firstMarker,
    lastMarker
  });
  const imported = await page.evaluate(
    (t) => window.ollamaDesk.call('conversations:import', { text: t }),
    text
  );
  if (!imported.ok) throw new Error(`import failed: ${imported.error.message}`);

  const link = page.getByRole('link', { name: title, exact: true });
  const seen = await openFresh(page, harness.url, link, lastMarker);
  const afterOpen = await pageTimeline(page);
  const openMs = seen.at - afterOpen.lastClickAt;
  const openLongTasks = within(afterOpen.longTasks, afterOpen.lastClickAt, seen.at + 300);
  const latestVisible = await page.evaluate((marker) => {
    const scroller = document.querySelector<HTMLElement>('main .scroller');
    const articles = document.querySelectorAll('main article');
    const last = articles[articles.length - 1];
    if (!scroller || !last?.textContent?.includes(marker)) return false;
    const view = scroller.getBoundingClientRect();
    const box = last.getBoundingClientRect();
    return box.bottom > view.top && box.top < view.bottom;
  }, lastMarker);

  // Scroll to the top with the wheel, as a user would, until the first message is there.
  const fling = await flingToTop(page, firstMarker, opts.scrollBudgetMs);
  const { scrollStart, scrollEnd, reachedTop, steps } = fling;
  await sleep(300);
  const afterScroll = await pageTimeline(page);
  const rendered = (await scrollState(page, firstMarker)).rendered;
  const scrollLongTasks = within(afterScroll.longTasks, scrollStart, scrollEnd + 200);
  const scrollFrameGaps = within(afterScroll.frameGaps, scrollStart, scrollEnd + 200);

  // Once more, traced, from a fresh load (the first fling left every message rendered).
  await openFresh(page, harness.url, link, lastMarker);
  const traced = await traceMainThread(env.browser, page, async () => {
    await flingToTop(page, firstMarker, opts.scrollBudgetMs, TRACED_WHEEL_STEPS);
  });
  return {
    messages: opts.messages,
    textBytes,
    openMs,
    latestVisible,
    openLongTasks,
    scrollMs: scrollEnd - scrollStart,
    reachedTop,
    wheelSteps: steps,
    renderedAtEnd: rendered,
    scrollLongTasks,
    scrollFrameGaps,
    longestScrollTaskMs: Math.max(0, ...scrollLongTasks.map((t) => t.duration)),
    longestScrollFrameGapMs: Math.max(0, ...scrollFrameGaps.map((g) => g.gap)),
    traced
  };
}

/**
 * A fresh load with nothing selected, as after starting the app, then a click on the conversation:
 * resolves once its latest message is in the DOM (the sighting's time is when it got there).
 */
async function openFresh(page: Page, appUrl: string, link: Locator, lastMarker: string): Promise<Sighting> {
  await openApp(page, appUrl);
  await link.waitFor();
  await sleep(500); // let the start-up work (lists, status checks) settle
  await armText(page, lastMarker);
  await link.click();
  const seen = await sighting(page, `text:${lastMarker}`, 30_000);
  await sleep(500);
  return seen;
}

function scrollState(page: Page, firstMarker: string): Promise<ScrollState> {
  return page.evaluate((marker) => {
    const scroller = document.querySelector<HTMLElement>('main .scroller');
    const first = document.querySelector('main article');
    return {
      top: scroller?.scrollTop ?? -1,
      firstShown: first?.textContent?.includes(marker) ?? false,
      rendered: document.querySelectorAll('main article').length
    };
  }, firstMarker);
}

/**
 * A user flinging upwards: a wheel turn about every frame, looking where we are now and then, until
 * the first message is at the top (or the budget, or maxSteps turns, is used up). Times are epoch ms.
 */
async function flingToTop(
  page: Page,
  firstMarker: string,
  budgetMs: number,
  maxSteps = Infinity
): Promise<{ scrollStart: number; scrollEnd: number; reachedTop: boolean; steps: number }> {
  const area = await page.locator('main').boundingBox();
  if (!area) throw new Error('no conversation area');
  await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
  const epoch = () => page.evaluate(() => performance.timeOrigin + performance.now());
  const scrollStart = await epoch();
  const deadline = Date.now() + budgetMs;
  let steps = 0;
  while (Date.now() < deadline && steps < maxSteps) {
    await page.mouse.wheel(0, -4000);
    steps++;
    await sleep(16);
    if (steps % 8 !== 0) continue;
    const s = await scrollState(page, firstMarker);
    if (s.firstShown && s.top === 0)
      return { scrollStart, scrollEnd: await epoch(), reachedTop: true, steps };
  }
  return { scrollStart, scrollEnd: await epoch(), reachedTop: false, steps };
}
