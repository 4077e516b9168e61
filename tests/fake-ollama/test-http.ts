/** HTTP helpers for the fake's own tests: node:http, so every socket write shows as its own chunk. */
import { request, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';

export interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  chunks: Buffer[];
  text: string;
  /** ms from sending the request to the status line. */
  headersAfterMs: number;
  /** The body ended with the chunked terminator (a clean end, not a cut). */
  complete: boolean;
}

export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  onData?: (chunk: Buffer, req: ClientRequest) => void
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    // Node frames no body for DELETE by default: say its length, as fetch does.
    const sized =
      payload === undefined ? headers : { 'content-length': String(Buffer.byteLength(payload)), ...headers };
    const req = request(baseUrl + path, { method, headers: sized }, (res) => {
      const headersAfterMs = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        onData?.(c, req);
      });
      const done = (): void =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          chunks,
          text: Buffer.concat(chunks).toString('utf8'),
          headersAfterMs,
          complete: res.complete
        });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export function ndjson(text: string): Record<string, unknown>[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const user = (content: string): { role: string; content: string }[] => [{ role: 'user', content }];
export const JSON_CT = 'application/json; charset=utf-8';
