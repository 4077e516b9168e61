/**
 * Server profiles: the list, the active one, and their secrets. Secrets are write-only from the
 * UI's side: an omitted secret keeps what is stored, an empty one removes it. Only the
 * SecretStore ever holds a secret value; the profiles file records whether one exists.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  DEFAULT_TIMEOUTS,
  profileInputSchema,
  type AuthInput,
  type AuthSummary,
  type Profile,
  type ProfilesState,
  type SecretLocation,
  type Timeouts
} from '@shared/domain';
import { AppError } from '@shared/errors';
import type { KeyValueStore, SecretStore } from '../ports';
import { authHeaders, type ResolvedAuth } from '../ollama/auth-headers';
import { normalizeHost } from '../ollama/host';
import type { ProfilesFile, StoredAuth, StoredProfile } from './profiles-file';

export type ProfileSaveInput = z.output<typeof profileInputSchema>;

/** A profile being edited but not saved yet, as `profiles:test` receives it. */
export interface ProfileDraft {
  host: string;
  auth: AuthInput;
  /** When set, omitted secrets come from this saved profile. */
  id?: string;
}

export const FIRST_RUN_PROFILE_NAME = 'This computer';
export const DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

// Keychain account names: one per secret, all prefixed by the profile id.
const bearerAccount = (id: string): string => `${id}:bearer-token`;
const basicAccount = (id: string): string => `${id}:basic-password`;
const headerAccount = (id: string, name: string): string => `${id}:header:${name.toLowerCase()}`;

function accountsOf(id: string, auth: StoredAuth): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'bearer':
      return [bearerAccount(id)];
    case 'basic':
      return [basicAccount(id)];
    case 'headers':
      return auth.headers.map((h) => headerAccount(id, h.name));
  }
}

/**
 * The app reads one secret store, so a saved secret is where that store is now (after a move into
 * the keychain, the keychain), whatever the profile recorded when it was saved.
 */
function summarize(auth: StoredAuth, live: SecretLocation): AuthSummary {
  const at = (hasSecret: boolean): SecretLocation => (hasSecret ? live : 'none');
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return { kind: 'bearer', hasSecret: auth.hasSecret, secretLocation: at(auth.hasSecret) };
    case 'basic':
      return {
        kind: 'basic',
        username: auth.username,
        hasSecret: auth.hasSecret,
        secretLocation: at(auth.hasSecret)
      };
    case 'headers': {
      // One flag for the set: true only when every header has its value.
      const withSecret = auth.headers.find((h) => h.hasSecret);
      return {
        kind: 'headers',
        headerNames: auth.headers.map((h) => h.name),
        hasSecret: auth.headers.length > 0 && auth.headers.every((h) => h.hasSecret),
        secretLocation: at(withSecret !== undefined)
      };
    }
  }
}

function toProfile(p: StoredProfile, live: SecretLocation): Profile {
  return {
    id: p.id,
    name: p.name,
    host: p.host,
    baseUrl: p.baseUrl,
    auth: summarize(p.auth, live),
    defaults: structuredClone(p.defaults)
  };
}

/** What to do with one secret: keep it, write a new value, or remove it. */
type SecretChange = { kind: 'keep' } | { kind: 'set'; value: string } | { kind: 'remove' };

function secretChange(value: string | undefined): SecretChange {
  if (value === undefined) return { kind: 'keep' };
  return value === '' ? { kind: 'remove' } : { kind: 'set', value };
}

interface AuthPlan {
  auth: StoredAuth;
  writes: { account: string; value: string }[];
  removals: string[];
}

