/**
 * Drives the app like a user (by role and label) and reads the page probe. Times are epoch ms.
 */
import type { Page } from '@playwright/test';
import type { FrameGap, LongTask, PageProbe, Sighting } from './page-probe';
import { epochNow } from './write-probe';

type ProbeWindow = Window & { __bench: PageProbe };

export function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'New chat' }).first().waitFor();
}

/** Starts a new conversation and waits until its own (empty) view is the one on screen. */
export async function newChat(page: Page): Promise<void> {
  const before = await page.evaluate(() => location.hash);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.waitForFunction((h) => location.hash !== h && location.hash.startsWith('#c='), before, {
    timeout: 15_000
  });
  await page.waitForFunction(() => document.querySelectorAll('main article').length === 0, undefined, {
    timeout: 15_000
  });
  await composer(page).waitFor();
}

/** Types the message and clicks Send (the reply's watches must be armed before). */
export async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Waits until the composer can send again (the previous reply is over). */
export async function waitIdle(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached', timeout: 30_000 });
}

export async function armText(page: Page, marker: string, scope = 'article'): Promise<void> {
  await page.evaluate(({ m, s }) => (window as unknown as ProbeWindow).__bench.armText(m, s), {
    m: marker,
    s: scope
  });
}

export async function armDone(page: Page, marker: string): Promise<void> {
  await page.evaluate((m) => (window as unknown as ProbeWindow).__bench.armDone(m), marker);
}

export async function sighting(page: Page, key: string, timeoutMs: number): Promise<Sighting> {
  const seen = await page.evaluate(([k, t]) => (window as unknown as ProbeWindow).__bench.result(k, t), [
    key,
    timeoutMs
  ] as const);
  if (seen.already) throw new Error(`${key} was in the page before the measurement started`);
  return seen;
}

export async function socketArrival(page: Page, marker: string): Promise<number> {
  return page.evaluate((m) => (window as unknown as ProbeWindow).__bench.socketArrivals[m] ?? 0, marker);
}

export async function pageTimeline(page: Page): Promise<{
  longTasks: LongTask[];
  frameGaps: FrameGap[];
  lastClickAt: number;
  longTaskSupported: boolean;
}> {
  return page.evaluate(() => {
    const p = (window as unknown as ProbeWindow).__bench;
    return {
      longTasks: [...p.longTasks],
      frameGaps: [...p.frameGaps],
      lastClickAt: p.lastClickAt,
      longTaskSupported: p.longTaskSupported
    };
  });
}

/** Long tasks and late frames that overlap [from, to]. */
export function within<T extends { start?: number; at?: number; duration?: number; gap?: number }>(
  items: T[],
  from: number,
  to: number
): T[] {
  return items.filter((item) => {
    const start = item.start ?? (item.at ?? 0) - (item.gap ?? 0);
    const end = start + (item.duration ?? item.gap ?? 0);
    return end >= from && start <= to;
  });
}

/**
 * The page clock minus this process's clock, from the round trip with the smallest spread (both are
 * epoch clocks of the same machine, so this should be ~0; it is reported to show that it is).
 */
export async function clockOffset(
  page: Page,
  rounds = 25
): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < rounds; i++) {
    const before = epochNow();
    const inPage = await page.evaluate(() => (window as unknown as ProbeWindow).__bench.now());
    const after = epochNow();
    const spread = (after - before) / 2;
    if (spread < best.uncertaintyMs)
      best = { offsetMs: inPage - (before + after) / 2, uncertaintyMs: spread };
  }
  return best;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
