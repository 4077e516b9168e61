/**
 * Cause → error code for the Ollama client (ollama-api.md §6). The UI turns codes and hint keys into
 * words; messages here are for logs and tooltips only.
 */
import { AppError } from '@shared/errors';

/** Short keys the UI may turn into advice. */
export type ErrorHint =
  | 'is-ollama-running'
  | 'check-host'
  | 'check-credentials'
  | 'sign-in'
  | 'origin-host'
  | 'not-ollama'
  | 'raise-timeout'
  | 'tls-certificate'
  | 'blocked-port';

export type TimeoutKind = 'first-byte' | 'idle' | 'meta';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/** Collects the `code`s and messages along an error's cause chain (undici nests them, sometimes in an AggregateError). */
function causes(err: unknown): { codes: string[]; messages: string[]; names: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  const names: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const rec = e as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof rec.code === 'string') codes.push(rec.code);
    if (typeof rec.message === 'string') messages.push(rec.message);
    if (typeof rec.name === 'string') names.push(rec.name);
    queue.push(rec.cause);
    if (Array.isArray(rec.errors)) queue.push(...rec.errors);
  }
  return { codes, messages, names };
}

/** A request that got no HTTP response at all (fetch rejected). */
export function fetchFailure(err: unknown, url: string): AppError {
  const { codes, messages, names } = causes(err);
  const why = messages[messages.length - 1] ?? String(err);
  if (codes.includes('ECONNREFUSED')) {
    return new AppError('CONNECTION_REFUSED', `Connection refused by ${url}.`, {
      url,
      hint: 'is-ollama-running'
    });
  }
  if (codes.some((c) => DNS_CODES.has(c))) {
    return new AppError('SERVER_UNREACHABLE', `The host name could not be resolved (${why}).`, {
      url,
      hint: 'check-host'
    });
  }
  if (codes.some((c) => c.startsWith('HPE_')) || names.includes('HTTPParserError')) {
    return new AppError('BAD_RESPONSE', `The server did not answer with HTTP (${why}).`, {
      url,
      hint: 'not-ollama'
    });
  }
  if (
    codes.some(
      (c) => c.startsWith('ERR_SSL') || c.includes('CERT') || c === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
    )
  ) {
    return new AppError('SERVER_UNREACHABLE', `TLS failed (${why}).`, { url, hint: 'tls-certificate' });
  }
  if (messages.includes('bad port')) {
    // The fetch standard blocks some ports outright (e.g. 6000, 10080), before any connection.
    return new AppError('INVALID_HOST', `fetch refuses to connect to this port: ${url}.`, {
      url,
      hint: 'blocked-port'
    });
  }
  // Reset, closed before a response, unreachable network, connect timeout, ...
  return new AppError('SERVER_UNREACHABLE', `Could not reach ${url} (${why}).`, {
    url,
    hint: 'is-ollama-running'
  });
}

/** Ollama's `{"error": "..."}` text, else a short piece of whatever the body was. */
export function serverErrorText(body: string): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed) {
      const e = (parsed as { error: unknown }).error;
      if (typeof e !== 'string') return JSON.stringify(e);
      return runnerError(e)?.message ?? e;
    }
  } catch {
    // Not JSON: a text/plain 404 page or a proxy's HTML.
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * llama-server's own error, which Ollama passes on raw as its `error` string (real-ollama.md D11):
 * `{"error":{"code":400,"message":"…","type":"invalid_request_error"}}`. Its message is what to show.
 */
function runnerError(text: string): { message: string; type?: string } | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const inner = (JSON.parse(text) as { error?: { message?: unknown; type?: unknown } }).error;
    if (typeof inner?.message !== 'string') return undefined;
    return typeof inner.type === 'string'
      ? { message: inner.message, type: inner.type }
      : { message: inner.message };
  } catch {
    return undefined;
  }
}

