import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTrustedSender } from '../../../electron/main/core/sender-check';
import { resolveStaticFile } from '../../../electron/main/core/static-files';
import { isExternalHttpUrl } from '../../../electron/main/core/external-url';
import { contentSecurityPolicy } from '../../../shared/csp';
import { makeApi } from '../../../shared/make-api';
import { EVENT_NAMES } from '../../../shared/contract';

describe('sender check', () => {
  const ours = { webContentsId: 7, isMainFrame: true, frameUrl: 'app://ollama-desk/index.html' };
  it('accepts our window main frame on our origin', () => {
    expect(isTrustedSender(ours, 7, ['app://ollama-desk'])).toBe(true);
  });
  it('refuses another webContents, a sub-frame, a foreign origin, or no window', () => {
    expect(isTrustedSender({ ...ours, webContentsId: 8 }, 7, ['app://ollama-desk'])).toBe(false);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, 7, ['app://ollama-desk'])).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'https://evil.example/' }, 7, ['app://ollama-desk'])).toBe(
      false
    );
    expect(isTrustedSender({ ...ours, frameUrl: 'not a url' }, 7, ['app://ollama-desk'])).toBe(false);
    expect(isTrustedSender(ours, null, ['app://ollama-desk'])).toBe(false);
  });
});

describe('static files', () => {
  const root = mkdtempSync(join(tmpdir(), 'static-'));
  writeFileSync(join(root, 'index.html'), '<html></html>');
  it('maps / to index.html with an HTML type', () => {
    expect(resolveStaticFile(root, '/')).toEqual({
      file: join(root, 'index.html'),
      type: 'text/html; charset=utf-8'
    });
  });
  it('refuses paths that escape the root, encoded or not', () => {
    expect(resolveStaticFile(root, '/../../etc/passwd')).toBeNull();
    expect(resolveStaticFile(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStaticFile(root, '/a%00b')).toBeNull();
    expect(resolveStaticFile(root, '/%E0%A4%A')).toBeNull();
  });
});

describe('external links', () => {
  it('opens only http(s) links without credentials', () => {
    expect(isExternalHttpUrl('https://ollama.com/library')).toBe(true);
    expect(isExternalHttpUrl('http://192.0.2.1:11434/')).toBe(true);
    expect(isExternalHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isExternalHttpUrl('file:///etc/passwd')).toBe(false);
    expect(isExternalHttpUrl('https://user@evil.example/')).toBe(false);
    expect(isExternalHttpUrl('not a url')).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows no remote or inline script, no eval, and connects only to the app', () => {
    const policy = contentSecurityPolicy();
    const directives = Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d]));
    expect(directives['script-src']).toBe("script-src 'self'");
    expect(directives['connect-src']).toBe("connect-src 'self'");
    expect(directives['default-src']).toBe("default-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(directives['object-src']).toBe("object-src 'none'");
  });
  it('adds only the given connect sources', () => {
    expect(contentSecurityPolicy(['ws://127.0.0.1:5000'])).toContain(
      "connect-src 'self' ws://127.0.0.1:5000"
    );
  });
});

describe('makeApi', () => {
  it('routes calls and events through the transport and refuses unknown events', async () => {
    const invoked: unknown[] = [];
    const subscribed: string[] = [];
    const api = makeApi({
      invoke: async (name, input) => {
        invoked.push([name, input]);
        return { ok: true, value: 'v' };
      },
      subscribe: (event, listener) => {
        subscribed.push(event);
        listener({ hello: 1 });
        return () => subscribed.push(`off:${event}`);
      }
    });
    expect(await api.call('app:info', undefined)).toEqual({ ok: true, value: 'v' });
    expect(invoked).toEqual([['app:info', undefined]]);
    const seen: unknown[] = [];
    const off = api.on('chat:event', (payload) => seen.push(payload));
    off();
    expect(seen).toEqual([{ hello: 1 }]);
    expect(subscribed).toEqual(['chat:event', 'off:chat:event']);
    expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/);
    expect(Object.isFrozen(api)).toBe(true);
    expect(EVENT_NAMES.length).toBeGreaterThan(5);
  });
});
