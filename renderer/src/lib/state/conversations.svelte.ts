/**
 * The sidebar's conversation list: newest first, optionally filtered by a search query that main runs
 * over titles and message text. Every call goes through main; this class only keeps what came back.
 * Search-as-you-type fires one call per keystroke and drops answers that a newer query overtook.
 */
import type { ConversationSummary, FileExport } from '@shared/domain';
import type { AppErrorShape, Result } from '@shared/errors';
import { tryCall } from '../api';

export type ExportFormat = 'markdown' | 'json';

function byNewest(a: ConversationSummary, b: ConversationSummary): number {
  return b.updatedAt - a.updatedAt;
}

export class ConversationsState {
  items = $state.raw<ConversationSummary[]>([]);
  query = $state('');
  /** True once the first list arrived (an empty list then means "none yet", not "loading"). */
  loaded = $state(false);
  error = $state.raw<AppErrorShape | null>(null);
  #seq = 0;

  get searching(): boolean {
    return this.query.trim() !== '';
  }

  async refresh(): Promise<void> {
    const seq = ++this.#seq;
    const query = this.query.trim();
    const result = await tryCall('conversations:list', query ? { query } : {});
    if (seq !== this.#seq) return;
    if (result.ok) {
      this.items = result.value;
      this.error = null;
    } else {
      this.error = result.error;
    }
    this.loaded = true;
  }

  search(query: string): Promise<void> {
    this.query = query;
    return this.refresh();
  }

  find(id: string): ConversationSummary | undefined {
    return this.items.find((item) => item.id === id);
  }

  /** A conversation changed elsewhere (a reply finished, a title was generated). */
  upsert(summary: ConversationSummary): void {
    // Whether it still matches a search is main's call: ask again.
    if (this.searching) {
      void this.refresh();
      return;
    }
    const rest = this.items.filter((item) => item.id !== summary.id);
    this.items = [...rest, summary].sort(byNewest);
  }

  async rename(id: string, title: string): Promise<Result<ConversationSummary>> {
    const result = await tryCall('conversations:rename', { id, title });
    if (result.ok) {
      this.items = this.items.map((item) => (item.id === id ? { ...item, title: result.value.title } : item));
    }
    return result;
  }

  async remove(id: string): Promise<Result<void>> {
    const result = await tryCall('conversations:delete', { id });
    if (result.ok) this.items = this.items.filter((item) => item.id !== id);
    return result;
  }

  async undoDelete(): Promise<Result<ConversationSummary | null>> {
    const result = await tryCall('conversations:undoDelete', {});
    if (result.ok) await this.refresh();
    return result;
  }

  /** One conversation, or all of them when `id` is absent. */
  exportFile(format: ExportFormat, id?: string): Promise<Result<FileExport>> {
    return tryCall('conversations:export', id ? { ids: [id], format } : { format });
  }

  async importText(text: string): Promise<Result<ConversationSummary[]>> {
    const result = await tryCall('conversations:import', { text });
    if (result.ok) await this.refresh();
    return result;
  }
}
