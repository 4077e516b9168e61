/**
 * The shell's state, shared with every view as the AppContext: saved servers and which one is active,
 * their reachability and loaded models (kept current by main's events), presets, settings, the
 * conversation list, the selected conversation, which overlay is open, and the toasts.
 */
import type { CallInput, CallName, CallOutput } from '@shared/contract';
import type {
  AppInfo,
  UiCommand,
  LoadedSnapshot,
  Notice,
  Preset,
  Profile,
  ProfilesState,
  ProfileStatus,
  Settings
} from '@shared/domain';
import type { AppErrorShape } from '@shared/errors';
import { tick } from 'svelte';
import { on, tryCall } from '../api';
import { errorWords } from '../error-words';
import type { AppContext, OpenChat } from './app-context';
import { ConversationsState } from './conversations.svelte';
import { chooseModel } from './model-choice';
import { drafts } from '../../components/conversation/drafts';

export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  tone: 'info' | 'error';
  title: string;
  detail?: string;
  action?: ToastAction;
}

export type Overlay =
  | { kind: 'servers'; profileId?: string; adding?: boolean }
  | { kind: 'settings' }
  | { kind: 'palette' }
  | { kind: 'presets' }
  | { kind: 'models'; profileId?: string }
  | { kind: 'loaded-models' }
  /** A chat with messages is open and another server was chosen: continue there or start anew? */
  | { kind: 'switch-chat'; profileId: string }
  | null;

/** How long a toast stays: long enough to read it and reach its button. */
const TOAST_MS = { info: 6_000, action: 10_000, error: 12_000 };
const CLOCK_TICK_MS = 30_000;
const HASH_PREFIX = '#c=';

export class AppState implements AppContext {
  profiles = $state.raw<Profile[]>([]);
  activeId = $state<string | null>(null);
  statuses = $state.raw<Record<string, ProfileStatus>>({});
  loaded = $state.raw<Record<string, LoadedSnapshot>>({});
  presets = $state.raw<Preset[]>([]);
  settings = $state.raw<Settings>({
    theme: 'system',
    closeToTray: false,
    checkForUpdates: false,
    serverSwitch: 'ask',
    lastModels: {}
  });
  info = $state.raw<AppInfo | null>(null);
  toasts = $state.raw<Toast[]>([]);
  selectedId = $state<string | null>(null);
  overlay = $state.raw<Overlay>(null);
  /** True once the first round of lists arrived. */
  ready = $state(false);
  /** Wall clock for relative times, ticking slowly. */
  now = $state(Date.now());
  creating = $state(false);
  /** The last new chat, which main keeps unlisted until its first message (issue 15). */
  private unsentChatId: string | null = null;
  /** The conversation on screen, once its view registered it (attachChat). */
  openChat = $state.raw<OpenChat | null>(null);

  readonly conversations = new ConversationsState();

  activeProfile = $derived(this.profiles.find((p) => p.id === this.activeId) ?? null);
  /** Some saved server answered its last check. */
  anyReachable = $derived(this.profiles.some((p) => this.statuses[p.id]?.state === 'reachable'));
  /** Some saved server has not been checked yet. */
  anyChecking = $derived(
    this.profiles.some((p) => (this.statuses[p.id]?.state ?? 'checking') === 'checking')
  );

  #toastSeq = 0;
  // Bookkeeping for auto-dismiss, never rendered: a plain Map on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #timers = new Map<number, ReturnType<typeof setTimeout>>();
  #cleanups: (() => void)[] = [];
  /** profiles:setActive calls on their way: their echoes are not switches made elsewhere. */
  #settingActive = 0;

