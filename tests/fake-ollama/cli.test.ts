/** The standalone fake: one ready line, serves on 127.0.0.1, exits cleanly on SIGTERM, takes scheduler flags. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const cli = resolve(import.meta.dirname, 'cli.ts');

async function start(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; out: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', ...args], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: ['pipe', 'pipe', 'pipe']
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) ready();
    });
    child.once('exit', (code) => fail(new Error(`cli exited early with ${code}`)));
  });
  return { child, out: () => out };
}

const chatBody = (model: string): string =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream: false });

it('prints one ready line, answers, paces tokens and exits 0 on SIGTERM', async () => {
  const { child, out } = await start(['--pacing', '40']);
  try {
    expect(out()).toMatch(/^fake-ollama listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = out().trim().split(' ').at(-1) ?? '';
    expect(await (await fetch(url + '/')).text()).toBe('Ollama is running');
    const started = performance.now();
    const reply = await fetch(url + '/api/chat', { method: 'POST', body: chatBody('llama3.2') });
    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThan(200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(out().trim().split('\n').length).toBe(1);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it('takes the scheduler knobs as flags: a cold load, a signed-in cloud', async () => {
  const { child, out } = await start(['--pacing', '0', '--load-ms', '400', '--cloud-signed-in', '1']);
  try {
    const url = out().trim().split(' ').at(-1) ?? '';
    const started = performance.now();
    const cold = await fetch(url + '/api/chat', { method: 'POST', body: chatBody('llama3.2') });
    expect(cold.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    const cloud = await fetch(url + '/api/chat', { method: 'POST', body: chatBody('gpt-oss:120b-cloud') });
    // Signed in, the name is not refused with 401: this fake has no such model installed.
    expect(cloud.status).toBe(404);
  } finally {
    child.kill('SIGKILL');
  }
});
