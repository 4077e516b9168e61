/**
 * OLLAMA_HOST parsing (ollama-api.md §8, envconfig `Host` + `ConnectableHost`).
 *
 * The result is always `scheme://host:port[/path]` with an explicit port (also :80 and :443) and no
 * trailing slash, so two spellings of the same server compare equal and the port is never implicit.
 * A path is kept (`https://box/ollama` → `https://box:443/ollama`); endpoint paths are appended to it.
 * Wildcard bind addresses become the loopback address you can actually connect to.
 */
import { MAX_ADDRESS_LENGTH, type HostProblem } from '@shared/domain';
import { AppError } from '@shared/errors';

const DEFAULT_HOST = '127.0.0.1';
const OLLAMA_PORT = 11434;
/** DNS limits (RFC 1035): a whole name and one label. */
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
/** Schemes people paste by mistake: named as a scheme rather than as a "port" after the colon. */
const OTHER_SCHEMES = /^(javascript|data|file|blob|about|vbscript|mailto|tel|ftp|ftps|ws|wss|ssh|smb)$/i;

/** `problem` says what is wrong in a word the UI maps (detail.hint); the message says it to a person. */
function invalid(message: string, problem: HostProblem = 'syntax'): never {
  throw new AppError('INVALID_HOST', message, { hint: problem, issue: message });
}

/**
 * Ollama (Go) silently replaces a port it cannot parse with the default one; a user who typed
 * `box:99999` meant something else, so anything but 1..65535 is refused. An empty port (`box:`) is
 * Go's "no port" and still means the default.
 */
function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\+?\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 65535)) invalid(`The port "${raw}" is not a number from 1 to 65535.`, 'port');
  return n;
}

/** A DNS name must fit DNS: 253 characters in all, 63 per label (IP addresses pass untouched). */
function checkNameLength(hostname: string): void {
  if (hostname.startsWith('[') || /^[\d.]+$/.test(hostname)) return;
  const name = hostname.replace(/\.$/, '');
  if (name.length > MAX_NAME_LENGTH)
    invalid(
      `The host name is ${name.length} characters long: at most ${MAX_NAME_LENGTH} are allowed.`,
      'name'
    );
  const long = name.split('.').find((label) => label.length > MAX_LABEL_LENGTH);
  if (long !== undefined)
    invalid(
      `The part "${long.slice(0, 20)}…" of the host name is ${long.length} characters long: at most ${MAX_LABEL_LENGTH} are allowed between two dots.`,
      'name'
    );
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
  if (input.length > MAX_ADDRESS_LENGTH)
    invalid(
      `The address is ${input.length} characters long: at most ${MAX_ADDRESS_LENGTH} are allowed.`,
      'too-long'
    );
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
    else invalid(`Unsupported scheme "${scheme}://": use http:// or https://.`, 'scheme');
  } else if (trimmed.toLowerCase() === 'ollama.com') {
    return 'https://ollama.com:443';
  } else if (/^[a-z][a-z0-9+.-]*:\/(?!\/)/i.test(trimmed)) {
    // `ftp:/x`: a mistyped scheme, not a host:port.
    invalid(`"${trimmed}" is not a host: use host, host:port or http(s)://host:port.`, 'scheme');
  } else {
    const prefix = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1];
    // `javascript:alert(1)` would otherwise read as the host "javascript" with a bad port.
    if (prefix && OTHER_SCHEMES.test(prefix))
      invalid(`Unsupported scheme "${prefix}:": use http:// or https://.`, 'scheme');
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
  checkNameLength(hostname);

  if (path !== '') {
    try {
      new URL(`${scheme}://${hostname}:${portNumber}${path}`);
    } catch {
      invalid(`The path in "${trimmed}" is not valid.`);
    }
  }
  return `${scheme}://${hostname}:${portNumber}${path}`;
}
