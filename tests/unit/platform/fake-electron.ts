/**
 * A recording stand-in for the `electron` module, for the main-process smoke test: it records what
 * the built main bundle asks of Electron (windows, handlers, CSP, tray, menu) so the test can assert
 * on it, and lets the test invoke IPC handlers as a given sender would.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: unknown[]) => unknown;

export const record = {
  singleInstanceLockRequested: false,
  windows: [] as FakeBrowserWindow[],
  handlers: new Map<string, Listener>(),
  headerHook: null as null | ((details: unknown, callback: (r: unknown) => void) => void),
  permissionHandler: null as null | Listener,
  schemes: [] as unknown[],
  protocols: new Map<string, Listener>(),
  trays: [] as FakeTray[],
  menus: [] as unknown[],
  applicationMenu: null as unknown,
  opened: [] as string[],
  userData: mkdtempSync(join(tmpdir(), 'od-smoke-'))
};

let nextContentsId = 1;

class FakeWebContents extends EventEmitter {
  id = nextContentsId++;
  mainFrame = { url: 'app://ollama-desk/index.html' };
  sent: [string, unknown][] = [];
  windowOpenHandler: Listener | null = null;
  setWindowOpenHandler(handler: Listener) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  options: Record<string, unknown>;
  webContents = new FakeWebContents();
  loaded: string | null = null;
  visible = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    record.windows.push(this);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getBounds() {
    return { x: 10, y: 10, width: 1100, height: 760 };
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {}
  static getAllWindows() {
    return record.windows;
  }
}

export class FakeTray extends EventEmitter {
  image: unknown;
  tooltip = '';
  menu: FakeMenu | null = null;
  constructor(image: unknown) {
    super();
    this.image = image;
    record.trays.push(this);
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu) {
    this.menu = menu;
  }
  setImage(image: unknown) {
    this.image = image;
  }
}

export class FakeMenu {
  constructor(readonly template: unknown[]) {}
  static buildFromTemplate(template: unknown[]) {
    const menu = new FakeMenu(template);
    record.menus.push(menu);
    return menu;
  }
  static setApplicationMenu(menu: unknown) {
    record.applicationMenu = menu;
  }
}

const appEvents = new EventEmitter();
export const app = Object.assign(appEvents, {
  isPackaged: false,
  requestSingleInstanceLock() {
    record.singleInstanceLockRequested = true;
    return true;
  },
  whenReady: () => Promise.resolve(),
  getPath: (name: string) => (name === 'userData' ? record.userData : tmpdir()),
  getVersion: () => '0.1.0',
  getName: () => 'Ollama Desk',
  quit() {},
  exit() {}
});

export const ipcMain = {
  handle(channel: string, listener: Listener) {
    if (record.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    record.handlers.set(channel, listener);
  },
  removeHandler(channel: string) {
    record.handlers.delete(channel);
  },
  on() {},
  once() {}
};

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(hook: (details: unknown, callback: (r: unknown) => void) => void) {
        record.headerHook = hook;
      }
    },
    setPermissionRequestHandler(handler: Listener) {
      record.permissionHandler = handler;
    },
    setPermissionCheckHandler() {}
  }
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    record.schemes.push(...schemes);
  },
  handle(scheme: string, handler: Listener) {
    record.protocols.set(scheme, handler);
  }
};

export const nativeImage = {
  createFromPath: (path: string) => ({ path, setTemplateImage() {} })
};
export const nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false });
export const shell = {
  openExternal: async (url: string) => {
    record.opened.push(url);
  }
};
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (plain: string) => Buffer.from(plain, 'utf8').reverse(),
  decryptString: (data: Buffer) => Buffer.from(data).reverse().toString('utf8'),
  // Linux only in Electron: a desktop with a secret service (basic_text would mean no real encryption).
  getSelectedStorageBackend: () => 'gnome_libsecret'
};
export const screen = {
  getDisplayMatching: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } })
};
export const net = { fetch: (url: string) => Promise.resolve(new Response(url)) };
export const contextBridge = { exposeInMainWorld() {} };
export const ipcRenderer = {};
export const BrowserWindow = FakeBrowserWindow;
export const Tray = FakeTray;
export const Menu = FakeMenu;

export default {
  app,
  ipcMain,
  session,
  protocol,
  nativeImage,
  nativeTheme,
  shell,
  safeStorage,
  screen,
  net,
  BrowserWindow,
  Tray,
  Menu,
  contextBridge,
  ipcRenderer
};
