/**
 * Line-buffered NDJSON reader (ollama-api.md §7).
 *
 * Lines are split on the raw `\n` byte before decoding: that byte never occurs inside a multi-byte
 * UTF-8 sequence, so a character split across reads is carried over with its line, and the 8 MB limit
 * (the Go client's) is counted in bytes, exactly. The last line is parsed even without `\n`, because
 * JSON replies (errors, stream:false, load/unload) have none.
 */
import { AppError } from '@shared/errors';

export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface NdjsonOptions {
  /** Longest accepted line in bytes; longer → BAD_RESPONSE. */
  maxLineBytes?: number;
}

export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

const NEWLINE = 0x0a;

/** Iterates a ReadableStream or async iterable, cancelling the source when the consumer stops early. */
async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (!(source instanceof ReadableStream)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // On break, throw or abort: cancelling the body closes the connection, so the server stops.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const decoder = new TextDecoder('utf-8');

/** Parses one non-blank line into an object, or throws BAD_RESPONSE / STREAM_ERROR. */
export function parseLine(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('BAD_RESPONSE', `The server sent a line that is not JSON: ${preview(text)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('BAD_RESPONSE', `The server sent JSON that is not an object: ${preview(text)}`);
  }
  const obj = value as Record<string, unknown>;
  // Checked before `done`: an error line ends the stream, and no done follows it.
  if (obj.error !== undefined && obj.error !== null && obj.error !== '') {
    const serverError = typeof obj.error === 'string' ? obj.error : JSON.stringify(obj.error);
    throw new AppError('STREAM_ERROR', `The server reported an error: ${serverError}`, { serverError });
  }
  return obj;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function tooLong(max: number): AppError {
  return new AppError('BAD_RESPONSE', `The server sent a line longer than ${max} bytes.`);
}

/**
 * Yields the JSON objects of an NDJSON byte stream, all the complete lines of each read together: a
 * fast server sends thousands of lines a second, and one await per read instead of per line keeps the
 * main process's cost per token low. A bad line still throws only after the lines before it were
 * yielded. Stopping early cancels the source.
 */
export async function* readNdjsonBatches(
  source: ByteSource,
  opts: NdjsonOptions = {}
): AsyncGenerator<Record<string, unknown>[]> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  let parts: Uint8Array[] = [];
  let pending = 0;

  for await (const chunk of chunksOf(source)) {
    const batch: Record<string, unknown>[] = [];
    let failure: unknown;
    let start = 0;
    try {
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        if (nl < 0) break;
        const piece = chunk.subarray(start, nl);
        if (pending + piece.length > max) throw tooLong(max);
        parts.push(piece);
        const line = concat(parts, pending + piece.length);
        parts = [];
        pending = 0;
        start = nl + 1;
        const obj = parseBytes(line);
        if (obj) batch.push(obj);
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (pending + rest.length > max) throw tooLong(max);
        // Copy: the source may reuse its buffer for the next read.
        parts.push(rest.slice());
        pending += rest.length;
      }
    } catch (error) {
      failure = error;
    }
    if (batch.length > 0) yield batch;
    if (failure !== undefined) throw failure;
  }
  if (pending > 0) {
    const obj = parseBytes(concat(parts, pending));
    if (obj) yield [obj];
  }
}

/** The same, one object at a time. */
export async function* readNdjson(
  source: ByteSource,
  opts: NdjsonOptions = {}
): AsyncGenerator<Record<string, unknown>> {
  for await (const batch of readNdjsonBatches(source, opts)) yield* batch;
}

/** A line's object, or null for a blank line. */
function parseBytes(line: Uint8Array): Record<string, unknown> | null {
  const text = decoder.decode(line).trim();
  return text === '' ? null : parseLine(text);
}
