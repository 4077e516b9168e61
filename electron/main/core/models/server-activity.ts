/**
 * What our own requests are doing on each server right now: which model each one asked for, and
 * whether its response headers came. A real Ollama serves one request per model at a time and sends no
 * header before its turn and the load are over (real-ollama.md D1, D3), so this is how the app tells
 * "queued behind our other request" from "loading", names the model a busy server is loading, and lets
 * the background title request step aside for the user's next message.
 */
import { sameModel } from '@shared/model-name';

export type ActivityKind = 'chat' | 'title';

export interface ActivityTicket {
  readonly profileId: string;
  readonly model: string;
  readonly kind: ActivityKind;
  /** Response headers arrived: the server is answering this one. */
  readonly responded: boolean;
  respond(): void;
  end(): void;
}

interface Ticket extends ActivityTicket {
  responded: boolean;
  seq: number;
  cancel: (() => void) | undefined;
}

export class ServerActivity {
  private readonly tickets = new Set<Ticket>();
  private readonly listeners = new Set<() => void>();
  private seq = 0;

  /** A request goes out. `cancel` lets a background request (the title) be called off. */
  begin(profileId: string, model: string, kind: ActivityKind, cancel?: () => void): ActivityTicket {
    const ticket: Ticket = {
      profileId,
      model,
      kind,
      responded: false,
      seq: ++this.seq,
      cancel,
      respond: () => {
        if (ticket.responded || !this.tickets.has(ticket)) return;
        ticket.responded = true;
        this.changed();
      },
      end: () => {
        if (this.tickets.delete(ticket)) this.changed();
      }
    };
    this.tickets.add(ticket);
    this.changed();
    return ticket;
  }

  /** Our requests to the same model on the same server that went out before this one and are not over. */
  ahead(ticket: ActivityTicket): ActivityTicket[] {
    const own = ticket as Ticket;
    return [...this.tickets].filter(
      (t) => t !== own && t.seq < own.seq && t.profileId === own.profileId && sameModel(t.model, own.model)
    );
  }

  /** Models our requests to this server are waiting on (no headers yet), first asked first. */
  awaiting(profileId: string): string[] {
    const out: string[] = [];
    for (const t of this.tickets) {
      if (t.profileId !== profileId || t.responded) continue;
      if (!out.some((m) => sameModel(m, t.model))) out.push(t.model);
    }
    return out;
  }

  /**
   * Calls off the background requests (titles) on this model: the server cancels a request whose
   * client hung up, so the user's message is served next instead of after a title.
   */
  cancelBackground(profileId: string, model: string): void {
    for (const t of this.tickets) {
      if (t.kind === 'chat' || t.profileId !== profileId || !sameModel(t.model, model)) continue;
      t.cancel?.();
    }
  }

  /** Whether a user's reply on this model is in flight (a title then waits its turn). */
  chatting(profileId: string, model: string): boolean {
    return [...this.tickets].some(
      (t) => t.kind === 'chat' && t.profileId === profileId && sameModel(t.model, model)
    );
  }

  /** Resolves once no user reply is in flight on this model (at once when none is). */
  whenNoChat(profileId: string, model: string): Promise<void> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        if (this.chatting(profileId, model)) return false;
        off?.();
        resolve();
        return true;
      };
      let off: (() => void) | undefined;
      if (!check()) off = this.onChange(check);
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's own failure must not stop a request.
      }
    }
  }
}
