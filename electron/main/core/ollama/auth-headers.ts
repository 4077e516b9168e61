/**
 * Per-profile auth as HTTP headers. WHATWG fetch refuses credentials in the URL, so Basic auth
 * must travel in an Authorization header.
 */
export type ResolvedAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'headers'; headers: { name: string; value: string }[] };

export function authHeaders(auth: ResolvedAuth): Record<string, string> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'bearer':
      return auth.token === '' ? {} : { Authorization: `Bearer ${auth.token}` };
    case 'basic': {
      const raw = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
      return { Authorization: `Basic ${raw}` };
    }
    case 'headers': {
      const out: Record<string, string> = {};
      for (const { name, value } of auth.headers) out[name] = value;
      return out;
    }
  }
}
