/**
 * The core, wired: every service of the main process built from its ports, and the contract's
 * handler table over them. The Electron app and the test harness both call createCore(); only the
 * ports differ (electron-store vs conf, safeStorage vs a key file, IPC vs a WebSocket).
 */
import { join } from 'node:path';
import type { Emit, Handlers } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { AppInfo, Settings } from '@shared/domain';
import { systemClock, type Clock, type KeyValueStore } from './ports';
import type { StoreFactory } from './store/open-json-store';
import { openJsonStore } from './store/open-json-store';
import type { Encryptor } from './secrets/encrypted-file-secret-store';
import { chooseSecretStore } from './secrets/choose-secret-store';
import { openFallbackSecretStore, secretStorageStatus, userChoice } from './secrets/fallback-secret-store';
import { openProfilesStore } from './profiles/profiles-file';
import { ProfileService } from './profiles/profile-service';
import { testConnection } from './profiles/connection-test';
import { StatusTracker } from './profiles/status-tracker';
import { watchActiveServer } from './profiles/active-server-watch';
import { OllamaClient } from './ollama/client';
import { normalizeHost } from './ollama/host';
import { PresetService } from './presets/preset-service';
import { SettingsService } from './settings/settings-service';
import { ConversationStore } from './conversations/conversation-store';
import { conversationsUnreadable } from './conversations/unreadable-notice';
import { ChatEngine } from './chat/chat-engine';
import { LoadedModelsMonitor } from './models/loaded-monitor';
import { ServerActivity } from './models/server-activity';
import { sameModel } from '@shared/model-name';
import { ModelService } from './models/model-service';
import { buildTrayMenu, parseTrayItemId, type TrayMenuModel } from './tray-menu';
import { isExternalHttpUrl } from './external-url';
import { prepareImage } from './media/downscale-image';
import { UpdateService, type Updater } from './updates/update-service';
import { z } from 'zod';

export interface CoreDeps {
  /** The app's data directory (userData in Electron, a temp dir in tests). */
  dataDir: string;
  openStore: StoreFactory;
  /** Encrypts the fallback secrets file where no keychain answers. */
  encryptor: Encryptor;
  /** Loads keytar; tests may pass one that fails to exercise the fallback. */
  keytarLoader?: Parameters<typeof chooseSecretStore>[0]['keytarLoader'];
  env: { OLLAMA_HOST?: string };
  /** `packaged`: an installed build (absent = run from source, as in tests). */
  app: { version: string; shell: string; platform: string; packaged?: boolean };
  emit: Emit;
  openExternal(url: string): Promise<void>;
  log(line: string): void;
  clock?: Clock;
  /** electron-updater in the installed app; absent where the app cannot update itself. */
  updater?: Updater | null;
}

export interface Core {
  handlers: Handlers;
  tray: {
    model(): TrayMenuModel;
    /** Handles the clicks that belong to the core (unload, switch, refresh). */
    click(id: string): Promise<void>;
    onChange(callback: () => void): () => void;
  };
  settings(): Settings;
  windowState: KeyValueStore<{ bounds?: { x: number; y: number; width: number; height: number } }>;
  dispose(): Promise<void>;
}

const windowStateSchema = z.object({
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional()
});

