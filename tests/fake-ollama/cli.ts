/**
 * Runs the fake Ollama server standalone so a person can try the app without a real Ollama:
 *   npx tsx tests/fake-ollama/cli.ts [--port 11434] [--pacing 30] [--cold-load 0]
 * `--port 0` picks a free port. Prints one line when ready; SIGINT/SIGTERM close it cleanly.
 */
import { createFakeOllama } from './server';

function flag(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  const raw = inline !== undefined ? inline.slice(name.length + 3) : i >= 0 ? args[i + 1] : undefined;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fake-ollama: --${name} needs a whole number, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

const port = flag('port', 11434);
const pacingMs = flag('pacing', 30);
const coldLoadMs = flag('cold-load', 0);

try {
  const fake = await createFakeOllama({ port, host: '127.0.0.1', pullChunkMs: 150 });
  fake.setScenario({ pacingMs, ...(coldLoadMs > 0 ? { firstByteDelayMs: coldLoadMs } : {}) });
  process.stdout.write(`fake-ollama listening on ${fake.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`fake-ollama: ${(e as Error).message}\n`);
  process.exit(1);
}
