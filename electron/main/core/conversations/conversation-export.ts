/**
 * Renders conversations as an export file: JSON (re-importable, every branch) or Markdown (a readable
 * transcript of the path shown). Nothing secret is in a conversation (request bodies never hold
 * headers), so both are safe to share.
 */
import type { Conversation, FileExport, Message } from '@shared/domain';
import { EXPORT_APP, EXPORT_KIND, EXPORT_VERSION, type ConversationRecord } from './conversation-schema';

export type ProfileNamer = (profileId: string) => string | undefined;

export function exportJson(conversations: ConversationRecord[], now: number): FileExport {
  const file = {
    app: EXPORT_APP,
    kind: EXPORT_KIND,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    conversations
  };
  return {
    filename: `${baseName(conversations, now)}.json`,
    mime: 'application/json',
    text: JSON.stringify(file, null, 2) + '\n'
  };
}

export function exportMarkdown(
  conversations: Conversation[],
  now: number,
  profileName: ProfileNamer
): FileExport {
  const text = conversations.map((c) => conversationMarkdown(c, profileName)).join('\n\n---\n\n');
  return {
    filename: `${baseName(conversations, now)}.md`,
    mime: 'text/markdown',
    text: text + '\n'
  };
}

function conversationMarkdown(conv: Conversation, profileName: ProfileNamer): string {
  const serverOf = (profileId: string | undefined, fallback?: string): string =>
    (profileId !== undefined ? profileName(profileId) : undefined) ?? fallback ?? profileId ?? 'unknown';
  const lastAssistant = [...conv.messages].reverse().find((m) => m.role === 'assistant');
  const lines: string[] = [
    `# ${oneLine(conv.title)}`,
    '',
    `- Model: ${conv.model || 'none'}`,
    `- Server: ${serverOf(conv.profileId, lastAssistant?.profileName)}`,
    `- Created: ${new Date(conv.createdAt).toISOString()}`,
    `- Updated: ${new Date(conv.updatedAt).toISOString()}`
  ];
  if (conv.system !== undefined && conv.system !== '') {
    lines.push('', '## System', '', conv.system);
  }
  for (const message of conv.messages) {
    lines.push('', `## ${roleHeading(message, serverOf)}`, '');
    if (message.thinking) lines.push(quote(message.thinking), '');
    lines.push(message.content === '' ? '_(empty)_' : message.content);
    if (message.images && message.images.length > 0) {
      lines.push('', `_(${message.images.length} image${message.images.length > 1 ? 's' : ''} attached)_`);
    }
    const note = statusNote(message);
    if (note) lines.push('', `_(${note})_`);
  }
  return lines.join('\n');
}

function roleHeading(
  message: Message,
  serverOf: (id: string | undefined, fallback?: string) => string
): string {
  if (message.role === 'user') return 'User';
  if (message.role === 'system') return 'System';
  const where = [
    message.model,
    message.profileId ? serverOf(message.profileId, message.profileName) : undefined
  ]
    .filter((s): s is string => Boolean(s))
    .join(' on ');
  return where ? `Assistant (${where})` : 'Assistant';
}

function statusNote(message: Message): string | undefined {
  switch (message.status) {
    case 'stopped':
      return 'stopped';
    case 'broken':
      return 'the connection broke; the reply is incomplete';
    case 'error':
      return `error: ${message.error?.message ?? 'unknown'}`;
    case 'streaming':
      return 'incomplete';
    default:
      return undefined;
  }
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function baseName(conversations: { title: string }[], now: number): string {
  const only = conversations.length === 1 ? conversations[0] : undefined;
  if (only) {
    const slug = only.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
    if (slug !== '') return slug;
  }
  return `ollama-desk-conversations-${new Date(now).toISOString().slice(0, 10)}`;
}
