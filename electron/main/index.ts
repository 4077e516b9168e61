/**
 * App lifecycle, kept thin: single instance, the app:// protocol, the core, IPC, the window, the
 * tray and the menu. All logic lives in core/ and runs under plain Node in tests.
 */
import type { BrowserWindow } from 'electron';
import { app, ipcMain, Menu, net, protocol, safeStorage, shell } from 'electron';
import ElectronStore from 'electron-store';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventChannel, type Emit } from '@shared/contract';
import { safeStorageEncryptor } from './core/secrets/os-encryption';
import { createCore, type Core } from './core/app-core';
import { resolveStaticFile } from './core/static-files';
import { APP_ORIGIN, createMainWindow, installCsp, rendererRoot } from './window';
import { registerIpc } from './ipc';
import { createTray } from './tray';
import { appMenuTemplate } from './menu';
import { electronUpdater } from './updater';

const log = (line: string) => console.log(`[ollama-desk] ${line}`);
const devUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const mainDir = import.meta.dirname;

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }
]);

let window: BrowserWindow | null = null;
let core: Core | null = null;
let quitting = false;

const emit: Emit = (event, payload) => {
  if (window && !window.isDestroyed()) window.webContents.send(eventChannel(event), payload);
};

function showWindow(): BrowserWindow {
  if (window && !window.isDestroyed()) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  }
  const state = core!.windowState;
  window = createMainWindow({
    preloadPath: join(mainDir, '../preload/index.cjs'),
    devUrl,
    bounds: state.get('bounds'),
    saveBounds: (bounds) => state.set('bounds', bounds),
    log
  });
  window.on('close', (event) => {
    if (!quitting && core!.settings().closeToTray) {
      event.preventDefault();
      window?.hide();
    }
  });
  window.on('closed', () => (window = null));
  return window;
}

async function start(): Promise<void> {
  const root = rendererRoot(mainDir);
  protocol.handle('app', (request) => {
    const target = resolveStaticFile(root, new URL(request.url).pathname);
    if (!target) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(target.file).toString());
  });
  installCsp(devUrl);

  core = await createCore({
    dataDir: app.getPath('userData'),
    openStore: (options) => new ElectronStore(options),
    encryptor: safeStorageEncryptor(safeStorage, process.platform),
    env: { OLLAMA_HOST: process.env['OLLAMA_HOST'] },
    app: {
      version: app.getVersion(),
      shell: `electron ${process.versions.electron}`,
      platform: process.platform,
      packaged: app.isPackaged
    },
    emit,
    openExternal: (url) => shell.openExternal(url),
    updater: app.isPackaged ? electronUpdater(log) : null,
    log
  });

  registerIpc(
    ipcMain,
    core.handlers,
    {
      windowWebContentsId: () => (window && !window.isDestroyed() ? window.webContents.id : null),
      appOrigins: devUrl ? [APP_ORIGIN, new URL(devUrl).origin] : [APP_ORIGIN]
    },
    log
  );

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(process.platform, (command) => {
        showWindow();
        emit('app:command', command);
      })
    )
  );

  createTray(join(mainDir, '../../resources'), {
    model: () => core!.tray.model(),
    onChange: (callback) => core!.tray.onChange(callback),
    click: (id) => {
      if (id === 'open') showWindow();
      else if (id === 'quit') app.quit();
      else if (id === 'new-chat') {
        showWindow();
        emit('app:command', 'new-chat');
      } else {
        // A switch may ask what to do with the open chat: the window must be there to answer.
        if (id.startsWith('switch:')) showWindow();
        void core!.tray.click(id);
      }
    }
  });

  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  app.on('before-quit', () => (quitting = true));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !core?.settings().closeToTray) app.quit();
  });
  app.on('will-quit', () => void core?.dispose());
  app.whenReady().then(start, (error: unknown) => {
    log(`failed to start: ${String(error)}`);
    app.exit(1);
  });
}
