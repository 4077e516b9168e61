/**
 * The app window and its security: isolated, sandboxed, no Node; a strict CSP; no navigation and no
 * new windows (http(s) links go to the system browser); every permission denied; shown when ready;
 * size and position remembered.
 */
import { BrowserWindow, screen, session, shell, type Rectangle } from 'electron';
import { join } from 'node:path';
import { contentSecurityPolicy } from '@shared/csp';
import { isExternalHttpUrl } from './core/external-url';

export const APP_ORIGIN = 'app://ollama-desk';

export interface WindowOptions {
  preloadPath: string;
  /** Vite's dev server URL in `npm run dev`, else undefined (the built page via app://). */
  devUrl: string | undefined;
  bounds: Partial<Rectangle> | undefined;
  saveBounds(bounds: Rectangle): void;
  log(line: string): void;
}

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: true
} as const;

/** The CSP header for every response of the window's session (covers Vite's dev server too). */
export function installCsp(devUrl: string | undefined): void {
  const devConnect = devUrl ? [devUrl, devUrl.replace(/^http/, 'ws')] : [];
  const policy = contentSecurityPolicy(devConnect);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function visibleBounds(saved: Partial<Rectangle> | undefined): Partial<Rectangle> {
  const size = { width: saved?.width ?? 1100, height: saved?.height ?? 760 };
  if (saved?.x === undefined || saved.y === undefined) return size;
  const area = screen.getDisplayMatching({ x: saved.x, y: saved.y, ...size } as Rectangle).workArea;
  const inside = saved.x >= area.x - 50 && saved.y >= area.y - 50 && saved.x < area.x + area.width - 100;
  return inside ? { ...size, x: saved.x, y: saved.y } : size;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...visibleBounds(options.bounds),
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Ollama Desk',
    backgroundColor: '#1b1c1f',
    webPreferences: { ...WEB_PREFERENCES, preload: options.preloadPath }
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    options.log(`blocked navigation to ${url}`);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalHttpUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const remember = () => {
    if (!window.isMinimized() && !window.isMaximized()) options.saveBounds(window.getBounds());
  };
  window.on('resized', remember);
  window.on('moved', remember);
  window.on('close', remember);

  if (options.devUrl) void window.loadURL(options.devUrl);
  else void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

export const rendererRoot = (mainDir: string): string => join(mainDir, '../renderer');
