/**
 * Writes one reply the way Ollama's Go server does: nothing (not even the status line) until the
 * first chunk exists, NDJSON lines flushed one by one, JSON bodies without a trailing newline.
 * A scenario may cut the body's socket writes at chosen byte offsets to exercise client parsers.
 */
import type { ServerResponse } from 'node:http';
import { goJson } from './go-format';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const NDJSON_TYPE = 'application/x-ndjson';

/** The client side of one request: lets loops stop and sleeps end when it goes away. */
export class Conn {
  aborted = false;
  /** Set when the fake itself cut the socket (not a client hang-up). */
  cutByServer = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly res: ServerResponse,
    readonly extraHeaders: Record<string, string>
  ) {}

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** Calls fn once when the connection goes away; returns a function that cancels it. */
  onAbort(fn: () => void): () => void {
    this.waiters.add(fn);
    return () => this.waiters.delete(fn);
  }

  /** Resolves after ms, or at once when the connection goes away. */
  sleep(ms: number): Promise<void> {
    if (this.aborted || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

export type SplitSpec = number[] | 'every-byte' | number | undefined;

export class ReplyWriter {
  /** Body bytes already handed to the socket. */
  private sent = 0;
  private pending: Buffer = Buffer.alloc(0);
  private readonly cuts: number[] | null;
  private readonly every: number;
  private streamStarted = false;

  constructor(
    private readonly conn: Conn,
    private readonly split: SplitSpec = undefined,
    private readonly gapMs = 0
  ) {
    this.cuts = Array.isArray(split) ? [...new Set(split.filter((n) => n > 0))].sort((a, b) => a - b) : null;
    this.every = split === 'every-byte' ? 1 : typeof split === 'number' ? Math.max(1, Math.floor(split)) : 0;
  }

  get started(): boolean {
    return this.conn.res.headersSent;
  }

  private nextCut(): number | undefined {
    if (this.cuts) return this.cuts.find((c) => c > this.sent);
    if (this.every > 0) return (Math.floor(this.sent / this.every) + 1) * this.every;
    return undefined;
  }

  private head(status: number, headers: Record<string, string>): void {
    const res = this.conn.res;
    if (res.headersSent) return;
    res.writeHead(status, { ...this.conn.extraHeaders, ...headers });
  }

  /** One socket write, awaited until it left the process (so pacing and cuts are real). */
  private async emit(buf: Buffer): Promise<void> {
    if (this.conn.aborted || buf.length === 0) return;
    const res = this.conn.res;
    await new Promise<void>((resolve) => {
      // A destroyed socket may never call back.
      const onClose = (): void => resolve();
      res.once('close', onClose);
      res.write(buf, () => {
        res.off('close', onClose);
        resolve();
      });
    });
    this.sent += buf.length;
  }

  private gap(): Promise<void> {
    if (this.gapMs > 0) return this.conn.sleep(this.gapMs);
    return new Promise((resolve) => setImmediate(resolve));
  }

  private async push(buf: Buffer): Promise<void> {
    if (this.split === undefined) {
      await this.emit(buf);
      return;
    }
    this.pending = Buffer.concat([this.pending, buf]);
    for (;;) {
      const cut = this.nextCut();
      if (cut === undefined || cut > this.sent + this.pending.length) break;
      const piece = this.pending.subarray(0, cut - this.sent);
      this.pending = this.pending.subarray(cut - this.sent);
      await this.emit(piece);
      await this.gap();
      if (this.conn.aborted) return;
    }
  }

  private async flush(): Promise<void> {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    await this.emit(rest);
  }

  /** One NDJSON chunk: `{…}\n`. The first one sends the 200 and the headers. */
  async line(obj: unknown): Promise<void> {
    if (this.conn.aborted) return;
    if (!this.streamStarted) {
      this.streamStarted = true;
      this.head(200, { 'Content-Type': NDJSON_TYPE });
      // Headers leave with the first chunk's existence, even when a cut holds its bytes back.
      if (this.split !== undefined) this.conn.res.flushHeaders();
    }
    await this.push(Buffer.from(goJson(obj) + '\n', 'utf8'));
  }

  async endStream(): Promise<void> {
    await this.flush();
    if (!this.conn.aborted) this.conn.res.end();
  }

  /** A JSON body with no trailing newline. */
  async json(status: number, obj: unknown, contentType = JSON_TYPE): Promise<void> {
    if (this.conn.aborted) return;
    const body = Buffer.from(goJson(obj), 'utf8');
    this.head(status, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
    await this.push(body);
    await this.flush();
    if (!this.conn.aborted) this.conn.res.end();
  }

  text(status: number, text: string, contentType: string): void {
    if (this.conn.aborted) return;
    const body = Buffer.from(text, 'utf8');
    this.head(status, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
    this.conn.res.end(body);
  }

  empty(status: number, headers: Record<string, string> = {}): void {
    if (this.conn.aborted) return;
    this.head(status, { 'Content-Length': '0', ...headers });
    this.conn.res.end();
  }

  /** Kill the connection mid-body (after what was written reached the socket). */
  async cut(): Promise<void> {
    await this.flush();
    this.conn.cutByServer = true;
    this.conn.res.destroy();
  }
}
