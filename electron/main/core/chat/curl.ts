/**
 * "Copy as curl": the request behind a reply as a shell command in the style of Ollama's docs
 * (`curl http://localhost:11434/api/chat -d '{…}'`). Every argument that is not plainly safe is
 * single-quoted for POSIX shells, so any content (quotes, newlines, unicode) survives a paste.
 */

export interface CurlInput {
  url: string;
  body: unknown;
  /** false adds `"stream": false`; true leaves streaming to the server's default. */
  stream: boolean;
  /** Only passed when the user asked to include credentials. */
  authHeaders?: Record<string, string>;
}

/** Characters that need no quoting in any POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/;

export function shellQuote(value: string): string {
  if (value !== '' && SAFE_WORD.test(value)) return value;
  // Inside '…' nothing is special except ' itself, which is closed, escaped, and reopened.
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function toCurl({ url, body, stream, authHeaders }: CurlInput): string {
  const parts = ['curl'];
  // curl treats [] and {} in URLs as globs; an IPv6 literal host needs globbing off.
  if (/[[\]{}]/.test(url)) parts.push('--globoff');
  parts.push(shellQuote(url));
  for (const [name, value] of Object.entries(authHeaders ?? {})) {
    parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  parts.push('-d', shellQuote(JSON.stringify(withStream(body, stream), null, 2)));
  return parts.join(' ');
}

function withStream(body: unknown, stream: boolean): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  if (stream) delete copy.stream;
  else copy.stream = false;
  return copy;
}
