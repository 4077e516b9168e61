/** The standalone fake: one ready line, serves on 127.0.0.1, exits cleanly on SIGTERM. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

it('prints one ready line, answers, paces tokens and exits 0 on SIGTERM', async () => {
  const cli = resolve(import.meta.dirname, 'cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--pacing', '40'], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe']
  });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((ready, fail) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) ready();
      });
      child.once('exit', (code) => fail(new Error(`cli exited early with ${code}`)));
    });
    expect(out).toMatch(/^fake-ollama listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = out.trim().split(' ').at(-1) ?? '';
    expect(await (await fetch(url + '/')).text()).toBe('Ollama is running');
    const started = performance.now();
    const reply = await fetch(url + '/api/chat', {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false })
    });
    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThan(200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(out.trim().split('\n').length).toBe(1);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