/** The `signin_url` of a cloud model's 401 (real-ollama.md D5), when it is an http(s) link. */
function signinUrlOf(body: string): string | undefined {
  try {
    const url = (JSON.parse(body) as { signin_url?: unknown }).signin_url;
    if (typeof url !== 'string') return undefined;
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** llama-server's words for a prompt past the context with context shift off (real-ollama.md D12). */
const PROMPT_TOO_LONG = /prompt is longer than the context length/i;

function isOllamaJsonError(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' && 'error' in parsed;
  } catch {
    return false;
  }
}

/**
 * A non-2xx status. `modelEndpoint` is true for calls that name a model (chat, generate, show, pull,
 * delete, load, unload): their 404 means the model is not installed, whatever the wording (older servers
 * said `model "x" not found, try pulling it first`). A plain-text 404 is a path the server does not
 * know (wrong base path, not Ollama), so it stays HTTP_ERROR.
 */
export function httpFailure(
  status: number,
  body: string,
  url: string,
  modelEndpoint: boolean,
  sentSchema = false
): AppError {
  const serverError = serverErrorText(body);
  const base = serverError === undefined ? { status, url } : { status, url, serverError };
  const said = serverError === undefined ? '' : `: ${serverError}`;
  const signinUrl = status === 401 ? signinUrlOf(body) : undefined;
  if (signinUrl !== undefined) {
    // Only cloud models get this 401; the profile's credentials are not the problem.
    return new AppError('SIGN_IN_REQUIRED', `The server must sign in to ollama.com for this model${said}`, {
      ...base,
      hint: 'sign-in',
      signinUrl
    });
  }
  if (status === 400 && serverError !== undefined && PROMPT_TOO_LONG.test(serverError)) {
    return new AppError('PROMPT_TOO_LONG', `The prompt is longer than the model's context${said}`, base);
  }
  if (status === 400 && sentSchema) {
    const raw = (() => {
      try {
        const e = (JSON.parse(body) as { error?: unknown }).error;
        return typeof e === 'string' ? runnerError(e) : undefined;
      } catch {
        return undefined;
      }
    })();
    if (raw !== undefined) {
      return new AppError('SCHEMA_REJECTED', `The server could not use the JSON schema${said}`, base);
    }
  }
  if (status === 401) {
    return new AppError('AUTH_REQUIRED', `The server asks for authentication (401)${said}`, {
      ...base,
      hint: 'check-credentials'
    });
  }
  if (status === 403 && body.trim() === '') {
    return new AppError('ORIGIN_OR_HOST_REFUSED', 'The server refused the request (403, empty body).', {
      ...base,
      hint: 'origin-host'
    });
  }
  if (status === 404 && modelEndpoint && isOllamaJsonError(body)) {
    return new AppError('MODEL_NOT_FOUND', `Model not found${said}`, base);
  }
  if (status === 404) {
    return new AppError('HTTP_ERROR', `HTTP 404${said}`, { ...base, hint: 'not-ollama' });
  }
  return new AppError('HTTP_ERROR', `HTTP ${status}${said}`, base);
}

export function abortedError(url: string): AppError {
  return new AppError('ABORTED', 'The request was stopped.', { url });
}

export function timeoutError(kind: TimeoutKind, ms: number, url: string): AppError {
  const what =
    kind === 'first-byte'
      ? 'for the first byte (a cold model load counts here)'
      : kind === 'idle'
        ? 'between two chunks'
        : 'for the reply';
  return new AppError('TIMEOUT', `No answer after ${ms} ms ${what}.`, {
    url,
    hint: kind === 'meta' ? 'is-ollama-running' : 'raise-timeout'
  });
}

export function streamBroken(url: string, why?: string): AppError {
  const reason = why === undefined ? '' : ` (${why})`;
  return new AppError('STREAM_BROKEN', `The reply ended before it was complete${reason}.`, { url });
}

export function badResponse(url: string, why: string): AppError {
  return new AppError('BAD_RESPONSE', why, { url, hint: 'not-ollama' });
}

/** Adds the URL to an error raised without it (e.g. by the NDJSON reader). */
export function withUrl(e: AppError, url: string): AppError {
  if (e.detail?.url !== undefined) return e;
  return new AppError(e.code, e.message, { ...e.detail, url });
}
