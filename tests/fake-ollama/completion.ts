/**
 * POST /api/chat and /api/generate: validation in the real server's order, load/unload replies,
 * then a reply planned from the scenario and streamed (or sent whole) with Ollama's metrics.
 */
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { goJson } from './go-format';
import { parseKeepAlive } from './keep-alive';
import { fullName, isCloudName, isValidName } from './models';
import {
  checkFieldTypes,
  imagesError,
  optionsError,
  parseFormat,
  parseThink,
  type FormatParse
} from './request-checks';
import type { Conn } from './reply-writer';
import { JSON_TYPE, ReplyWriter } from './reply-writer';
import type { RunnerTable } from './runners';
import { sampleForSchema } from './schema-sample';
import type { FakeModel, FakeOllamaOptions, FakeToolCall, Scenario } from './types';

export interface CompletionDeps {
  lookup(name: string): FakeModel | undefined;
  runners: RunnerTable;
  /** The scenario the next reply would use; `take` consumes a queued one. */
  scenario(take: boolean): Scenario;
  options: FakeOllamaOptions;
  numCtx(model: FakeModel, requested: unknown): number;
  createdAt(): string;
}

type Kind = 'chat' | 'generate';

interface Plan {
  thinking: string[];
  content: string[];
  toolCalls: FakeToolCall[];
  doneReason: 'stop' | 'length';
  promptTokens: number;
  /** Tokens evaluated anew (the rest came from the runner's prompt cache). */
  promptEvalTokens: number;
}

/** Word-ish tokens whose concatenation is exactly the text. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

function lastUserText(body: Record<string, unknown>, kind: Kind): string {
  if (kind === 'generate') return typeof body['prompt'] === 'string' ? body['prompt'] : '';
  const messages = Array.isArray(body['messages']) ? (body['messages'] as Record<string, unknown>[]) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && String(m['role']).toLowerCase() === 'user')
      return typeof m['content'] === 'string' ? m['content'] : '';
  }
  return '';
}

export function defaultReply(text: string): string {
  return `You said: ${text} This is a reply from fake-ollama.`;
}

function promptTokenCount(body: Record<string, unknown>, kind: Kind): number {
  let chars = 0;
  let parts = 0;
  if (kind === 'chat') {
    for (const m of (body['messages'] as Record<string, unknown>[] | undefined) ?? []) {
      chars += typeof m['content'] === 'string' ? m['content'].length : 0;
      parts++;
    }
  } else {
    for (const k of ['prompt', 'system', 'suffix']) {
      const v = body[k];
      if (typeof v === 'string') chars += v.length;
    }
    parts = 1;
  }
  // Roughly 4 characters a token plus the template's tokens per message.
  return Math.ceil(chars / 4) + 4 * parts + 6;
}

function planReply(
  body: Record<string, unknown>,
  kind: Kind,
  sc: Scenario,
  thinkOn: boolean,
  format: FormatParse
): Plan {
  const text = lastUserText(body, kind);
  let reply = sc.reply;
  if (reply === undefined && format.ok && format.kind === 'json')
    reply = goJson({ reply: defaultReply(text) });
  if (reply === undefined && format.ok && format.kind === 'schema')
    reply = goJson(sampleForSchema(format.schema));
  reply ??= defaultReply(text);
  let content = sc.tokens ? [...sc.tokens] : splitTokens(reply);
  let thinking = thinkOn
    ? splitTokens(sc.thinking ?? `The user wrote "${text}". I will answer briefly.`)
    : [];
  const hasTools = Array.isArray(body['tools']) && body['tools'].length > 0;
  const toolCalls = kind === 'chat' && hasTools ? (sc.toolCalls ?? []) : [];
  let doneReason = sc.doneReason ?? 'stop';
  const options = (body['options'] ?? {}) as Record<string, unknown>;
  const limit = typeof options['num_predict'] === 'number' ? options['num_predict'] : -1;
  if (limit >= 0 && thinking.length + content.length > limit) {
    thinking = thinking.slice(0, limit);
    content = content.slice(0, Math.max(0, limit - thinking.length));
    doneReason = 'length';
  }
  const promptTokens = promptTokenCount(body, kind);
  return { thinking, content, toolCalls, doneReason, promptTokens, promptEvalTokens: promptTokens };
}

/** Deterministic token ids for generate's `context`. */
function contextIds(seed: string, count: number): number[] {
  const ids: number[] = [];
  let h = createHash('sha256').update(seed).digest();
  for (let i = 0; i < count; i++) {
    if (i % 8 === 0 && i > 0) h = createHash('sha256').update(h).digest();
    ids.push((h.readUInt32BE((i % 8) * 4) % 150_000) + 1);
  }
  return ids;
}