/** Works out the stored auth and the keychain writes a save needs, before touching anything. */
function planAuth(id: string, prev: StoredAuth, input: AuthInput, location: SecretLocation): AuthPlan {
  const writes: AuthPlan['writes'] = [];
  const keptAccounts = new Set<string>();
  // Applies one secret's change and says whether a secret exists afterwards, and where.
  const apply = (
    account: string,
    change: SecretChange,
    before: { hasSecret: boolean; secretLocation: SecretLocation } | undefined
  ): { hasSecret: boolean; secretLocation: SecretLocation } => {
    if (change.kind === 'set') {
      writes.push({ account, value: change.value });
      keptAccounts.add(account);
      return { hasSecret: true, secretLocation: location };
    }
    if (change.kind === 'keep' && before?.hasSecret) {
      keptAccounts.add(account);
      return { hasSecret: true, secretLocation: before.secretLocation };
    }
    return { hasSecret: false, secretLocation: 'none' };
  };

  let auth: StoredAuth;
  switch (input.kind) {
    case 'none':
      auth = { kind: 'none' };
      break;
    case 'bearer': {
      const before = prev.kind === 'bearer' ? prev : undefined;
      auth = { kind: 'bearer', ...apply(bearerAccount(id), secretChange(input.token?.trim()), before) };
      break;
    }
    case 'basic': {
      const before = prev.kind === 'basic' ? prev : undefined;
      auth = {
        kind: 'basic',
        username: input.username,
        ...apply(basicAccount(id), secretChange(input.password), before)
      };
      break;
    }
    case 'headers': {
      const seen = new Set<string>();
      const headers = input.headers.map((h) => {
        const lower = h.name.toLowerCase();
        if (seen.has(lower)) throw new AppError('INVALID_INPUT', `The header "${h.name}" is listed twice.`);
        seen.add(lower);
        const before =
          prev.kind === 'headers' ? prev.headers.find((p) => p.name.toLowerCase() === lower) : undefined;
        return { name: h.name, ...apply(headerAccount(id, h.name), secretChange(h.value?.trim()), before) };
      });
      auth = { kind: 'headers', headers };
      break;
    }
  }
  // Every secret the profile had and no longer keeps is removed: this covers an empty value,
  // a header dropped from the list and a change of auth kind.
  const removals = [...new Set([...accountsOf(id, prev), ...accountsOf(id, auth)])].filter(
    (account) => !keptAccounts.has(account)
  );
  return { auth, writes, removals };
}

export interface ProfileServiceDeps {
  store: KeyValueStore<ProfilesFile>;
  secrets: SecretStore;
  env: { OLLAMA_HOST?: string };
  /** Where failures that do not stop an operation are reported (a secret that would not delete). */
  log?: (message: string) => void;
}

export class ProfileService {
  private readonly listeners = new Set<(state: ProfilesState) => void>();
  /** Async changes run one at a time so a save never overwrites another's result. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: (message: string) => void;

  private constructor(private readonly deps: ProfileServiceDeps) {
    this.log = deps.log ?? ((message) => console.warn(`[profiles] ${message}`));
  }

  /** Opens the service; on first run it adds "This computer" from OLLAMA_HOST or the default. */
  static create(deps: ProfileServiceDeps): ProfileService {
    const service = new ProfileService(deps);
    service.seedAndRepair();
    return service;
  }

  list(): ProfilesState {
    const { profiles, activeId } = this.file();
    return { profiles: profiles.map((p) => toProfile(p, this.deps.secrets.location)), activeId };
  }

  get(id: string): Profile {
    return toProfile(this.stored(id), this.deps.secrets.location);
  }

