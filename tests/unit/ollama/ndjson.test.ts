import { describe, expect, it } from 'vitest';
import { readNdjson, readNdjsonBatches, MAX_LINE_BYTES } from '../../../electron/main/core/ollama/ndjson';
import { AppError } from '@shared/errors';

const enc = new TextEncoder();

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
}

function stream(...parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const queue = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : p));
  return new ReadableStream({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    }
  });
}

async function collect(source: Parameters<typeof readNdjson>[0], opts?: Parameters<typeof readNdjson>[1]) {
  const out: Record<string, unknown>[] = [];
  for await (const obj of readNdjson(source, opts)) out.push(obj);
  return out;
}

async function failure(source: Parameters<typeof readNdjson>[0], opts?: Parameters<typeof readNdjson>[1]) {
  const got: Record<string, unknown>[] = [];
  try {
    for await (const obj of readNdjson(source, opts)) got.push(obj);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return { error: e as AppError, got };
  }
  throw new Error('expected the reader to fail');
}

describe('readNdjson', () => {
  it('parses several lines in one read', async () => {
    expect(await collect(chunks('{"a":1}\n{"a":2}\n{"a":3}\n'))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('joins one line spread over several reads', async () => {
    expect(await collect(chunks('{"mes', 'sage":"he', 'llo"}', '\n{"b":', '2}\n'))).toEqual([
      { message: 'hello' },
      { b: 2 }
    ]);
  });

  it('keeps a 4-byte emoji split across reads intact', async () => {
    const bytes = enc.encode('{"t":"a😀b"}\n');
    const emojiAt = bytes.indexOf(0xf0);
    expect(emojiAt).toBeGreaterThan(0);
    // Split inside the emoji at every possible offset, and also byte by byte.
    for (const cut of [emojiAt + 1, emojiAt + 2, emojiAt + 3]) {
      const got = await collect(chunks(bytes.slice(0, cut), bytes.slice(cut)));
      expect(got).toEqual([{ t: 'a😀b' }]);
    }
    const oneByOne = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(await collect(chunks(...oneByOne))).toEqual([{ t: 'a😀b' }]);
  });

  it('parses a last line without a trailing newline (JSON replies have none)', async () => {
    expect(await collect(chunks('{"a":1}\n{"done":true}'))).toEqual([{ a: 1 }, { done: true }]);
    expect(await collect(chunks('{"x":', '1}'))).toEqual([{ x: 1 }]);
  });

  it('skips blank lines and CRLF endings', async () => {
    expect(await collect(chunks('\n\n{"a":1}\r\n  \n\r\n{"a":2}\n\n'))).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await collect(chunks(''))).toEqual([]);
    expect(await collect(chunks())).toEqual([]);
  });

  it('reads a ReadableStream the same way', async () => {
    expect(await collect(stream('{"a":', '1}\n{"a":2}'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reports a non-JSON line (a proxy HTML page) as BAD_RESPONSE', async () => {
    const { error, got } = await failure(chunks('{"a":1}\n<html><body>502 Bad Gateway</body></html>\n'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('502 Bad Gateway');
    expect(got).toEqual([{ a: 1 }]);
  });

  it('reports JSON that is not an object as BAD_RESPONSE', async () => {
    expect((await failure(chunks('[1,2]\n'))).error.code).toBe('BAD_RESPONSE');
    expect((await failure(chunks('null'))).error.code).toBe('BAD_RESPONSE');
  });

  it('turns an error line into STREAM_ERROR with the server text, after the earlier chunks', async () => {
    const { error, got } = await failure(
      chunks(
        '{"message":{"content":"hi"},"done":false}\n{"error":"an error was encountered while running the model: boom"}\n'
      )
    );
    expect(error.code).toBe('STREAM_ERROR');
    expect(error.detail?.serverError).toBe('an error was encountered while running the model: boom');
    expect(got).toHaveLength(1);
  });

  it('checks error before done', async () => {
    const { error } = await failure(chunks('{"error":"x","done":true}'));
    expect(error.code).toBe('STREAM_ERROR');
  });

  it('rejects a line over the limit, whether it arrives whole or in pieces', async () => {
    expect((await failure(chunks(`{"a":"${'x'.repeat(100)}"}\n`), { maxLineBytes: 50 })).error.code).toBe(
      'BAD_RESPONSE'
    );
    const pieces = Array.from({ length: 10 }, () => 'x'.repeat(10));
    expect((await failure(chunks('{"a":"', ...pieces), { maxLineBytes: 50 })).error.code).toBe(
      'BAD_RESPONSE'
    );
    // Exactly at the limit is fine.
    const exact = `{"a":"${'x'.repeat(50 - 8)}"}`;
    expect(enc.encode(exact).length).toBe(50);
    expect(await collect(chunks(exact + '\n'), { maxLineBytes: 50 })).toHaveLength(1);
  });

  it('defaults to the 8 MB limit of the Go client', async () => {
    expect(MAX_LINE_BYTES).toBe(8 * 1024 * 1024);
    const big = `{"a":"${'x'.repeat(MAX_LINE_BYTES)}"}\n`;
    expect((await failure(chunks(big))).error.code).toBe('BAD_RESPONSE');
    const fits = `{"a":"${'x'.repeat(MAX_LINE_BYTES - 100)}"}\n`;
    expect(await collect(chunks(fits.slice(0, 1000), fits.slice(1000)))).toHaveLength(1);
  });

  it('cancels the ReadableStream when the consumer stops early', async () => {
    let cancelled: unknown = 'not cancelled';
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(enc.encode('{"a":1}\n'));
      },
      cancel(reason) {
        cancelled = reason;
      }
    });
    for await (const obj of readNdjson(source)) {
      expect(obj).toEqual({ a: 1 });
      break;
    }
    expect(cancelled).not.toBe('not cancelled');
  });

  it('cancels the ReadableStream when a line fails to parse', async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(enc.encode('oops\n'));
      },
      cancel() {
        cancelled = true;
      }
    });
    await expect(collect(source)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(cancelled).toBe(true);
  });
});

describe('readNdjsonBatches', () => {
  it('yields the complete lines of each read together, a line split across reads with the read that ends it', async () => {
    const batches: Record<string, unknown>[][] = [];
    for await (const batch of readNdjsonBatches(
      stream('{"a":1}\n{"a":2}\n{"a"', ':3}\n\n{"a":4}\n', '{"a":5}')
    ))
      batches.push(batch);
    expect(batches).toEqual([[{ a: 1 }, { a: 2 }], [{ a: 3 }, { a: 4 }], [{ a: 5 }]]);
  });

  it('delivers the lines before a bad one, then fails', async () => {
    const got: Record<string, unknown>[][] = [];
    let error: unknown;
    try {
      for await (const batch of readNdjsonBatches(chunks('{"a":1}\n{"a":2}\nnot json\n{"a":3}\n')))
        got.push(batch);
    } catch (e) {
      error = e;
    }
    expect(got).toEqual([[{ a: 1 }, { a: 2 }]]);
    expect((error as AppError).code).toBe('BAD_RESPONSE');
  });
});
