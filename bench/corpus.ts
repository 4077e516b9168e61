/**
 * Deterministic text for the benchmark: a long markdown reply (paragraphs, lists, tables, code blocks
 * in several languages) and a long conversation in the export format conversations:import accepts.
 */
import { splitTokens } from '../tests/fake-ollama/completion';

const WORDS = (
  'the model server stream token reply buffer render frame markdown block parser layout paint ' +
  'message window socket request latency budget queue thread worker cache index value result ' +
  'network client engine update change event listener compact sorted simple careful quick'
).split(' ');

/** A small LCG so every run streams the same text. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    let w = pick(rand, WORDS);
    const r = rand();
    if (r < 0.04) w = `**${w}**`;
    else if (r < 0.08) w = `\`${w}()\``;
    else if (r < 0.1) w = `*${w}*`;
    out.push(w);
  }
  const s = out.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

function paragraph(rand: () => number, sentences: number): string {
  return Array.from({ length: sentences }, () => sentence(rand, 6 + Math.floor(rand() * 10))).join(' ');
}

function tsBlock(rand: () => number, n: number): string {
  const name = pick(rand, WORDS);
  return [
    '```typescript',
    `export function ${name}Step${n}(input: readonly number[], limit = ${n}): number[] {`,
    '  const out: number[] = [];',
    '  for (const value of input) {',
    `    if (value > limit) out.push(value * ${n % 7}); // keep the ${pick(rand, WORDS)} ones`,
    `    else out.push(Math.max(0, value - ${n % 5}));`,
    '  }',
    `  return out.filter((v) => v !== ${n % 3}).sort((a, b) => a - b);`,
    '}',
    '```'
  ].join('\n');
}

function pyBlock(rand: () => number, n: number): string {
  const name = pick(rand, WORDS);
  return [
    '```python',
    `def ${name}_step_${n}(items, limit=${n}):`,
    `    """Return the ${pick(rand, WORDS)} items above the limit."""`,
    '    result = []',
    '    for item in items:',
    '        if item > limit:',
    `            result.append(item * ${n % 9})`,
    '    return sorted(result)',
    '```'
  ].join('\n');
}

function table(rand: () => number): string {
  const rows = ['| name | value | note |', '| --- | ---: | --- |'];
  for (let i = 0; i < 4; i++) {
    rows.push(
      `| ${pick(rand, WORDS)} | ${Math.floor(rand() * 1000)} | ${pick(rand, WORDS)} ${pick(rand, WORDS)} |`
    );
  }
  return rows.join('\n');
}

function section(rand: () => number, n: number): string {
  const parts = [`## Section ${n}: ${pick(rand, WORDS)} ${pick(rand, WORDS)}`, paragraph(rand, 4)];
  parts.push(Array.from({ length: 4 }, () => `- ${sentence(rand, 5)}`).join('\n'));
  parts.push(n % 2 === 0 ? tsBlock(rand, n) : pyBlock(rand, n));
  if (n % 3 === 0) parts.push(table(rand));
  parts.push(paragraph(rand, 2));
  return parts.join('\n\n');
}

/**
 * A markdown reply of exactly `count` stream chunks (word tokens, as the fake splits them): the first
 * chunk is `startMarker`, the last a paragraph holding `endMarker`.
 */
export function longMarkdownTokens(count: number, startMarker: string, endMarker: string): string[] {
  const rand = rng(20_000);
  const tokens: string[] = [startMarker, '\n\n'];
  const tail = splitTokens(`\n\nThat is all: ${endMarker}`);
  for (let n = 1; tokens.length + tail.length < count; n++) {
    const more = splitTokens(`${n > 1 ? '\n\n' : ''}${section(rand, n)}`);
    tokens.push(...more.slice(0, count - tail.length - tokens.length));
  }
  // A cut may have left a code fence open: close it so the end marker is prose.
  const text = tokens.join('');
  const fences = (text.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) {
    tokens.splice(tokens.length - 1, 1, '\n```');
  }
  return [...tokens, ...tail];
}

interface ExportMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  status?: 'done';
  profileId?: string;
  model?: string;
}

/**
 * An export file (the format conversations:import reads) with one conversation of `count` messages,
 * alternating user and assistant, about `bytes` of text in all; the first message holds firstMarker
 * and the last one lastMarker.
 */
export function longConversationExport(opts: {
  count: number;
  bytes: number;
  profileId: string;
  model: string;
  title: string;
  firstMarker: string;
  lastMarker: string;
}): { text: string; textBytes: number } {
  const rand = rng(2_000);
  const start = Date.UTC(2025, 0, 1);
  const perAssistant = Math.max(200, Math.floor((opts.bytes / opts.count) * 2 - 80));
  const messages: ExportMessage[] = [];
  let textBytes = 0;
  for (let i = 0; i < opts.count; i++) {
    const user = i % 2 === 0;
    let content: string;
    if (user) {
      content = `Question ${i / 2 + 1}: ${sentence(rand, 8)}`;
    } else {
      const parts: string[] = [];
      for (let n = 0; parts.join('\n\n').length < perAssistant; n++) {
        if (n % 3 === 1) parts.push(Array.from({ length: 3 }, () => `- ${sentence(rand, 6)}`).join('\n'));
        else if (n % 5 === 2) parts.push(i % 4 === 1 ? tsBlock(rand, i) : pyBlock(rand, i));
        else parts.push(paragraph(rand, 3));
      }
      content = parts.join('\n\n');
    }
    if (i === 0) content = `${opts.firstMarker} ${content}`;
    if (i === opts.count - 1) content = `${content}\n\nLast words: ${opts.lastMarker}`;
    textBytes += Buffer.byteLength(content, 'utf8');
    const message: ExportMessage = {
      id: `m${i}`,
      role: user ? 'user' : 'assistant',
      content,
      createdAt: start + i * 30_000
    };
    if (!user) Object.assign(message, { status: 'done', profileId: opts.profileId, model: opts.model });
    messages.push(message);
  }
  const conversation = {
    id: 'bench-long',
    title: opts.title,
    createdAt: start,
    updatedAt: start + opts.count * 30_000,
    profileId: opts.profileId,
    model: opts.model,
    jsonMode: false,
    messages
  };
  const file = { app: 'ollama-desk', kind: 'conversations', version: 1, conversations: [conversation] };
  return { text: JSON.stringify(file), textBytes };
}
