/**
 * First-token latency added by the app: from the fake server handing the reply's first content
 * chunk (a unique marker word) to the socket, to that word being in the page's DOM.
 */
import { armDone, armText, newChat, send, sighting, sleep, socketArrival, waitIdle } from './app-driver';
import type { BenchEnv } from './env';
import { median, percentile } from './stats';

/** Where one first token's time went (all ms). */
export interface FirstTokenLegs {
  /** Fake's socket write → the harness sends the delta to the page (core: HTTP read, parse, coalesce). */
  core: number;
  /** Harness send → the page's WebSocket message event (transport). */
  transport: number;
  /** Message event → the text in the DOM (renderer: state, markdown, Svelte). */
  renderer: number;
}

export interface FirstTokenResult {
  samplesMs: number[];
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Median of each leg over the same replies. */
  legsMedianMs: FirstTokenLegs;
  legs: FirstTokenLegs[];
}

export async function benchFirstToken(
  env: BenchEnv,
  opts: { replies: number; warmup: number }
): Promise<FirstTokenResult> {
  const { page, fake, wsProbe } = env;
  const run = Math.floor(Math.random() * 1e9).toString(36);
  await newChat(page);
  const samples: number[] = [];
  const legs: FirstTokenLegs[] = [];
  for (let i = 0; i < opts.warmup + opts.replies; i++) {
    const marker = `First${run}n${i}z`;
    // A reply paced like a real model, so the first word arrives alone after a quiet spell.
    await fake.setScenario({ tokens: [marker, ' is', ' the', ' first', ' word.'], pacingMs: 20 });
    const written = fake.firstWrite(marker, 20_000);
    const relayed = wsProbe.firstSend(marker, 20_000);
    // Awaited below; this only keeps an early rejection from being unhandled.
    written.catch(() => {});
    relayed.catch(() => {});
    await armText(page, marker);
    await armDone(page, marker);
    await send(page, `Question number ${i}, please answer briefly.`);
    const [serverAt, sentAt, seen] = await Promise.all([
      written,
      relayed,
      sighting(page, `text:${marker}`, 20_000)
    ]);
    const arrivedAt = await socketArrival(page, marker);
    await sighting(page, `done:${marker}`, 20_000);
    await waitIdle(page);
    // The first reply of a conversation is followed by its title request: let it finish unmeasured.
    if (i === 0) await fake.waitForTitle(20_000);
    if (i >= opts.warmup) {
      samples.push(seen.at - serverAt);
      legs.push({ core: sentAt - serverAt, transport: arrivedAt - sentAt, renderer: seen.at - arrivedAt });
    }
    // A user reads before asking again; it also keeps the replies from overlapping.
    await sleep(100);
  }
  return {
    samplesMs: samples,
    medianMs: median(samples),
    p95Ms: percentile(samples, 95),
    maxMs: Math.max(...samples),
    legsMedianMs: {
      core: median(legs.map((l) => l.core)),
      transport: median(legs.map((l) => l.transport)),
      renderer: median(legs.map((l) => l.renderer))
    },
    legs
  };
}
