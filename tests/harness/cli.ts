/**
 * `npm run harness -- --port <p> --data-dir <dir>`: the core + built renderer for Chromium tests.
 * Prints one line with its URL when ready; exits cleanly on SIGTERM and SIGINT.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'data-dir': { type: 'string' } }
});
const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'ollama-desk-harness-'));

const harness = await startHarness({
  port: Number(values.port),
  dataDir,
  token: process.env['HARNESS_TOKEN'] || undefined,
  basicTextSecrets: process.env['HARNESS_SECRETS'] === 'basic_text',
  env: { OLLAMA_HOST: process.env['OLLAMA_HOST'] },
  log: (line) => process.env['HARNESS_VERBOSE'] && console.error(`[harness] ${line}`)
});
console.log(`harness listening on ${harness.url}`);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void harness.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
