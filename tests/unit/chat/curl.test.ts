import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote, toCurl } from '../../../electron/main/core/chat/curl';

/** What a POSIX shell makes of a word: run it through sh and print the argument back. */
function shellEval(word: string): string {
  return execFileSync('/bin/sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8' });
}

describe('shellQuote', () => {
  it('round-trips any content through a real shell', () => {
    const samples = [
      "it's",
      "''",
      'line one\nline two',
      'tabs\tand $HOME and `date` and $(whoami) and \\ backslash',
      'ünïcödé ✓ 日本語 🎉',
      '"double" quotes; & | > < * ? [a] {b} ~ #',
      ''
    ];
    for (const sample of samples) expect(shellEval(shellQuote(sample))).toBe(sample);
  });

  it('leaves plainly safe words alone', () => {
    expect(shellQuote('http://127.0.0.1:11434/api/chat')).toBe('http://127.0.0.1:11434/api/chat');
  });
});

describe('toCurl', () => {
  const body = {
    model: 'llama3.2',
    messages: [{ role: 'user', content: "Don't stop\nbelievin' — ✓" }],
    stream: true
  };

  it('looks like the commands in Ollama docs and leaves streaming to the default', () => {
    const command = toCurl({ url: 'http://127.0.0.1:11434/api/chat', body, stream: true });
    expect(command.startsWith('curl http://127.0.0.1:11434/api/chat -d \'{\n  "model": "llama3.2",')).toBe(
      true
    );
    expect(command).not.toContain('"stream"');
    expect(command).not.toContain('-H');
  });

  it('adds "stream": false when asked and keeps the body otherwise intact', () => {
    const command = toCurl({ url: 'http://127.0.0.1:11434/api/chat', body, stream: false });
    const json = shellEval(command.slice(command.indexOf(' -d ') + 4));
    expect(JSON.parse(json)).toEqual({ ...body, stream: false });
  });

  it('adds credentials as -H only when passed', () => {
    const command = toCurl({
      url: 'http://127.0.0.1:11434/api/chat',
      body,
      stream: true,
      authHeaders: { Authorization: "Bearer tok'en" }
    });
    expect(command).toContain(` -H 'Authorization: Bearer tok'\\''en' -d `);
  });

  it('turns globbing off for an IPv6 host', () => {
    expect(toCurl({ url: 'http://[::1]:11434/api/chat', body, stream: true })).toMatch(
      /^curl --globoff 'http:\/\/\[::1\]:11434\/api\/chat' -d /
    );
  });
});