  /** Subscribes to main's events, then loads everything once. Returns the teardown. */
  async start(): Promise<() => void> {
    this.#cleanups.push(
      on('profiles:status', (status) => this.#putStatus(status)),
      on('models:loaded', (snapshot) => {
        this.loaded = { ...this.loaded, [snapshot.profileId]: snapshot };
      }),
      on('profiles:changed', (state) => this.#profilesChanged(state)),
      on('conversations:changed', (summary) => this.conversations.upsert(summary)),
      on('app:notice', (notice) => this.notify(notice)),
      on('app:command', (command) => this.handleCommand(command))
    );
    const tick = setInterval(() => (this.now = Date.now()), CLOCK_TICK_MS);
    this.#cleanups.push(() => clearInterval(tick));

    await Promise.all([
      this.#load('profiles:list', (state) => this.#applyProfiles(state)),
      this.#load('profiles:statuses', (list) => list.forEach((status) => this.#putStatus(status))),
      this.#load('models:loaded', (list) => {
        // Events that arrived while we waited are newer than this answer.
        const merged = { ...this.loaded };
        for (const snapshot of list) merged[snapshot.profileId] ??= snapshot;
        this.loaded = merged;
      }),
      this.#load('presets:list', (list) => (this.presets = list)),
      this.#load('settings:get', (settings) => (this.settings = settings)),
      this.#load('app:info', (info) => (this.info = info)),
      this.conversations.refresh()
    ]);
    this.#restoreSelection();
    this.ready = true;
    return () => this.stop();
  }

  stop(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Loads one list that takes no input; a failure becomes a toast, the rest of the app still starts. */
  async #load<K extends CallName>(name: K, apply: (value: CallOutput<K>) => void): Promise<void> {
    const result = await tryCall(name, {} as CallInput<K>);
    if (result.ok) apply(result.value);
    else this.showError(result.error);
  }

  #applyProfiles(state: ProfilesState): void {
    this.profiles = state.profiles;
    this.activeId = state.activeId;
  }

  /**
   * Main's news. An active server changed elsewhere (the tray's "Switch server") is a choice like any
   * other: the open chat follows it or is offered the move; until then the chat's server stays current.
   */
  #profilesChanged(state: ProfilesState): void {
    const chatServer = this.openChat?.conversation?.profileId;
    const elsewhere =
      this.#settingActive === 0 && state.activeId !== null && state.activeId !== this.activeId;
    this.profiles = state.profiles;
    if (!elsewhere || !chatServer || !state.profiles.some((p) => p.id === chatServer)) {
      this.activeId = state.activeId;
      return;
    }
    void this.chooseServer(state.activeId!);
  }

  #putStatus(status: ProfileStatus): void {
    const current = this.statuses[status.profileId];
    if (current && current.checkedAt > status.checkedAt) return;
    this.statuses = { ...this.statuses, [status.profileId]: status };
  }

  // ---------- servers ----------

  profileName(id: string): string | undefined {
    return this.profiles.find((p) => p.id === id)?.name;
  }

  setProfiles(state: ProfilesState): void {
    this.#applyProfiles(state);
  }

  /** Makes a server the active one here and in main (the tray), without touching the open chat. */
  async switchTo(profileId: string): Promise<boolean> {
    const previous = this.activeId;
    this.activeId = profileId;
    this.#settingActive++;
    const result = await tryCall('profiles:setActive', { id: profileId });
    this.#settingActive--;
    if (result.ok) {
      // A later choice may have been made while this one travelled: the latest wins.
      if (this.activeId === profileId) this.#applyProfiles(result.value);
      return true;
    }
    if (this.activeId === profileId) this.activeId = previous;
    this.showError(result.error);
    return false;
  }

  /**
   * The user chose a server. No chat open: it becomes the active one. An empty chat moves there. A
   * chat with messages continues there or a new chat starts there, as remembered or as asked.
   */
  async chooseServer(profileId: string): Promise<void> {
    const chat = this.openChat;
    const current = chat?.conversation?.profileId;
    if (!chat || !current || current === profileId) {
      await this.switchTo(profileId);
      return;
    }
    if (chat.messages.length === 0 && !chat.streaming) {
      await this.moveChat(profileId);
      return;
    }
    const remembered = this.settings.serverSwitch;
    if (remembered === 'continue' && !chat.streaming) await this.moveChat(profileId);
    else if (remembered === 'new') await this.newChat(profileId);
    else this.overlay = { kind: 'switch-chat', profileId };
  }

  /** The answer to the switch offer; null when it was dismissed (the chat's server stays current). */
  async answerSwitch(profileId: string, answer: 'continue' | 'new' | null, remember: boolean): Promise<void> {
    this.closeOverlay();
    if (answer && remember) await this.changeSettings({ serverSwitch: answer });
    if (answer === 'continue') await this.moveChat(profileId);
    else if (answer === 'new') await this.newChat(profileId);
    else {
      // The tray may have moved main's active server already: put it back on the chat's.
      const current = this.openChat?.conversation?.profileId;
      if (current) await this.switchTo(current);
    }
  }

  /** Moves the open chat to another server; its history is sent there with the next message. */
  async moveChat(profileId: string): Promise<void> {
    const chat = this.openChat;
    const conversation = chat?.conversation;
    if (!chat || !conversation) return;
    const model = await this.modelFor(profileId, [conversation.model, ...this.modelCandidates(profileId)]);
    const result = await chat.update({ profileId, model });
    if (!result.ok) {
      this.showError(result.error, 'Could not move the chat');
      return;
    }
    await this.switchTo(profileId);
    this.refreshConversations();
  }

  /** The first of `candidates` the server has (and can chat with), else its first chat model. */
  async modelFor(profileId: string, candidates: (string | undefined)[]): Promise<string> {
    const models = await tryCall('models:list', { profileId });
    return chooseModel(candidates, models.ok ? models.value : null);
  }

  /** The open conversation's view registers itself; the sidebar's server is its server from then on. */
  attachChat(chat: OpenChat): () => void {
    this.openChat = chat;
    return () => {
      if (this.openChat === chat) this.openChat = null;
    };
  }

  /** The open chat's server changed (opened, moved): make it the current server everywhere. */
  followChat(profileId: string): void {
    if (profileId !== this.activeId && this.profiles.some((p) => p.id === profileId))
      void this.switchTo(profileId);
  }

  modelCandidates(profileId: string): (string | undefined)[] {
    return [
      this.settings.lastModels[profileId],
      this.profiles.find((p) => p.id === profileId)?.defaults.model
    ];
  }

  rememberModel(profileId: string, model: string): void {
    if (!model || this.settings.lastModels[profileId] === model) return;
    // Only servers that still exist: the map does not grow with deleted profiles.
    const kept = Object.fromEntries(
      Object.entries(this.settings.lastModels).filter(([id]) => this.profiles.some((p) => p.id === id))
    );
    void this.changeSettings({ lastModels: { ...kept, [profileId]: model } });
  }

  /**
   * Tests a saved server now and records the answer as its status. The last known state stays while
   * the test runs, so what the user reads (the help on the welcome panel) does not flicker away.
   */
  async testProfile(profileId: string) {
    const result = await tryCall('profiles:test', { id: profileId });
    const report = result.ok ? result.value : null;
    this.#putStatus({
      profileId,
      state: report?.ok ? 'reachable' : 'unreachable',
      version: report?.version,
      latencyMs: report?.latencyMs,
      error: report?.error ?? (result.ok ? undefined : result.error),
      checkedAt: Date.now()
    });
    return result;
  }

  // ---------- overlays ----------

  openServers(profileId?: string): void {
    this.overlay = profileId ? { kind: 'servers', profileId } : { kind: 'servers' };
  }

  addServer(): void {
    this.overlay = { kind: 'servers', adding: true };
  }

  openSettings(): void {
    this.overlay = { kind: 'settings' };
  }

  openPresets(): void {
    this.overlay = { kind: 'presets' };
  }

  openModels(profileId?: string): void {
    this.overlay = profileId ? { kind: 'models', profileId } : { kind: 'models' };
  }

  openLoadedModels(): void {
    this.overlay = { kind: 'loaded-models' };
  }

  openPalette(): void {
    this.overlay = { kind: 'palette' };
  }

  closeOverlay(): void {
    this.overlay = null;
  }

  handleCommand(command: UiCommand): void {
    if (command === 'new-chat') void this.newChat();
    else if (command === 'open-settings') this.openSettings();
    else if (command === 'open-servers') this.openServers();
    else if (command === 'focus-composer') this.focusComposer();
  }

  // ---------- conversations ----------

  select(id: string | null): void {
    this.selectedId = id;
    const hash = id ? `${HASH_PREFIX}${encodeURIComponent(id)}` : '';
    // The selection survives a reload of the page through the URL, not through storage.
    if (location.hash !== hash)
      history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }

  #restoreSelection(): void {
    if (!location.hash.startsWith(HASH_PREFIX)) return;
    const id = decodeURIComponent(location.hash.slice(HASH_PREFIX.length));
    this.select(this.conversations.find(id) ? id : null);
  }

  /**
   * Opens the last new chat again if it is unsent, on this server and holds a draft; false if not
   * (an empty one is simply replaced, so a new chat takes changed defaults).
   */
  private async reopenUnsentChat(profileId: string): Promise<boolean> {
    const id = this.unsentChatId;
    if (id === null || !drafts.get(id)?.trim() || this.conversations.find(id)) return false;
    const found = await tryCall('conversations:get', { id });
    if (!found.ok || found.value.messages.length > 0 || found.value.profileId !== profileId) {
      this.unsentChatId = null;
      return false;
    }
    this.conversations.query = '';
    this.select(id);
    await tick();
    this.focusComposer();
    return true;
  }

  /**
   * A conversation on a server (the current one unless told) with its default preset, and the preset's
   * model, else the server's default, else the one last used there, else its first chat model.
   */
  async newChat(profileId?: string): Promise<void> {
    if (this.creating) return;
    const profile = this.profiles.find((p) => p.id === (profileId ?? this.activeId)) ?? null;
    if (!profile) {
      this.addServer();
      return;
    }
    this.creating = true;
    try {
      // An unsent new chat on this server is opened again rather than doubled: it is not in the
      // list, so this is the way back to what the user typed there.
      if (await this.reopenUnsentChat(profile.id)) return;
      const presetId = profile.defaults.presetId;
      const preset = presetId === undefined ? undefined : this.presets.find((p) => p.id === presetId);
      const knownPreset = preset !== undefined;
      const model = await this.modelFor(profile.id, [
        preset?.model,
        profile.defaults.model,
        this.settings.lastModels[profile.id]
      ]);
      const result = await tryCall('conversations:create', {
        profileId: profile.id,
        ...(model ? { model } : {}),
        ...(knownPreset ? { presetId } : {})
      });
      if (!result.ok) {
        this.showError(result.error);
        return;
      }
      // A new chat must be visible: leave any search.
      this.conversations.query = '';
      await this.conversations.refresh();
      this.unsentChatId = result.value.id;
      this.select(result.value.id);
      // After the old conversation left the DOM, so its composer is not the one focused.
      await tick();
      this.focusComposer();
    } finally {
      this.creating = false;
    }
  }

  async deleteConversation(id: string): Promise<void> {
    const title = this.conversations.find(id)?.title ?? 'Conversation';
    const result = await this.conversations.remove(id);
    if (!result.ok) {
      this.showError(result.error);
      return;
    }
    if (this.selectedId === id) this.select(null);
    this.toast({
      tone: 'info',
      title: `Deleted “${title}”.`,
      action: {
        label: 'Undo',
        run: async () => {
          const undone = await this.conversations.undoDelete();
          if (!undone.ok) this.showError(undone.error);
          else if (undone.value) this.select(undone.value.id);
        }
      }
    });
  }

  /** Focuses the composer, waiting a few frames for a conversation that is still loading. */
  focusComposer(framesLeft = 60): void {
    const composer = document.querySelector<HTMLElement>(
      '#conversation textarea, #conversation [contenteditable="true"]'
    );
    if (composer) composer.focus();
    else if (framesLeft > 0) requestAnimationFrame(() => this.focusComposer(framesLeft - 1));
  }

  focusSearch(): void {
    const input = document.getElementById('conversation-search');
    if (input instanceof HTMLInputElement) {
      input.focus();
      input.select();
    }
  }

  refreshConversations(): void {
    void this.conversations.refresh();
  }

  refreshPresets(): void {
    void this.#load('presets:list', (list) => (this.presets = list));
  }

  // ---------- settings ----------

  async changeSettings(patch: Partial<Settings>): Promise<void> {
    const previous = this.settings;
    this.settings = { ...previous, ...patch };
    const result = await tryCall('settings:set', patch);
    if (result.ok) this.settings = result.value;
    else {
      this.settings = previous;
      this.showError(result.error);
    }
  }

  // ---------- toasts ----------

  notify(notice: Notice): void {
    const words = notice.code ? errorWords({ code: notice.code, message: notice.message }) : undefined;
    this.toast({
      tone: notice.code || notice.kind === 'unload-failed' ? 'error' : 'info',
      title: notice.message,
      detail: words?.hint
    });
  }

  showError(error: AppErrorShape, context?: string): void {
    const words = errorWords(error);
    const detail = [words.hint, error.detail?.serverError].filter(Boolean).join(' ');
    this.toast({
      tone: 'error',
      title: context ? `${context}: ${words.title}` : words.title,
      ...(detail ? { detail } : {})
    });
  }

  toast(toast: Omit<Toast, 'id'>): number {
    const id = ++this.#toastSeq;
    this.toasts = [...this.toasts, { ...toast, id }];
    const ms = toast.tone === 'error' ? TOAST_MS.error : toast.action ? TOAST_MS.action : TOAST_MS.info;
    this.#timers.set(
      id,
      setTimeout(() => this.dismiss(id), ms)
    );
    return id;
  }

  dismiss(id: number): void {
    const timer = this.#timers.get(id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(id);
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }
}
