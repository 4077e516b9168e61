/**
 * "Check for updates": the decision flow over an Updater (electron-updater in the app, a fake in
 * tests). Off unless the user turns it on; when on it checks soon after start and every few hours;
 * a newer version is only announced, and downloaded only after the user says yes; once downloaded it
 * waits for the user's restart. Failures become a sentence for the user (update-error-words.ts).
 */
import type { UpdateState } from '@shared/updates';
import { AppError } from '@shared/errors';
import type { Clock } from '../ports';
import { updateErrorWords } from './update-error-words';

/** What the flow needs of electron-updater (updater-glue.ts adapts it). */
export interface Updater {
  /** Asks the release feed; the newer version found, or null when this one is the latest. */
  check(): Promise<{ version: string } | null>;
  /** Downloads the version the last check found, reporting percent done. */
  download(onProgress: (percent: number) => void): Promise<void>;
  /** Quits the app and installs the downloaded version. */
  quitAndInstall(): void;
}

/** A first automatic check waits for the app to settle; later ones follow this period. */
export const FIRST_CHECK_DELAY_MS = 30_000;
export const CHECK_PERIOD_MS = 6 * 60 * 60 * 1000;

export const UNAVAILABLE_MESSAGE =
  'This copy of Ollama Desk runs from source and cannot update itself. Installed copies can.';

export interface UpdateServiceDeps {
  /** null where the app cannot update itself (not packaged, the test harness). */
  updater: Updater | null;
  /** The "Check for updates" setting at start. */
  enabled: boolean;
  clock: Clock;
  onState(state: UpdateState): void;
  log(line: string): void;
}

export class UpdateService {
  #state: UpdateState;
  #enabled: boolean;
  #timer: { cancel(): void } | null = null;
  #checking: Promise<UpdateState> | null = null;

  constructor(private readonly deps: UpdateServiceDeps) {
    this.#enabled = deps.enabled;
    this.#state = this.#restingState();
    if (this.#enabled && deps.updater) this.#schedule(FIRST_CHECK_DELAY_MS);
  }

  state(): UpdateState {
    return this.#state;
  }

  /** The setting changed. Turning it on checks at once; off stops checking (a download the user
   *  asked for, or one that is ready, is kept). */
  setEnabled(enabled: boolean): void {
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    if (!enabled) {
      this.#cancelTimer();
      if (this.#state.phase !== 'downloading' && this.#state.phase !== 'ready') this.#set({ phase: 'off' });
      return;
    }
    if (!this.deps.updater) this.#set(this.#restingState());
    else void this.check();
  }

  /** Checks now ("Check now", or the schedule). A manual check asks again about a postponed version. */
  async check(opts: { automatic?: boolean } = {}): Promise<UpdateState> {
    const updater = this.#requireUpdater();
    const phase = this.#state.phase;
    if (!this.#enabled || phase === 'downloading' || phase === 'ready') return this.#state;
    this.#checking ??= this.#runCheck(updater, opts.automatic === true).finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  /** The user's yes: downloads the version on offer. */
  async download(): Promise<UpdateState> {
    const updater = this.#requireUpdater();
    const state = this.#state;
    const version =
      state.phase === 'available' || state.phase === 'postponed'
        ? state.version
        : state.phase === 'error' && state.retry === 'download'
          ? state.version
          : undefined;
    if (state.phase === 'downloading' || state.phase === 'ready') return state;
    if (!version)
      throw new AppError('NOT_FOUND', 'No update is waiting to be downloaded. Check for updates first.');
    this.#cancelTimer();
    this.#set({ phase: 'downloading', version, percent: 0 });
    try {
      await updater.download((percent) => {
        const rounded = Math.max(0, Math.min(100, Math.floor(percent)));
        if (this.#state.phase === 'downloading' && rounded !== this.#state.percent) {
          this.#set({ phase: 'downloading', version, percent: rounded });
        }
      });
      this.deps.log(`updates: ${version} downloaded`);
      this.#set({ phase: 'ready', version });
    } catch (error) {
      this.deps.log(`updates: download of ${version} failed: ${String(error)}`);
      this.#set({ phase: 'error', message: updateErrorWords(error, 'download'), retry: 'download', version });
      if (this.#enabled) this.#schedule(CHECK_PERIOD_MS);
    }
    return this.#state;
  }

  /** The user's "not now": the offer is set aside until a newer version or a manual check. */
  postpone(): UpdateState {
    if (this.#state.phase === 'available') this.#set({ phase: 'postponed', version: this.#state.version });
    return this.#state;
  }

  /** The user's "Restart now" once the update is ready. */
  install(): void {
    if (this.#state.phase !== 'ready')
      throw new AppError('NOT_FOUND', 'No downloaded update is ready to install.');
    this.#requireUpdater().quitAndInstall();
  }

  dispose(): void {
    this.#cancelTimer();
  }

  async #runCheck(updater: Updater, automatic: boolean): Promise<UpdateState> {
    this.#cancelTimer();
    const before = this.#state;
    this.#set({ phase: 'checking' });
    try {
      const found = await updater.check();
      if (!found) this.#set({ phase: 'current', checkedAt: this.deps.clock.now() });
      else if (automatic && before.phase === 'postponed' && before.version === found.version)
        this.#set(before);
      else this.#set({ phase: 'available', version: found.version });
    } catch (error) {
      this.deps.log(`updates: check failed: ${String(error)}`);
      this.#set({ phase: 'error', message: updateErrorWords(error, 'check'), retry: 'check' });
    }
    // Turned off while the check ran: say so instead of offering anything.
    if (!this.#enabled) this.#set({ phase: 'off' });
    else this.#schedule(CHECK_PERIOD_MS);
    return this.#state;
  }

  #restingState(): UpdateState {
    if (!this.#enabled) return { phase: 'off' };
    if (!this.deps.updater) return { phase: 'unavailable', message: UNAVAILABLE_MESSAGE };
    return { phase: 'idle' };
  }

  #requireUpdater(): Updater {
    if (!this.deps.updater) throw new AppError('NOT_FOUND', UNAVAILABLE_MESSAGE);
    return this.deps.updater;
  }

  #schedule(ms: number): void {
    this.#cancelTimer();
    this.#timer = this.deps.clock.setTimeout(() => {
      this.#timer = null;
      if (!this.#enabled) return;
      // An offer the user has not answered yet stays on screen: look again later.
      if (this.#state.phase === 'available') this.#schedule(CHECK_PERIOD_MS);
      else void this.check({ automatic: true });
    }, ms);
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  #set(state: UpdateState): void {
    this.#state = state;
    this.deps.onState(state);
  }
}