function callId(seed: string, i: number): string {
  return 'call_' + createHash('sha256').update(`${seed}:${i}`).digest('hex').slice(0, 8);
}

function validate(body: Record<string, unknown>, kind: Kind): string | null {
  if (kind === 'chat') {
    const err = checkFieldTypes(
      body,
      'ChatRequest',
      { model: 'string', messages: 'array', stream: 'bool', tools: 'array', options: 'object' },
      { tools: 'api.Tools' }
    );
    if (err) return err;
    for (const m of (body['messages'] as unknown[] | undefined) ?? []) {
      if (m === null || typeof m !== 'object' || Array.isArray(m)) {
        return `json: cannot unmarshal ${Array.isArray(m) ? 'array' : typeof m} into Go struct field ChatRequest.messages of type api.Message`;
      }
      const msg = m as Record<string, unknown>;
      const fieldErr = checkFieldTypes(msg, 'ChatRequest.messages', { role: 'string', content: 'string' });
      if (fieldErr) return fieldErr;
      const imgErr = imagesError(msg['images'], 'ChatRequest.messages');
      if (imgErr) return imgErr;
    }
    return null;
  }
  const err = checkFieldTypes(body, 'GenerateRequest', {
    model: 'string',
    prompt: 'string',
    suffix: 'string',
    system: 'string',
    template: 'string',
    raw: 'bool',
    stream: 'bool',
    context: '[]int',
    options: 'object'
  });
  return err ?? imagesError(body['images'], 'GenerateRequest');
}

export async function handleCompletion(
  kind: Kind,
  body: Record<string, unknown>,
  conn: Conn,
  deps: CompletionDeps,
  arrivedAt: number
): Promise<void> {
  let w = new ReplyWriter(conn);
  const fail = (status: number, error: string): Promise<void> => w.json(status, { error });

  const typeErr = validate(body, kind);
  if (typeErr) return fail(400, typeErr);
  const keepAlive = parseKeepAlive(body['keep_alive']);
  if (!keepAlive.ok) return fail(400, keepAlive.error);
  const think = parseThink(body['think']);
  if (!think.ok) return fail(400, think.error);

  const modelName = typeof body['model'] === 'string' ? body['model'] : '';
  if (modelName === '') {
    return kind === 'chat' ? fail(400, 'model is required') : fail(404, "model '' not found");
  }
  if (!isValidName(modelName)) return fail(400, 'invalid model name');
  // Cloud names are proxied to ollama.com; signed out, the proxy answers 401 with a sign-in link (D5).
  if (isCloudName(modelName) && !deps.options.cloudSignedIn) {
    return w.json(401, { error: 'unauthorized', signin_url: deps.options.cloudSigninUrl });
  }
  const model = deps.lookup(modelName);
  if (!model) return fail(404, `model '${modelName}' not found`);

  const isLoad =
    kind === 'chat'
      ? !Array.isArray(body['messages']) || body['messages'].length === 0
      : typeof body['prompt'] !== 'string' || body['prompt'] === '';
  const loadReply = (reason: 'load' | 'unload'): Record<string, unknown> =>
    kind === 'chat'
      ? {
          model: modelName,
          created_at: deps.createdAt(),
          message: { role: 'assistant', content: '' },
          done_reason: reason,
          done: true
        }
      : { model: modelName, created_at: deps.createdAt(), response: '', done: true, done_reason: reason };

  // Unload is answered before capabilities are checked, at once unless the model is loading (D1).
  if (isLoad && keepAlive.ms === 0) {
    if (!(await deps.runners.unload(model, conn))) return;
    return w.json(200, loadReply('unload'));
  }

  // Thinking is checked before completion, so an embedding model with think:true is told about thinking.
  const caps = model.capabilities;
  if (think.value === true && !caps.includes('thinking')) {
    return fail(400, `"${modelName}" does not support thinking`);
  }
  const tools = Array.isArray(body['tools']) ? body['tools'] : [];
  if (tools.length > 0 && !caps.includes('tools')) {
    return fail(400, `${fullName(model.name)} does not support tools`);
  }
  if (!caps.includes('completion')) return fail(400, `"${modelName}" does not support ${kind}`);
  const options = (body['options'] ?? undefined) as Record<string, unknown> | undefined;
  const optErr = optionsError(options);
  if (optErr) return fail(500, optErr);
  const numCtx = deps.numCtx(model, options?.['num_ctx']);
  const coldMs = model.loadMs ?? deps.options.loadMs;
  const scheduleStart = performance.now();

  if (isLoad) {
    const delay = deps.scenario(false).firstByteDelayMs ?? 0;
    const got = await deps.runners.acquire(model, keepAlive.ms, numCtx, conn, coldMs + delay);
    if (!got) return;
    deps.runners.release(got.runner);
    return w.json(200, loadReply('load'));
  }

  const format = parseFormat(body['format']);
  if (!format.ok) return fail(500, format.error);

  const sc = deps.scenario(true);
  w = new ReplyWriter(conn, sc.splitWritesAt, deps.options.splitGapMs);
  if (sc.httpError) {
    await conn.sleep(sc.firstByteDelayMs ?? 0);
    return w.json(sc.httpError.status, { error: sc.httpError.error });
  }

  const firstByteMs = sc.firstByteDelayMs ?? 0;
  const acquired = await deps.runners.acquire(model, keepAlive.ms, numCtx, conn, coldMs + firstByteMs);
  if (!acquired) return;
  const { runner } = acquired;
  // load_duration is the scheduling time, queue and load included, and never absent (D16).
  const loadNs = Math.max(1_000_000, Math.round((performance.now() - scheduleStart) * 1e6));
  try {
    if (!(await deps.runners.takeSlot(runner, conn))) return;
    try {
      // On a warm runner the delay is prompt evaluation (a cold one spent it loading).
      if (!acquired.loaded) await conn.sleep(firstByteMs);
      if (conn.aborted) return;
      const stream = body['stream'] !== false;
      // Errors from the runner before any output: their own status, JSON (no charset when streaming).
      const early = (status: number, error: string): Promise<void> =>
        w.json(status, { error }, stream ? 'application/json' : JSON_TYPE);
      const promptText = promptCacheText(body, kind);
      const promptTokens = promptTokenCount(body, kind);
      const shiftOff = body['shift'] === false || model.contextShift === false;
      if (shiftOff && body['truncate'] !== false && promptTokens > numCtx - 1) {
        return early(400, PROMPT_TOO_LONG);
      }
      if (format.kind === 'schema') {
        const rejected = sc.schemaError ?? schemaProblem(format.schema);
        if (rejected !== null) {
          return early(
            400,
            goJson({ error: { code: 400, message: rejected, type: 'invalid_request_error' } })
          );
        }
      }
      const thinkOn = caps.includes('thinking') && think.value !== false;
      const plan = planReply(body, kind, sc, thinkOn, format);
      const cached = Math.min(promptTokens - 1, Math.floor(commonPrefix(runner.cachedText, promptText) / 4));
      plan.promptEvalTokens = Math.max(1, promptTokens - Math.max(0, cached));
      runner.cachedText = promptText + plan.content.join('');
      await deliver(kind, body, modelName, plan, sc, conn, w, deps, { arrivedAt, loadNs, early });
    } finally {
      deps.runners.releaseSlot(runner);
    }
  } finally {
    deps.runners.release(runner);
  }
}

