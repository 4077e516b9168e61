/**
 * Words for a failed pull. An unknown name reaches us as MODEL_NOT_FOUND (Ollama answers 200, then an
 * error line); the generic words for that code speak of an installed model, which is wrong here.
 */
import type { AppErrorShape } from '@shared/errors';
import { errorWords, type ErrorWords } from '../../lib/error-words';

export function pullErrorWords(model: string, error: AppErrorShape): ErrorWords {
  if (error.code === 'MODEL_NOT_FOUND') {
    return {
      title: `No model called “${model}” was found in the registry.`,
      hint: 'Check the name and the tag, as listed on ollama.com/library (for example llama3.2:3b).'
    };
  }
  return errorWords(error);
}
