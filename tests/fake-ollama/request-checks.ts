/**
 * Validation that the real server does while decoding a request (Go's encoding/json, api.Options,
 * ThinkValue, format) and before routing (host check, CORS). Each returns the exact message.
 */
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import type { AuthRequirement } from './types';

// ---------- Go JSON decoding ----------

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number, object
}

type GoType = 'string' | 'bool' | 'int' | '[]string' | '[]int' | 'array' | 'object';

const GO_NAMES: Record<GoType, string> = {
  string: 'string',
  bool: 'bool',
  int: 'int',
  '[]string': '[]string',
  '[]int': '[]int',
  array: '[]api.Message',
  object: 'map[string]interface {}'
};

function fits(v: unknown, t: GoType): boolean {
  if (v === null || v === undefined) return true; // null leaves Go's zero value
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'number';
    case 'object':
      return typeof v === 'object' && !Array.isArray(v);
    default:
      return Array.isArray(v);
  }
}

/** Go's "cannot unmarshal" message for the first field of the wrong JSON kind, or null. */
export function checkFieldTypes(
  body: Record<string, unknown>,
  struct: string,
  fields: Record<string, GoType>,
  goNames: Partial<Record<string, string>> = {}
): string | null {
  for (const [field, t] of Object.entries(fields)) {
    const v = body[field];
    if (!fits(v, t)) {
      const goType = goNames[field] ?? GO_NAMES[t];
      return `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${struct}.${field} of type ${goType}`;
    }
  }
  return null;
}

/** Go's base64.StdEncoding check (as json decodes []byte): null when valid. */
export function base64Error(s: string): string | null {
  const err = (i: number): string => `illegal base64 data at input byte ${i}`;
  // Go skips \r and \n; offsets still count them.
  const chars: { c: string; i: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c !== '\r' && c !== '\n') chars.push({ c, i });
  }
  for (let q = 0; q < chars.length; q += 4) {
    const quantum = chars.slice(q, q + 4);
    for (let j = 0; j < quantum.length; j++) {
      const { c, i } = quantum[j] ?? { c: '', i: 0 };
      if (c === '=') {
        if (j < 2) return err(i);
        if (j === 2 && quantum[3]?.c !== '=') return err(i);
        const after = chars[q + 4];
        return after ? err(after.i) : null;
      }
      if (!/[A-Za-z0-9+/]/.test(c)) return err(i);
    }
    if (quantum.length < 4) return err(quantum[0]?.i ?? 0);
  }
  return null;
}

/** Every image must be a bare base64 string; returns the first decoder error. */
export function imagesError(images: unknown, struct: string): string | null {
  if (images === undefined || images === null) return null;
  if (!Array.isArray(images)) {
    return `json: cannot unmarshal ${jsonKind(images)} into Go struct field ${struct}.images of type []api.ImageData`;
  }
  for (const img of images) {
    if (typeof img !== 'string') {
      return `json: cannot unmarshal ${jsonKind(img)} into Go struct field ${struct}.images of type api.ImageData`;
    }
    const err = base64Error(img);
    if (err) return err;
  }
  return null;
}

// ---------- options (api/types.go Options.FromMap) ----------

const OPTION_KINDS: Record<string, 'integer' | 'float32' | 'boolean' | 'array'> = {
  num_keep: 'integer',
  seed: 'integer',
  num_predict: 'integer',
  top_k: 'integer',
  repeat_last_n: 'integer',
  num_ctx: 'integer',
  num_batch: 'integer',
  num_gpu: 'integer',
  main_gpu: 'integer',
  num_thread: 'integer',
  top_p: 'float32',
  min_p: 'float32',
  typical_p: 'float32',
  temperature: 'float32',
  repeat_penalty: 'float32',
  presence_penalty: 'float32',
  frequency_penalty: 'float32',
  use_mmap: 'boolean',
  stop: 'array'
};

/** A wrong-typed option is a 500 in Ollama; unknown keys are only logged. */
export function optionsError(options: Record<string, unknown> | undefined): string | null {
  if (!options) return null;
  for (const [key, val] of Object.entries(options)) {
    const kind = OPTION_KINDS[key];
    if (kind === undefined || val === null || val === undefined) continue;
    if ((kind === 'integer' || kind === 'float32') && typeof val !== 'number') {
      return `option "${key}" must be of type ${kind}`;
    }
    if (kind === 'boolean' && typeof val !== 'boolean') return `option "${key}" must be of type boolean`;
    if (kind === 'array') {
      if (!Array.isArray(val)) return `option "${key}" must be of type array`;
      if (val.some((x) => typeof x !== 'string')) return `option "${key}" must be of an array of strings`;
    }
  }
  return null;
}

