/**
 * OLLAMA_HOST parsing (ollama-api.md §8, envconfig `Host` + `ConnectableHost`).
 *
 * The result is always `scheme://host:port[/path]` with an explicit port (also :80 and :443) and no
 * trailing slash, so two spellings of the same server compare equal and the port is never implicit.
 * A path is kept (`https://box/ollama` → `https://box:443/ollama`); endpoint paths are appended to it.
 * Wildcard bind addresses become the loopback address you can actually connect to.
 */
import { AppError } from '@shared/errors';

const DEFAULT_HOST = '127.0.0.1';
const OLLAMA_PORT = 11434;

function invalid(message: string): never {
  throw new AppError('INVALID_HOST', message);
}

/** Go's strconv.ParseInt + range check: anything else falls back to the default port. */
function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || !/^\+?\d{1,10}$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 0 && n <= 65535 ? n : fallback;
}

/** Splits `host:port`, `[v6]:port`, `[v6]`, bare `v6` or `host` the way Go's fallback does. */
function splitHostPort(hostport: string): { host: string; port: string | undefined } {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) invalid(`"${hostport}" has an unclosed "[".`);
    const host = hostport.slice(1, close);
    const rest = hostport.slice(close + 1);
    if (rest === '') return { host, port: undefined };
    if (!rest.startsWith(':')) invalid(`Unexpected text after "]" in "${hostport}".`);
    return { host, port: rest.slice(1) };
  }
  const colons = hostport.split(':').length - 1;
  // More than one colon without brackets can only be a bare IPv6 address (Go: "too many colons").
  if (colons > 1) return { host: hostport, port: undefined };
  if (colons === 1) {
    const at = hostport.indexOf(':');
    return { host: hostport.slice(0, at), port: hostport.slice(at + 1) };
  }
  return { host: hostport, port: undefined };
}

/** Canonical host for a URL (IPv6 bracketed and compressed), or an INVALID_HOST error. */
function canonicalHost(host: string, original: string): string {
  const bracketed = host.includes(':') ? `[${host}]` : host;
  let hostname: string;
  try {
    hostname = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return invalid(`"${original}" is not a valid host name or IP address.`);
  }
  if (hostname === '0.0.0.0') return DEFAULT_HOST;
  if (hostname === '[::]') return '[::1]';
  return hostname;
}

export function normalizeHost(input: string): string {
  const trimmed = input
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .trim();
  if (trimmed === '') return `http://${DEFAULT_HOST}:${OLLAMA_PORT}`;
  if (/\s/.test(trimmed)) invalid(`The host "${trimmed}" contains spaces.`);

  let scheme = 'http';
  let defaultPort = OLLAMA_PORT;
  let rest = trimmed;
  const sep = trimmed.indexOf('://');
  if (sep >= 0) {
    scheme = trimmed.slice(0, sep).toLowerCase();
    rest = trimmed.slice(sep + 3);
    if (scheme === 'http') defaultPort = 80;
    else if (scheme === 'https') defaultPort = 443;
    else invalid(`Unsupported scheme "${scheme}://": use http:// or https://.`);
  } else if (trimmed.toLowerCase() === 'ollama.com') {
    return 'https://ollama.com:443';
  } else if (/^[a-z][a-z0-9+.-]*:\/(?!\/)/i.test(trimmed)) {
    // `ftp:/x`: a mistyped scheme, not a host:port.
    invalid(`"${trimmed}" is not a host: use host, host:port or http(s)://host:port.`);
  }

  const slash = rest.indexOf('/');
  const hostport = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = (slash >= 0 ? rest.slice(slash) : '').replace(/\/+$/, '');

  if (hostport.includes('@')) {
    invalid(
      "Credentials in the host (user:pass@) are not allowed: put them in the profile's authentication fields."
    );
  }
  if (/[?#\\]/.test(rest)) invalid(`The host "${trimmed}" contains a query, fragment or backslash.`);
  if (hostport === '' && sep >= 0) invalid(`"${trimmed}" has no host name.`);

  const { host, port } = splitHostPort(hostport);
  const portNumber = parsePort(port, defaultPort);
  // `:1234` means "the default host" (Go leaves it empty; connecting uses loopback).
  const hostname = host === '' ? DEFAULT_HOST : canonicalHost(host, trimmed);

  if (path !== '') {
    try {
      new URL(`${scheme}://${hostname}:${portNumber}${path}`);
    } catch {
      invalid(`The path in "${trimmed}" is not valid.`);
    }
  }
  return `${scheme}://${hostname}:${portNumber}${path}`;
}
