/**
 * Runs the fake Ollama server standalone so a person can try the app without a real Ollama:
 *   npx tsx tests/fake-ollama/cli.ts [--port 11434] [--pacing 30] [--cold-load 0] [scheduler flags]
 * Scheduler flags (see FakeOllamaOptions in types.ts; booleans are 0 or 1):
 *   --load-ms N  --num-parallel N  --max-loaded N  --vram-bytes N  --vram-recovery-ms N
 *   --unload-grace-ms N  --ps-blocks 0|1  --ps-blocks-stopping 0|1  --cloud-signed-in 0|1
 *   --tags-ready-after-ms N
 * `--port 0` picks a free port. Prints one line when ready; SIGINT/SIGTERM close it cleanly.
 */
import { createFakeOllama } from './server';
import type { CreateFakeOllamaOptions } from './types';

function flag(name: string): number | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  const raw = inline !== undefined ? inline.slice(name.length + 3) : i >= 0 ? args[i + 1] : undefined;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`fake-ollama: --${name} needs a whole number, got ${JSON.stringify(raw)}\n`);
    process.exit(2);
  }
  return n;
}

const NUMBER_FLAGS = {
  'load-ms': 'loadMs',
  'num-parallel': 'numParallel',
  'max-loaded': 'maxLoadedModels',
  'vram-bytes': 'vramBytes',
  'vram-recovery-ms': 'vramRecoveryMs',
  'unload-grace-ms': 'unloadGraceMs',
  'tags-ready-after-ms': 'tagsReadyAfterMs'
} as const;
const BOOLEAN_FLAGS = {
  'ps-blocks': 'psBlocksWhileLoading',
  'ps-blocks-stopping': 'psBlocksWhileStopping',
  'cloud-signed-in': 'cloudSignedIn'
} as const;

const port = flag('port') ?? 11434;
const pacingMs = flag('pacing') ?? 30;
const coldLoadMs = flag('cold-load') ?? 0;
const settings: CreateFakeOllamaOptions = { port, host: '127.0.0.1', pullChunkMs: 150 };
for (const [name, key] of Object.entries(NUMBER_FLAGS)) {
  const n = flag(name);
  if (n !== undefined) settings[key] = n;
}
for (const [name, key] of Object.entries(BOOLEAN_FLAGS)) {
  const n = flag(name);
  if (n !== undefined) settings[key] = n !== 0;
}

try {
  const fake = await createFakeOllama(settings);
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