// ---------- think and format ----------

export type ThinkParse = { ok: true; value: boolean | undefined } | { ok: false; error: string };

/** true/false, a level (counts as true), or unset. */
export function parseThink(raw: unknown): ThinkParse {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const levels = '"high", "medium", "low", "max", true, or false';
  if (typeof raw === 'string') {
    if (['low', 'medium', 'high', 'max'].includes(raw)) return { ok: true, value: true };
    return { ok: false, error: `invalid think value: ${JSON.stringify(raw)} (must be ${levels})` };
  }
  return { ok: false, error: `think must be a boolean or string (${levels})` };
}

export type FormatParse =
  | { ok: true; kind: 'none' }
  | { ok: true; kind: 'json' }
  | { ok: true; kind: 'schema'; schema: Record<string, unknown> }
  | { ok: false; error: string };

export function parseFormat(raw: unknown): FormatParse {
  if (raw === undefined || raw === null || raw === '') return { ok: true, kind: 'none' };
  if (raw === 'json') return { ok: true, kind: 'json' };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    return { ok: true, kind: 'schema', schema: raw as Record<string, unknown> };
  }
  return {
    ok: false,
    error: `invalid format: ${JSON.stringify(raw)}; expected "json" or a valid JSON Schema object`
  };
}

// ---------- host check and CORS (ollama-api.md §8) ----------

const ORIGIN_HOSTS = ['localhost', '127.0.0.1', '0.0.0.0'];
const ORIGIN_SCHEMES = ['app:', 'file:', 'tauri:', 'vscode-webview:', 'vscode-file:'];

/** OLLAMA_ORIGINS entries, where `*` matches anything (gin-contrib/cors AllowWildcard). */
function originListed(origin: string, extra: string[]): boolean {
  return extra.some((pattern) => {
    if (!pattern.includes('*')) return pattern === origin;
    const re = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(`^${re.join('.*')}$`).test(origin);
  });
}

export function originAllowed(origin: string, extra: string[]): boolean {
  if (originListed(origin, extra)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (ORIGIN_SCHEMES.includes(url.protocol)) return true;
  return (url.protocol === 'http:' || url.protocol === 'https:') && ORIGIN_HOSTS.includes(url.hostname);
}

/** Loopback, private or unspecified; link-local and 0/8 other than 0.0.0.0 are refused (D19). */
function privateOrLocalIp(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return (
      ip === '0.0.0.0' ||
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168)
    );
  }
  const v6 = ip.toLowerCase();
  return v6 === '::1' || v6 === '::' || /^f[cd]/.test(v6);
}

/** An address of one of this machine's interfaces. */
function ownAddress(ip: string): boolean {
  const want = ip.toLowerCase().replace(/%.*$/, '');
  return Object.values(networkInterfaces()).some((list) =>
    (list ?? []).some((a) => a.address.toLowerCase().replace(/%.*$/, '') === want)
  );
}

/** The loopback-bound server's allowedHostsMiddleware: foreign Host → 403. */
export function hostAllowed(hostHeader: string | undefined): boolean {
  if (!hostHeader) return true;
  let host = hostHeader.toLowerCase();
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  else if (host.includes(':')) host = host.slice(0, host.lastIndexOf(':'));
  if (isIP(host)) return privateOrLocalIp(host) || ownAddress(host);
  if (host === 'localhost' || host === hostname().toLowerCase()) return true;
  return ['.localhost', '.local', '.internal'].some((suffix) => host.endsWith(suffix));
}

// ---------- auth (a reverse proxy in front of Ollama) ----------

export function authOk(auth: AuthRequirement, headers: Record<string, string>): boolean {
  const authorization = headers['authorization'] ?? '';
  if (auth.bearer !== undefined && authorization !== `Bearer ${auth.bearer}`) return false;
  if (auth.basic !== undefined) {
    const want = Buffer.from(`${auth.basic.username}:${auth.basic.password}`, 'utf8').toString('base64');
    if (authorization !== `Basic ${want}`) return false;
  }
  if (auth.header !== undefined && headers[auth.header.name.toLowerCase()] !== auth.header.value)
    return false;
  return true;
}