export async function createCore(deps: CoreDeps): Promise<Core> {
  const clock = deps.clock ?? systemClock;
  const { emit, log } = deps;
  const settingsReset = (info: { path: string; movedTo: string | null }) =>
    emit('app:notice', {
      kind: 'settings-reset',
      message: `A settings file could not be read and was reset: ${info.path}${info.movedTo ? ` (the old file is kept as ${info.movedTo})` : ''}.`
    });
  // Notices raised before the window subscribes are kept and replayed on app:info.
  const earlyNotices: Parameters<typeof settingsReset>[0][] = [];
  const onCorrupt = (info: { path: string; movedTo: string | null }) => {
    earlyNotices.push(info);
    settingsReset(info);
  };

  const fallback = await openFallbackSecretStore(deps.dataDir, deps.encryptor);
  const secrets = await chooseSecretStore({
    keytarLoader: deps.keytarLoader,
    fallback,
    onFallback: (reason) => log(`secrets: using the encrypted file (${reason})`),
    onMoved: ({ moved, failed }) =>
      log(
        `secrets: moved ${moved.length} from the encrypted file into the keychain` +
          (failed.length > 0
            ? `; left in the file: ${failed.map((f) => `${f.account} (${f.reason})`).join(', ')}`
            : '')
      )
  });

  const profiles = ProfileService.create({
    store: openProfilesStore({ factory: deps.openStore, cwd: deps.dataDir, onCorrupt }),
    secrets,
    env: deps.env,
    log
  });
  const settings = SettingsService.create({
    factory: deps.openStore,
    cwd: deps.dataDir,
    platform: deps.app.platform,
    onCorrupt
  });
  const updates = new UpdateService({
    updater: deps.updater ?? null,
    enabled: settings.get().checkForUpdates,
    clock,
    onState: (state) => emit('updates:state', state),
    log
  });
  settings.onChange((next) => updates.setEnabled(next.checkForUpdates));
  const presets = PresetService.create({ factory: deps.openStore, cwd: deps.dataDir, onCorrupt });
  const windowState = openJsonStore({
    factory: deps.openStore,
    name: 'window-state',
    cwd: deps.dataDir,
    schema: windowStateSchema,
    defaults: {},
    version: 1
  });

  const clientFor = async (profileId: string) => {
    const profile = profiles.get(profileId);
    return new OllamaClient({
      baseUrl: profile.baseUrl,
      headers: await profiles.requestHeaders(profileId),
      timeouts: profiles.timeouts(profileId)
    });
  };
  const profileName = (id: string) => {
    try {
      return profiles.get(id).name;
    } catch {
      return undefined;
    }
  };

  const trayListeners = new Set<() => void>();
  const trayChanged = () => trayListeners.forEach((listener) => listener());

  const statuses = new StatusTracker({
    version: async (id) => (await clientFor(id)).version(),
    now: () => clock.now(),
    emit: (status) => emit('profiles:status', status)
  });
  // Our own requests per server and model: queued vs loading, what a busy server loads, titles that yield.
  const activity = new ServerActivity();
  const monitor = new LoadedModelsMonitor({
    profiles: () => profiles.list().profiles.map(({ id, name }) => ({ id, name })),
    clientFor,
    clock,
    activity,
    aliasesOf: (profileId, model) => models.aliasesOf(profileId, model),
    emit: (snapshot) => {
      statuses.onSnapshot(snapshot);
      emit('models:loaded', snapshot);
      trayChanged();
    }
  });
  const models = new ModelService({ clientFor, clock });

  const conversations = await ConversationStore.open(join(deps.dataDir, 'conversations'), {
    clock,
    profileName,
    onWriteError: (id, error) => log(`conversation ${id} could not be saved: ${String(error)}`)
  });
  for (const file of conversations.unreadable) {
    log(`conversations: ${file.file} could not be read (${file.reason}); kept as ${file.keptAs ?? 'is'}`);
  }
  // Told once, when the window first asks for app:info (nothing listens before that).
  const unreadableNotices = [conversationsUnreadable(conversations.dir, conversations.unreadable)].filter(
    (notice) => notice !== null
  );
  const chat = new ChatEngine({
    store: conversations,
    clientFor,
    profileName: (id) => profileName(id) ?? id,
    presetFor: (id) => (id ? presets.find(id) : undefined),
    emit: (event, payload) => emit(event, payload),
    onChatEnded: (profileId) => monitor.burst(profileId),
    onTitle: (summary) => emit('conversations:changed', summary),
    clock,
    activity,
    capabilities: {
      load: (profileId, model) => models.capabilities(profileId, model),
      known: (profileId, model) => models.knownCapabilities(profileId, model)
    },
    isLoaded: (profileId, model) =>
      monitor
        .snapshots()
        .some((s) => s.profileId === profileId && s.models.some((m) => sameModel(m.name, model)))
  });

  profiles.onChange((state) => {
    monitor.profilesChanged();
    statuses.retain(state.profiles.map((p) => p.id));
    emit('profiles:changed', state);
    trayChanged();
  });
  monitor.start();
  const stopActiveWatch = watchActiveServer({
    clock,
    activeId: () => profiles.list().activeId,
    isDown: (id) => monitor.snapshots().find((s) => s.profileId === id)?.state === 'unreachable',
    poke: (id) => monitor.burst(id)
  });
  // Countdowns ("unloads in 4 min") move with time, not with snapshots: re-render while a model is loaded.
  const countdown = setInterval(() => {
    if (monitor.snapshots().some((snapshot) => snapshot.models.length > 0)) trayChanged();
  }, 30_000);
  countdown.unref?.();

  const activeProfileId = (): string => {
    const { activeId, profiles: list } = profiles.list();
    const id = activeId ?? list[0]?.id;
    if (!id) throw new AppError('NOT_FOUND', 'Add a server first');
    return id;
  };

  const handlers: Handlers = {
    'app:info': async (): Promise<AppInfo> => {
      earlyNotices.splice(0).forEach(settingsReset);
      unreadableNotices.splice(0).forEach((notice) => emit('app:notice', notice));
      return {
        name: 'Ollama Desk',
        version: deps.app.version,
        platform: deps.app.platform,
        shell: deps.app.shell,
        packaged: deps.app.packaged ?? false,
        dataDir: deps.dataDir,
        secretBackend: secrets.location
      };
    },
    'app:openExternal': async ({ url }) => {
      if (!isExternalHttpUrl(url)) throw new AppError('INVALID_INPUT', 'Only http(s) links can be opened');
      await deps.openExternal(url);
    },

    'secrets:status': async () => secretStorageStatus(secrets),
    'secrets:keepForSession': async () => userChoice(secrets).keepForSession(),
    'secrets:usePassphrase': async ({ passphrase }) => {
      const status = await userChoice(secrets).usePassphrase(passphrase);
      emit('profiles:changed', profiles.list());
      return status;
    },

    'settings:get': async () => settings.get(),
    'settings:set': async (patch) => settings.set(patch),

    'updates:state': async () => updates.state(),
    'updates:check': async () => updates.check(),
    'updates:download': async () => updates.download(),
    'updates:postpone': async () => updates.postpone(),
    'updates:install': async () => updates.install(),

    'profiles:list': async () => profiles.list(),
    'profiles:save': async (input) => profiles.save(input),
    'profiles:delete': async ({ id }) => profiles.delete(id),
    'profiles:reorder': async ({ ids }) => profiles.reorder(ids),
    'profiles:setActive': async ({ id }) => profiles.setActive(id),
    'profiles:normalizeHost': async ({ host }) => ({ baseUrl: normalizeHost(host) }),
    'profiles:test': async (input) => {
      const target =
        'host' in input
          ? await profiles.resolveDraft(input)
          : { baseUrl: profiles.get(input.id).baseUrl, headers: await profiles.requestHeaders(input.id) };
      const timeouts = 'host' in input || !input.id ? undefined : profiles.timeouts(input.id);
      const client = new OllamaClient({ ...target, ...(timeouts ? { timeouts } : {}) });
      const report = await testConnection({ baseUrl: target.baseUrl, client });
      if ('id' in input && input.id && !('host' in input)) void statuses.measure(input.id);
      return report;
    },
    'profiles:statuses': async () => statuses.all(),

    'presets:list': async () => presets.list(),
    'presets:save': async (input) => presets.save(input),
    'presets:delete': async ({ id }) => presets.delete(id),
    'presets:duplicate': async ({ id }) => presets.duplicate(id),
    'presets:restoreBuiltIns': async () => presets.restoreBuiltIns(),
    'presets:import': async ({ text }) => presets.importText(text),
    'presets:export': async ({ ids }) => presets.exportText(ids),

    'conversations:list': async (input) => conversations.list(input?.query),
    'conversations:get': async ({ id }) => conversations.get(id),
    'conversations:create': async (input) => {
      const profileId = input?.profileId ?? activeProfileId();
      const profile = profiles.get(profileId);
      const presetId = input?.presetId ?? profile.defaults.presetId;
      const preset = presetId ? presets.find(presetId) : undefined;
      return conversations.create({
        profileId,
        model: input?.model ?? preset?.model ?? profile.defaults.model ?? '',
        ...(presetId ? { presetId } : {}),
        ...(profile.defaults.keepAlive !== undefined ? { keepAlive: profile.defaults.keepAlive } : {}),
        jsonMode: false
      });
    },
    'conversations:rename': async ({ id, title }) => conversations.rename(id, title),
    'conversations:update': async ({ id, patch }) => conversations.update(id, patch),
    'conversations:delete': async ({ id }) => {
      await chat.stop({ conversationId: id });
      await conversations.delete(id);
    },
    'conversations:chooseBranch': async ({ id, messageId }) => {
      // The reply being written is on the path shown: switching away would hide where it goes.
      if (chat.isStreaming(id))
        throw new AppError('BUSY', 'A reply is still being written in this conversation.');
      return conversations.chooseBranch(id, messageId);
    },
    'conversations:undoDelete': async () => conversations.undoDelete(),
    'conversations:export': async ({ ids, format }) => conversations.exportText(ids, format),
    'conversations:import': async ({ text }) => conversations.importText(text),

    'chat:send': async (input) =>
      chat.send(
        input.images ? { ...input, images: await Promise.all(input.images.map(prepareImage)) } : input
      ),
    'chat:stop': async (input) => chat.stop(input),
    'chat:regenerate': async (input) => chat.regenerate(input),
    'chat:continue': async (input) => chat.continue(input),
    'chat:edit': async (input) => chat.edit(input),
    'chat:curl': async (input) => {
      // Credentials of the server the request actually went to, not the conversation's current one.
      const profileId = chat.requestProfileId(input.conversationId, input.messageId);
      const headers = input.includeCredentials ? await profiles.requestHeaders(profileId) : undefined;
      return chat.curl(input, headers);
    },

    'models:list': async ({ profileId }) => models.list(profileId),
    'models:show': async ({ profileId, model }) => models.show(profileId, model),
    'models:loaded': async () => monitor.snapshots(),
    'models:refresh': async () => monitor.refresh(),
    'models:unload': async ({ profileId, model }) => monitor.unload(profileId, model),
    'models:unloadAll': async ({ profileId }) => monitor.unloadAll(profileId),
    'models:pull': async ({ profileId, model }) =>
      models.pull(profileId, model, (progress) => {
        emit('models:pull', progress);
        if (progress.state === 'success') monitor.burst(profileId);
      }),
    'models:cancelPull': async ({ pullId }) => models.cancelPull(pullId),
    'models:delete': async ({ profileId, model }) => models.delete(profileId, model)
  };

  const unloadFailed = (error: unknown) => {
    const shape =
      error instanceof AppError ? error.toShape() : { code: 'INTERNAL' as const, message: String(error) };
    emit('app:notice', { kind: 'unload-failed', message: shape.message, code: shape.code });
    trayChanged();
  };

  return {
    handlers,
    tray: {
      model: () => {
        const state = profiles.list();
        const snapshots = monitor.snapshots();
        return buildTrayMenu({
          profiles: state.profiles.map(({ id, name }) => ({ id, name })),
          activeId: state.activeId,
          snapshots,
          now: clock.now(),
          pendingUnloads: snapshots.flatMap((s) =>
            s.unloading.map((model) => ({ profileId: s.profileId, model }))
          )
        });
      },
      async click(id) {
        const action = parseTrayItemId(id);
        if (!action) return;
        try {
          if (action.kind === 'unload') await monitor.unload(action.profileId, action.model);
          else if (action.kind === 'unload-all') await monitor.unloadAll(action.profileId);
          else if (action.kind === 'switch') profiles.setActive(action.profileId);
          else if (action.kind === 'refresh') await monitor.refresh();
        } catch (error) {
          unloadFailed(error);
        }
      },
      onChange(callback) {
        trayListeners.add(callback);
        return () => trayListeners.delete(callback);
      }
    },
    settings: () => settings.get(),
    windowState,
    async dispose() {
      clearInterval(countdown);
      updates.dispose();
      stopActiveWatch();
      monitor.stop();
      await chat.stopAll();
      await conversations.flush();
    }
  };
}
