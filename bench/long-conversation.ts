/**
 * A conversation of 2,000 messages (about 1 MB of text), imported through the api: the time from the
 * click on it in the sidebar to its latest message in the DOM, and then scrolling to its first message
 * with the mouse wheel while watching for long tasks.
 */
import { armText, openApp, pageTimeline, sighting, sleep, within } from './app-driver';
import { longConversationExport } from './corpus';
import type { BenchEnv } from './env';
import type { FrameGap, LongTask } from './page-probe';

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
}

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

  // A fresh load with nothing selected, as after starting the app.
  await openApp(page, harness.url);
  const link = page.getByRole('link', { name: title, exact: true });
  await link.waitFor();
  await sleep(500); // let the start-up work (lists, status checks) settle
  await armText(page, lastMarker);
  await link.click();
  const seen = await sighting(page, `text:${lastMarker}`, 30_000);
  await sleep(500);
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
  const area = await page.locator('main').boundingBox();
  if (!area) throw new Error('no conversation area');
  await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
  const state = (): Promise<ScrollState> =>
    page.evaluate((marker) => {
      const scroller = document.querySelector<HTMLElement>('main .scroller');
      const first = document.querySelector('main article');
      return {
        top: scroller?.scrollTop ?? -1,
        firstShown: first?.textContent?.includes(marker) ?? false,
        rendered: document.querySelectorAll('main article').length
      };
    }, firstMarker);
  const scrollStart = await page.evaluate(() => performance.timeOrigin + performance.now());
  const deadline = Date.now() + opts.scrollBudgetMs;
  let steps = 0;
  let reachedTop = false;
  let scrollEnd = scrollStart;
  let rendered = 0;
  // A user flinging upwards: a wheel turn about every frame, looking where we are now and then.
  while (Date.now() < deadline) {
    await page.mouse.wheel(0, -4000);
    steps++;
    await sleep(16);
    if (steps % 8 !== 0) continue;
    const s = await state();
    rendered = s.rendered;
    if (s.firstShown && s.top === 0) {
      reachedTop = true;
      scrollEnd = await page.evaluate(() => performance.timeOrigin + performance.now());
      break;
    }
  }
  if (!reachedTop) scrollEnd = await page.evaluate(() => performance.timeOrigin + performance.now());
  await sleep(300);
  const afterScroll = await pageTimeline(page);
  rendered = (await state()).rendered;
  const scrollLongTasks = within(afterScroll.longTasks, scrollStart, scrollEnd + 200);
  const scrollFrameGaps = within(afterScroll.frameGaps, scrollStart, scrollEnd + 200);
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
    longestScrollFrameGapMs: Math.max(0, ...scrollFrameGaps.map((g) => g.gap))
  };
}
