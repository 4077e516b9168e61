/**
 * Main-process smoke test (design.md §8.3): the BUILT main bundle (out/main/index.js) is loaded with
 * `electron` replaced by a recording fake. It must create a secure window, install the CSP, register
 * exactly the contract's handlers, take the single-instance lock, point at the built preload, refuse a
 * foreign sender, and build a tray whose menu items reach the core (an unload hits the fake server).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CALL_NAMES, callChannel } from '../../../shared/contract';
import { createFakeOllama, type FakeOllama } from '../../fake-ollama/server';
import { record, type FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => await import('./fake-electron'));

const MAIN = resolve(import.meta.dirname, '../../../out/main/index.js');
let fake: FakeOllama;
let window: FakeBrowserWindow;

async function until<T>(probe: () => T | undefined | null | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface MenuItemLike {
  id?: string;
  label?: string;
  click?: () => void;
  submenu?: MenuItemLike[];
}
function flatten(items: MenuItemLike[]): MenuItemLike[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error('out/main/index.js is missing: run `npm run build` first');
  fake = await createFakeOllama();
  fake.loadModel('llama3.2:latest');
  process.env['OLLAMA_HOST'] = fake.url;
  await import(MAIN);
  window = await until(() => record.windows[0], 'the main window');
}, 30_000);

afterAll(async () => {
  await fake?.close();
});

describe('the built main process', () => {
  it('takes the single-instance lock', () => {
    expect(record.singleInstanceLockRequested).toBe(true);
  });

  it('creates a secure window that shows only when ready, with the built preload', () => {
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false
    });
    expect(window.options['show']).toBe(false);
    const preload = prefs['preload'] as string;
    expect(preload).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(existsSync(preload)).toBe(true);
    expect(window.loaded).toBe('app://ollama-desk/index.html');
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('blocks navigation and new windows, opening only http(s) links outside', () => {
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      }
    };
    window.webContents.emit('will-navigate', event, 'https://evil.example/');
    expect(event.defaultPrevented).toBe(true);
    const open = window.webContents.windowOpenHandler!;
    expect(open({ url: 'https://ollama.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(record.opened).toEqual(['https://ollama.com/']);
  });

  it('sets a strict CSP on every response and denies permissions', () => {
    let headers: Record<string, string[]> = {};
    record.headerHook!(
      { responseHeaders: {} },
      (r) => (headers = (r as { responseHeaders: typeof headers }).responseHeaders)
    );
    const policy = headers['Content-Security-Policy']![0]!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
    let granted: boolean | null = null;
    record.permissionHandler!(null, 'media', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('registers exactly one handler per contract call', () => {
    expect([...record.handlers.keys()].sort()).toEqual(CALL_NAMES.map(callChannel).sort());
  });

  it('answers our window and refuses a foreign sender', async () => {
    const handler = record.handlers.get(callChannel('app:info'))!;
    const ours = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    const info = (await handler(ours, undefined)) as { ok: boolean; value: { name: string } };
    expect(info).toMatchObject({ ok: true, value: { name: 'Ollama Desk' } });

    const foreignFrame = { url: 'https://evil.example/' };
    const foreign = {
      sender: { ...window.webContents, mainFrame: foreignFrame, id: window.webContents.id },
      senderFrame: foreignFrame
    };
    expect(await handler(foreign, undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' }
    });
    const otherContents = {
      sender: { id: 9999, mainFrame: ours.senderFrame },
      senderFrame: ours.senderFrame
    };
    expect(await handler(otherContents, undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' }
    });
    expect(await handler(ours, { bogus: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('installs an application menu with an Edit menu', () => {
    const menu = record.applicationMenu as { template: { role?: string }[] };
    expect(menu.template.some((item) => item.role === 'editMenu')).toBe(true);
  });

  it('builds a tray with the icon, whose unload item reaches the fake server', async () => {
    const tray = await until(() => record.trays[0], 'the tray');
    expect((tray.image as { path: string }).path).toMatch(/resources[\\/]tray-(dark|light)\.png$/);
    expect(existsSync((tray.image as { path: string }).path)).toBe(true);
    const item = await until(
      () => flatten((tray.menu?.template ?? []) as MenuItemLike[]).find((i) => i.id?.startsWith('unload:')),
      'an unload item in the tray menu'
    );
    expect(item.label).toContain('llama3.2:latest');
    item.click!();
    const request = await fake.waitForRequest(
      (r) => r.path === '/api/chat' && (r.body as { keep_alive?: unknown }).keep_alive === 0
    );
    expect(request.body).toMatchObject({ model: 'llama3.2:latest', messages: [] });
  });
});