  async save(raw: ProfileSaveInput): Promise<Profile> {
    const parsed = profileInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'INVALID_INPUT',
        `Invalid profile: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? ''}`
      );
    }
    const input = parsed.data;
    return this.serial(async () => {
      const existing = input.id === undefined ? undefined : this.stored(input.id);
      const id = existing?.id ?? randomUUID();
      const baseUrl = normalizeHost(input.host);
      const plan = planAuth(id, existing?.auth ?? { kind: 'none' }, input.auth, this.deps.secrets.location);

      // Secrets first: if the keychain refuses, the profile stays as it was.
      for (const { account, value } of plan.writes) await this.deps.secrets.set(account, value);
      for (const account of plan.removals) await this.deps.secrets.delete(account);

      const stored: StoredProfile = {
        id,
        name: input.name,
        host: input.host.trim(),
        baseUrl,
        auth: plan.auth,
        defaults: input.defaults
      };
      const file = this.file();
      const profiles = existing
        ? file.profiles.map((p) => (p.id === id ? stored : p))
        : [...file.profiles, stored];
      this.write({ ...file, profiles, activeId: file.activeId ?? id });
      return toProfile(stored, this.deps.secrets.location);
    });
  }

  delete(id: string): Promise<ProfilesState> {
    return this.serial(async () => {
      const target = this.stored(id);
      for (const account of accountsOf(id, target.auth)) {
        try {
          await this.deps.secrets.delete(account);
        } catch (error) {
          // The profile goes anyway: a keychain that stopped answering must not trap it.
          this.log(`could not delete secret ${account}: ${(error as Error).message}`);
        }
      }
      const file = this.file();
      const profiles = file.profiles.filter((p) => p.id !== id);
      const activeId = file.activeId === id ? (profiles[0]?.id ?? null) : file.activeId;
      this.write({ ...file, profiles, activeId });
      return this.list();
    });
  }

  /** Orders profiles by `ids`; profiles not named keep their relative order at the end. */
  reorder(ids: string[]): ProfilesState {
    const file = this.file();
    const byId = new Map(file.profiles.map((p) => [p.id, p]));
    if (new Set(ids).size !== ids.length)
      throw new AppError('INVALID_INPUT', 'The order lists a profile twice.');
    const ordered = ids.map((id) => {
      const p = byId.get(id);
      if (!p) throw new AppError('NOT_FOUND', `No profile with id ${id}.`);
      return p;
    });
    const rest = file.profiles.filter((p) => !ids.includes(p.id));
    this.write({ ...file, profiles: [...ordered, ...rest] });
    return this.list();
  }

  setActive(id: string): ProfilesState {
    this.stored(id);
    this.write({ ...this.file(), activeId: id });
    return this.list();
  }

  /** The profile's auth with its secrets, for building request headers. Never send to the renderer. */
  async resolvedAuth(id: string): Promise<ResolvedAuth> {
    return this.resolveStored(id, this.stored(id).auth);
  }

  async requestHeaders(id: string): Promise<Record<string, string>> {
    return authHeaders(await this.resolvedAuth(id));
  }

  /** Base URL and headers for an unsaved draft; omitted secrets come from the saved profile. */
  async resolveDraft(draft: ProfileDraft): Promise<{ baseUrl: string; headers: Record<string, string> }> {
    const baseUrl = normalizeHost(draft.host);
    const saved = draft.id === undefined ? undefined : this.file().profiles.find((p) => p.id === draft.id);
    const fromSaved = async (kind: StoredAuth['kind']): Promise<ResolvedAuth | undefined> =>
      saved && saved.auth.kind === kind ? this.resolveStored(saved.id, saved.auth) : undefined;

    const auth = draft.auth;
    let resolved: ResolvedAuth;
    switch (auth.kind) {
      case 'none':
        resolved = { kind: 'none' };
        break;
      case 'bearer': {
        const kept = await fromSaved('bearer');
        const token = auth.token?.trim() ?? (kept?.kind === 'bearer' ? kept.token : '');
        resolved = { kind: 'bearer', token };
        break;
      }
      case 'basic': {
        const kept = await fromSaved('basic');
        const password = auth.password ?? (kept?.kind === 'basic' ? kept.password : '');
        resolved = { kind: 'basic', username: auth.username, password };
        break;
      }
      case 'headers': {
        const kept = await fromSaved('headers');
        const keptHeaders = kept?.kind === 'headers' ? kept.headers : [];
        const headers = auth.headers
          .map((h) => ({
            name: h.name,
            value:
              h.value?.trim() ??
              keptHeaders.find((k) => k.name.toLowerCase() === h.name.toLowerCase())?.value ??
              ''
          }))
          .filter((h) => h.value !== '');
        resolved = { kind: 'headers', headers };
        break;
      }
    }
    return { baseUrl, headers: authHeaders(resolved) };
  }

  timeouts(id: string): Timeouts {
    return { ...DEFAULT_TIMEOUTS, ...this.stored(id).defaults.timeouts };
  }

  onChange(cb: (state: ProfilesState) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  // ---------- internals ----------

  private async resolveStored(id: string, auth: StoredAuth): Promise<ResolvedAuth> {
    const read = async (account: string, hasSecret: boolean): Promise<string> =>
      hasSecret ? ((await this.deps.secrets.get(account)) ?? '') : '';
    switch (auth.kind) {
      case 'none':
        return { kind: 'none' };
      case 'bearer':
        return { kind: 'bearer', token: await read(bearerAccount(id), auth.hasSecret) };
      case 'basic':
        return {
          kind: 'basic',
          username: auth.username,
          password: await read(basicAccount(id), auth.hasSecret)
        };
      case 'headers': {
        const headers: { name: string; value: string }[] = [];
        for (const h of auth.headers) {
          const value = await read(headerAccount(id, h.name), h.hasSecret);
          // A header without a value would be sent empty: leave it out.
          if (value !== '') headers.push({ name: h.name, value });
        }
        return { kind: 'headers', headers };
      }
    }
  }

  private seedAndRepair(): void {
    const file = this.file();
    let next = file;
    if (!file.seeded && file.profiles.length === 0) {
      next = { ...next, profiles: [this.firstRunProfile()] };
    }
    next = { ...next, seeded: true };
    if (!next.profiles.some((p) => p.id === next.activeId)) {
      next = { ...next, activeId: next.profiles[0]?.id ?? null };
    }
    if (JSON.stringify(next) !== JSON.stringify(file)) this.write(next, false);
  }

  private firstRunProfile(): StoredProfile {
    const fromEnv = this.deps.env.OLLAMA_HOST?.trim();
    let host = DEFAULT_BASE_URL;
    let baseUrl = DEFAULT_BASE_URL;
    if (fromEnv) {
      try {
        baseUrl = normalizeHost(fromEnv);
        host = fromEnv;
      } catch (error) {
        this.log(`ignoring OLLAMA_HOST=${fromEnv}: ${(error as Error).message}`);
      }
    }
    return {
      id: randomUUID(),
      name: FIRST_RUN_PROFILE_NAME,
      host,
      baseUrl,
      auth: { kind: 'none' },
      defaults: {}
    };
  }

  private file(): ProfilesFile {
    return {
      profiles: this.deps.store.get('profiles'),
      activeId: this.deps.store.get('activeId'),
      seeded: this.deps.store.get('seeded')
    };
  }

  private write(next: ProfilesFile, notify = true): void {
    const { store } = this.deps;
    // Each set rewrites the file: write only the keys that changed.
    if (JSON.stringify(store.get('profiles')) !== JSON.stringify(next.profiles))
      store.set('profiles', next.profiles);
    if (store.get('activeId') !== next.activeId) store.set('activeId', next.activeId);
    if (store.get('seeded') !== next.seeded) store.set('seeded', next.seeded);
    if (!notify) return;
    const state = this.list();
    for (const cb of this.listeners) {
      try {
        cb(state);
      } catch (error) {
        this.log(`a change listener failed: ${(error as Error).message}`);
      }
    }
  }

  private stored(id: string): StoredProfile {
    const found = this.file().profiles.find((p) => p.id === id);
    if (!found) throw new AppError('NOT_FOUND', `No profile with id ${id}.`);
    return found;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