/** llama_server.go: a prompt past num_ctx with context shift off. */
export const PROMPT_TOO_LONG =
  'the prompt is longer than the context length currently available to the model; shorten the prompt, adjust the context length in settings, or use a model with a longer context length';

const SCHEMA_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];

/** What llama-server's schema-to-grammar converter refuses, roughly: a type it does not know. */
function schemaProblem(schema: Record<string, unknown>): string | null {
  let problem: string | null = null;
  const visit = (node: unknown): void => {
    if (problem !== null || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const rec = node as Record<string, unknown>;
    const t = rec['type'];
    const types = Array.isArray(t) ? t : t === undefined ? [] : [t];
    if (types.some((x) => typeof x !== 'string' || !SCHEMA_TYPES.includes(x))) {
      problem = `JSON schema conversion failed:\nUnrecognized schema: ${JSON.stringify(rec)}`;
      return;
    }
    Object.values(rec).forEach(visit);
  };
  visit(schema);
  return problem;
}

function promptCacheText(body: Record<string, unknown>, kind: Kind): string {
  if (kind === 'generate')
    return [body['system'], body['prompt']].filter((x) => typeof x === 'string').join('');
  const messages = Array.isArray(body['messages']) ? (body['messages'] as Record<string, unknown>[]) : [];
  return messages.map((m) => (typeof m['content'] === 'string' ? m['content'] : '')).join('');
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

async function deliver(
  kind: Kind,
  body: Record<string, unknown>,
  modelName: string,
  plan: Plan,
  sc: Scenario,
  conn: Conn,
  w: ReplyWriter,
  deps: CompletionDeps,
  timing: { arrivedAt: number; loadNs: number; early: (status: number, error: string) => Promise<void> }
): Promise<void> {
  const stream = body['stream'] !== false;
  const toolCalls = plan.toolCalls.map((c, i) => ({
    id: callId(modelName + JSON.stringify(body['messages'] ?? ''), i),
    function: { index: i, name: c.name, arguments: c.arguments }
  }));
  // Native mode collects tool calls and sends them in the done chunk (D10).
  const callsInDone = (sc.toolCallsIn ?? 'done') === 'done';
  type Piece = { thinking?: string; content?: string; toolCalls?: unknown[] };
  const pieces: Piece[] = [
    ...plan.thinking.map((t) => ({ thinking: t })),
    ...plan.content.map((c) => ({ content: c })),
    ...(toolCalls.length > 0 && !callsInDone ? [{ toolCalls }] : [])
  ];
  const chunk = (p: Piece): Record<string, unknown> => {
    if (kind === 'chat') {
      const message: Record<string, unknown> = { role: 'assistant', content: p.content ?? '' };
      if (p.thinking) message['thinking'] = p.thinking;
      if (p.toolCalls) message['tool_calls'] = p.toolCalls;
      return { model: modelName, created_at: deps.createdAt(), message, done: false };
    }
    const out: Record<string, unknown> = {
      model: modelName,
      created_at: deps.createdAt(),
      response: p.content ?? ''
    };
    if (p.thinking) out['thinking'] = p.thinking;
    out['done'] = false;
    return out;
  };

  const pacing = sc.pacingMs ?? 0;
  const stopAt = Math.min(
    sc.errorAfterChunks?.n ?? Infinity,
    sc.cutAfterChunks ?? Infinity,
    sc.endCleanlyAfterChunks ?? Infinity
  );
  // An error before any output is a status of its own, never a 200 and an error line (D14).
  if (sc.errorAfterChunks && (sc.errorAfterChunks.n <= 0 || pieces.length === 0)) {
    return timing.early(sc.errorAfterChunks.status ?? 500, sc.errorAfterChunks.message);
  }
  let sent = 0;
  for (const p of pieces) {
    if (conn.aborted) return;
    if (sent >= stopAt) break;
    if (sent > 0) await conn.sleep(sent === sc.pauseAfterChunks?.n ? sc.pauseAfterChunks.ms : pacing);
    if (stream) await w.line(chunk(p));
    sent++;
  }
  if (conn.aborted) return;
  // Fewer chunks than n: the error (or the cut) still ends the reply instead of done.
  if (sc.errorAfterChunks) {
    if (!stream) return w.json(500, { error: sc.errorAfterChunks.message });
    await w.line({ error: sc.errorAfterChunks.message });
    return w.endStream();
  }
  if (sc.cutAfterChunks !== undefined) return w.cut();
  if (sc.endCleanlyAfterChunks !== undefined && stream) return w.endStream();
  if (pieces.length > 0) await conn.sleep(pacing);
  if (conn.aborted) return;

  const evalCount = plan.thinking.length + plan.content.length + (toolCalls.length > 0 ? 8 : 0);
  const perToken = sc.evalDurationNsPerToken ?? (pacing > 0 ? pacing * 1_000_000 : 10_000_000);
  const promptEvalNs = plan.promptEvalTokens * 400_000;
  const evalNs = Math.round(evalCount * perToken);
  const measured = Math.round((performance.now() - timing.arrivedAt) * 1e6);
  const metrics: Record<string, number> = {
    total_duration: Math.max(measured, timing.loadNs + promptEvalNs + evalNs),
    load_duration: timing.loadNs,
    prompt_eval_count: plan.promptTokens,
    prompt_eval_duration: promptEvalNs,
    eval_count: evalCount,
    eval_duration: evalNs
  };
  for (const k of Object.keys(metrics)) if (metrics[k] === 0) delete metrics[k];

  let final: Record<string, unknown>;
  if (kind === 'chat') {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: stream ? '' : plan.content.join('')
    };
    if (!stream && plan.thinking.length > 0) message['thinking'] = plan.thinking.join('');
    if ((!stream || callsInDone) && toolCalls.length > 0) message['tool_calls'] = toolCalls;
    final = {
      model: modelName,
      created_at: deps.createdAt(),
      message,
      done_reason: plan.doneReason,
      done: true
    };
  } else {
    final = { model: modelName, created_at: deps.createdAt(), response: stream ? '' : plan.content.join('') };
    if (!stream && plan.thinking.length > 0) final['thinking'] = plan.thinking.join('');
    final['done'] = true;
    final['done_reason'] = plan.doneReason;
    if (body['raw'] !== true) {
      final['context'] = contextIds(modelName + lastUserText(body, kind), plan.promptTokens + evalCount);
    }
  }
  Object.assign(final, metrics);
  if (!stream) return w.json(200, final);
  await w.line(final);
  await w.endStream();
}
