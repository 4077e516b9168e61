/**
 * The fetch every Ollama request goes through: undici's own fetch with an Agent whose header and body
 * timeouts are off (real-ollama.md D2). undici's defaults (300 s each) are shorter than our own limits
 * (firstByteMs 600 s, idleMs up to an hour), and a real server sends no header until the model is
 * loaded and the prompt evaluated, so a slow cold load failed as "could not reach the server" while
 * the model was still loading. Our RequestGuard is the one that decides; undici keeps only its 10 s
 * connect timeout for hosts that drop SYNs. undici's fetch is used with undici's Agent (not the
 * runtime's bundled copy of undici) so the two are always the same version.
 */
import { Agent, fetch as undiciFetch } from 'undici';

/** Off: 0 means "no limit" for both in undici. */
export const TRANSPORT_LIMITS = { headersTimeout: 0, bodyTimeout: 0 } as const;

const agent = new Agent(TRANSPORT_LIMITS);

export const ollamaFetch: typeof fetch = (input, init) =>
  undiciFetch(input as Parameters<typeof undiciFetch>[0], {
    ...(init as Parameters<typeof undiciFetch>[1]),
    dispatcher: agent
  }) as unknown as Promise<Response>;
