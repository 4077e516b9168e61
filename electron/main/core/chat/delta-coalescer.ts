/**
 * Coalesces a reply's text into at most one delta per interval (~one animation frame), so a fast
 * server does not flood IPC. Each delta carries exactly the text appended since the previous one:
 * nothing is reordered, nothing is dropped, and `flush` empties it before a phase change or the end.
 */
import type { Clock } from '../ports';

export class DeltaCoalescer {
  private content = '';
  private thinking = '';
  private lastEmitAt = -Infinity;
  private timer: { cancel(): void } | undefined;

  constructor(
    private readonly emit: (content: string, thinking: string) => void,
    private readonly clock: Clock,
    private readonly intervalMs: number
  ) {}

  push(content: string, thinking: string): void {
    this.content += content;
    this.thinking += thinking;
    if (this.timer !== undefined) return;
    const wait = this.lastEmitAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Emits whatever is pending now. */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.content === '' && this.thinking === '') return;
    const content = this.content;
    const thinking = this.thinking;
    this.content = '';
    this.thinking = '';
    this.lastEmitAt = this.clock.now();
    this.emit(content, thinking);
  }
}
