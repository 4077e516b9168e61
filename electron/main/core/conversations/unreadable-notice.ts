/**
 * The words for conversation files that could not be read at start: one notice for all of them,
 * naming the folder where each file was kept, so the user can look (or send it to us).
 */
import type { Notice } from '@shared/domain';
import type { UnreadableFile } from './conversation-store';

export function conversationsUnreadable(dir: string, files: readonly UnreadableFile[]): Notice | null {
  if (files.length === 0) return null;
  const kept = files.filter((f) => f.keptAs !== null);
  const names = kept.map((f) => f.keptAs).join(', ');
  const what =
    files.length === 1
      ? 'A conversation file could not be read'
      : `${files.length} conversation files could not be read`;
  const where =
    kept.length === 0
      ? `; ${files.length === 1 ? 'it is' : 'they are'} still in ${dir}`
      : kept.length === 1
        ? `. It was kept in ${dir} as ${names}`
        : `. They were kept in ${dir} as ${names}`;
  // An error's tone: the toast stays long enough to read the folder.
  return { kind: 'conversation-unreadable', code: 'INVALID_FILE', message: `${what}${where}.` };
}
