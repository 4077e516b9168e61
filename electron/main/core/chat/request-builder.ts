/**
 * Turns a conversation (its settings, its preset and its history) into the /api/chat body.
 *
 * Precedence: the conversation overrides the preset. keep_alive and think are sent only when someone
 * chose them (a keep_alive sticks to the loaded runner and would override the server's own default,
 * ollama-api.md §3; an unset think lets a thinking model think, §4). think goes only to a model that
 * thinks: a conversation moved to another model keeps its switch, and a server answers `think` to a
 * model without the capability with 400 "does not support thinking" (real-ollama.md).
 */
import type { Conversation, Format, Message, ModelOptions, Preset } from '@shared/domain';
import type { ChatRequest, WireMessage } from '../ollama/wire';

/** The system prompt: the conversation's own (even an empty one) wins over the preset's. */
export function systemPrompt(conv: Conversation, preset: Preset | undefined): string | undefined {
  const system = conv.system ?? preset?.system;
  return system === undefined || system === '' ? undefined : system;
}

export function mergedOptions(conv: Conversation, preset: Preset | undefined): ModelOptions | undefined {
  const merged: ModelOptions = { ...preset?.options, ...conv.options };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/**
 * The conversation's explicit format, else the preset's (a schema is a stricter JSON mode), else
 * "json" when JSON mode is on.
 */
export function effectiveFormat(conv: Conversation, preset: Preset | undefined): Format | undefined {
  return conv.format ?? preset?.format ?? (conv.jsonMode ? 'json' : undefined);
}

/** The history as the server sees it: contents and images; empty turns (a failed reply) are left out. */
export function wireHistory(messages: Message[]): WireMessage[] {
  const wire: WireMessage[] = [];
  for (const m of messages) {
    const hasImages = m.images !== undefined && m.images.length > 0;
    if (m.content === '' && !hasImages) continue;
    wire.push(
      hasImages
        ? { role: m.role, content: m.content, images: m.images }
        : { role: m.role, content: m.content }
    );
  }
  return wire;
}

/**
 * The exact body we send. `stream: true` is written out because the client sends it that way, so the
 * body stored on the message is byte for byte what went over the wire.
 */
export function buildChatRequest(
  conv: Conversation,
  preset: Preset | undefined,
  history: Message[],
  /** The model's capabilities when known; unknown sends think as chosen. */
  capabilities?: readonly string[]
): ChatRequest {
  const messages: WireMessage[] = [];
  const system = systemPrompt(conv, preset);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  messages.push(...wireHistory(history));

  const body: ChatRequest = { model: conv.model, messages };
  const format = effectiveFormat(conv, preset);
  if (format !== undefined) body.format = format;
  const options = mergedOptions(conv, preset);
  if (options !== undefined) body.options = options;
  if (conv.think !== undefined && (capabilities === undefined || capabilities.includes('thinking'))) {
    body.think = conv.think;
  }
  const keepAlive = conv.keepAlive ?? preset?.keepAlive;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  body.stream = true;
  return body;
}
