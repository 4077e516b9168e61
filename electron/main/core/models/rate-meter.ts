/**
 * Bytes per second over roughly the last second, per pull layer. Ollama reports `completed` about every
 * 60 ms; a rate over one sample would jitter, one over the whole pull would lag behind a stall.
 */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = [];
  private readonly windowMs: number;

  constructor(windowMs = 1_000) {
    this.windowMs = windowMs;
  }

  /** Records a new total and returns the rate, or undefined until two samples span some time. */
  add(at: number, bytes: number): number | undefined {
    const last = this.samples.at(-1);
    // A layer that restarts (resumed download) counts from its new total.
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ at, bytes });
    // Keep the newest sample that is at least a window old, as the base of the measure.
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= this.windowMs) this.samples.shift();
    const first = this.samples[0];
    if (!first || at <= first.at) return undefined;
    return Math.round(((bytes - first.bytes) * 1000) / (at - first.at));
  }
}
