/** What a second fake server offers in the multi-server specs: one small model only it has. */
import type { FakeModel } from '../fake-ollama/server';

export const SECOND_SERVER_MODEL: FakeModel = {
  name: 'second-only:1b',
  family: 'llama',
  parameterSize: '1B',
  quantization: 'Q4_K_M',
  sizeBytes: 800_000_000,
  capabilities: ['completion'],
  contextLength: 4096
};
