import { describe, expect, it } from 'vitest';
import { normalizeHost } from '../../../electron/main/core/ollama/host';
import { AppError } from '@shared/errors';

describe('normalizeHost (OLLAMA_HOST rules)', () => {
  const cases: [string, string][] = [
    ['', 'http://127.0.0.1:11434'],
    ['   ', 'http://127.0.0.1:11434'],
    ['1.2.3.4', 'http://1.2.3.4:11434'],
    ['  "1.2.3.4"  ', 'http://1.2.3.4:11434'],
    ["'1.2.3.4:5678'", 'http://1.2.3.4:5678'],
    ['localhost', 'http://localhost:11434'],
    ['box.local:8080', 'http://box.local:8080'],
    ['example.com:56789', 'http://example.com:56789'],
    ['http://example.com', 'http://example.com:80'],
    ['http://example.com:56789', 'http://example.com:56789'],
    ['https://example.com', 'https://example.com:443'],
    ['HTTPS://Example.COM', 'https://example.com:443'],
    ['https://box/ollama', 'https://box:443/ollama'],
    ['https://box/ollama/', 'https://box:443/ollama'],
    ['http://box:8080/a/b', 'http://box:8080/a/b'],
    ['192.168.1.5:11434/', 'http://192.168.1.5:11434'],
    ['ollama.com', 'https://ollama.com:443'],
    ['example.com:', 'http://example.com:11434'],
    ['example.com:+8080', 'http://example.com:8080'],
    ['box:1', 'http://box:1'],
    ['box:65535', 'http://box:65535'],
    ['https://box:8443/', 'https://box:8443'],
    [`${'a'.repeat(63)}.example.com`, `http://${'a'.repeat(63)}.example.com:11434`],
    [`${'abcdefghi.'.repeat(24)}example.com`, `http://${'abcdefghi.'.repeat(24)}example.com:11434`],
    ['box.local.', 'http://box.local.:11434'],
    ['[2001:db8::1]:8080', 'http://[2001:db8::1]:8080'],
    ['::1', 'http://[::1]:11434'],
    ['[::1]', 'http://[::1]:11434'],
    ['[::1]:1234', 'http://[::1]:1234'],
    ['0:0:0:0:0:0:0:1', 'http://[::1]:11434'],
    ['http://[::1]', 'http://[::1]:80'],
    ['fe80::1', 'http://[fe80::1]:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://127.0.0.1:8080'],
    ['[::]', 'http://[::1]:11434'],
    ['::', 'http://[::1]:11434'],
    ['[::]:8080', 'http://[::1]:8080'],
    [':1234', 'http://127.0.0.1:1234'],
    ['http://:1234', 'http://127.0.0.1:1234']
  ];
  it.each(cases)('%j → %s', (input, expected) => {
    expect(normalizeHost(input)).toBe(expected);
  });

  it('returns something fetch accepts and that keeps its port meaning', () => {
    expect(new URL(normalizeHost('http://box')).port).toBe(''); // :80 is http's default
    expect(new URL(normalizeHost('box')).port).toBe('11434');
  });

  const rejected: [string, RegExp][] = [
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['http://', /no host/],
    ['https://', /no host/],
    ['user:pass@example.com', /authentication fields/],
    ['http://user:pass@example.com:11434', /authentication fields/],
    ['my host', /spaces/],
    ['http://exa mple.com', /spaces/],
    ['example.com?x=1', /query/],
    ['[::1', /unclosed/],
    ['[::1]x', /after/],
    ['exa<mple', /not a valid host/],
    ['ftp:/example', /not a host/],
    ['example.com:0', /port "0" is not a number from 1 to 65535/],
    ['example.com:99999', /port "99999" is not a number from 1 to 65535/],
    ['example.com:-1', /port "-1"/],
    ['example.com:abc', /port "abc"/],
    ['https://example.com:99999', /port "99999"/],
    ['http://box:0/ollama', /port "0"/],
    ['[::1]:70000', /port "70000"/],
    ['javascript:alert(1)', /scheme "javascript:"/],
    ['JavaScript:alert(1)', /scheme/],
    ['data:text/html,hi', /scheme|not a host/],
    ['file:///etc/passwd', /scheme "file:\/\/"/],
    [`${'a'.repeat(64)}.example.com`, /at most 63/],
    [`${'abcdefghi.'.repeat(40)}com`, /403 characters long: at most 253/],
    [`http://${'x'.repeat(5000)}`, /5007 characters long: at most 2048/]
  ];
  it.each(rejected)('rejects %j with INVALID_HOST', (input, message) => {
    let caught: unknown;
    try {
      normalizeHost(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('INVALID_HOST');
    expect((caught as AppError).message).toMatch(message);
  });

  it('names the problem so the UI can title it ("That address is too long")', () => {
    const problem = (input: string) => {
      try {
        normalizeHost(input);
      } catch (e) {
        return (e as AppError).detail;
      }
      return undefined;
    };
    expect(problem('x'.repeat(5000))).toMatchObject({ hint: 'too-long', issue: /5000 characters/ });
    expect(problem('box:0')).toMatchObject({ hint: 'port' });
    expect(problem('javascript:alert(1)')).toMatchObject({ hint: 'scheme' });
    expect(problem(`${'a'.repeat(64)}.box`)).toMatchObject({ hint: 'name' });
    expect(problem('exa<mple')).toMatchObject({ hint: 'syntax' });
  });
});
