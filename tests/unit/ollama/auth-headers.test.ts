import { describe, expect, it } from 'vitest';
import { authHeaders } from '../../../electron/main/core/ollama/auth-headers';

describe('authHeaders', () => {
  it('none sends nothing', () => {
    expect(authHeaders({ kind: 'none' })).toEqual({});
  });
  it('bearer sends an Authorization header', () => {
    expect(authHeaders({ kind: 'bearer', token: 'tok-123' })).toEqual({ Authorization: 'Bearer tok-123' });
  });
  it('basic base64-encodes user:password as UTF-8', () => {
    const h = authHeaders({ kind: 'basic', username: 'ana', password: 'pä:ss' });
    expect(h.Authorization).toMatch(/^Basic /);
    const decoded = Buffer.from(h.Authorization!.slice(6), 'base64').toString('utf8');
    expect(decoded).toBe('ana:pä:ss');
  });
  it('custom headers are passed by name', () => {
    expect(
      authHeaders({
        kind: 'headers',
        headers: [
          { name: 'X-Api-Key', value: 'k' },
          { name: 'CF-Access-Client-Id', value: 'id' }
        ]
      })
    ).toEqual({ 'X-Api-Key': 'k', 'CF-Access-Client-Id': 'id' });
  });
});
