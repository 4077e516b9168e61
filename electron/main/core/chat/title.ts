/**
 * A conversation's title after its first reply: asked of the same server and model with a short
 * non-streaming /api/generate, cleaned up; the first words of the user's message when that fails.
 */
import type { Conversation, ModelOptions, Preset } from '@shared/domain';
import type { OllamaClient } from '../ollama/client';
import type { GenerateRequest } from '../ollama/wire';
import { mergedOptions } from './request-builder';

const MAX_TITLE_CHARS = 80;
const FALLBACK_WORDS = 6;
const FALLBACK_CHARS = 60;
const PROMPT_CHARS = 1500;

export function titlePrompt(firstUserText: string): string {
  const start =
    firstUserText.length > PROMPT_CHARS ? `${firstUserText.slice(0, PROMPT_CHARS)}…` : firstUserText;
  return (
    'Write a short title (max 6 words) for a conversation that starts with:\n\n' +
    `${start}\n\n` +
    'Reply with the title only, no quotes.'
  );
}

/**
 * The title request. It keeps the conversation's keep_alive and num_ctx so it neither reloads the
 * model with other runner options nor changes how long it stays loaded, and turns thinking off so a
 * thinking model answers at once (`think: false` is accepted by every model, ollama-api.md §4).
 */
export function titleRequest(
  conv: Conversation,
  preset: Preset | undefined,
  firstUserText: string
): GenerateRequest {
  const options: ModelOptions = { num_predict: 32 };
  const numCtx = mergedOptions(conv, preset)?.num_ctx;
  if (numCtx !== undefined) options.num_ctx = numCtx;
  const req: GenerateRequest = {
    model: conv.model,
    prompt: titlePrompt(firstUserText),
    think: false,
    options
  };
  const keepAlive = conv.keepAlive ?? preset?.keepAlive;
  if (keepAlive !== undefined) req.keep_alive = keepAlive;
  return req;
}

/** A model's answer made into a title; '' when nothing usable is left. */
export function cleanTitle(raw: string): string {
  const withoutThinking = raw.replace(/<think>[\s\S]*?<\/think>/gi, '');
  const line = withoutThinking.split('\n').find((l) => l.trim() !== '') ?? '';
  let title = withoutMarkdown(line)
    .replace(/^\s*title\s*:\s*/i, '')
    .trim();
  // Strip quotes, possibly nested ("'x'"), and what a sentence ends with.
  for (let i = 0; i < 3; i += 1) title = title.replace(/^["'“”‘’«»`]+|["'“”‘’«»`]+$/g, '').trim();
  title = title
    .replace(/[.。:;,]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncateWords(title, MAX_TITLE_CHARS);
}

/**
 * The line without markdown marks: a title is plain text in the list, and models often answer with
 * a heading, a bullet, bold words or `code`. Underscores and stars inside words (snake_case, 2*3)
 * stay.
 */
function withoutMarkdown(line: string): string {
  return line
    .replace(/^\s*(#+|[-*+]\s|>)\s*/, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?![\w_])/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s*(\*\*|__)\s*|\s*(\*\*|__)\s*$/g, '');
}

/** The first few words of the user's message. */
export function fallbackTitle(firstUserText: string): string {
  const words = firstUserText.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const head = words.slice(0, FALLBACK_WORDS).join(' ');
  const title = truncateWords(head, FALLBACK_CHARS);
  return words.length > FALLBACK_WORDS && !title.endsWith('…') ? `${title}…` : title;
}

function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Asks the server; any failure or an empty answer gives the fallback. Aborted through `signal` (the
 * user sent a message to the same model, which must not wait behind a title), it rejects instead, so
 * the caller can ask again later.
 */
export async function generateTitle(
  client: OllamaClient,
  conv: Conversation,
  preset: Preset | undefined,
  firstUserText: string,
  signal?: AbortSignal
): Promise<string> {
  try {
    const reply = await client.generateOnce(
      titleRequest(conv, preset, firstUserText),
      signal ? { signal } : {}
    );
    const title = cleanTitle(typeof reply.response === 'string' ? reply.response : '');
    if (title !== '') return title;
  } catch (error) {
    if (signal?.aborted) throw error;
    // The fallback below is good enough: a title is not worth an error message.
  }
  return fallbackTitle(firstUserText);
}
