/**
 * Renders the tray-menu model (decided by core/tray-menu.ts) with Electron's Tray and Menu, and routes
 * clicks back by item id. On Linux a tray gives no "menu opened" event, so the menu is rebuilt on
 * every model change rather than on open.
 */
import { Menu, Tray, nativeImage, nativeTheme, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayItem, TrayMenuModel } from './core/tray-menu';

export interface TrayBinding {
  model(): TrayMenuModel;
  click(id: string): void;
  onChange(callback: () => void): () => void;
}

function toTemplate(items: TrayItem[], click: (id: string) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    const base = { id: item.id, label: item.label, enabled: item.enabled && item.kind !== 'header' };
    if (item.kind === 'submenu') return { ...base, submenu: toTemplate(item.submenu ?? [], click) };
    if (item.kind === 'radio')
      return { ...base, type: 'radio', checked: item.checked ?? false, click: () => click(item.id) };
    return { ...base, click: () => click(item.id) };
  });
}

function trayIcon(resourcesDir: string) {
  if (process.platform === 'darwin') {
    const image = nativeImage.createFromPath(join(resourcesDir, 'trayTemplate.png'));
    image.setTemplateImage(true);
    return image;
  }
  const variant = nativeTheme.shouldUseDarkColors ? 'tray-light.png' : 'tray-dark.png';
  return nativeImage.createFromPath(join(resourcesDir, variant));
}

export function createTray(resourcesDir: string, binding: TrayBinding): Tray {
  const tray = new Tray(trayIcon(resourcesDir));
  const render = () => {
    const model = binding.model();
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(toTemplate(model.items, (id) => binding.click(id))));
  };
  render();
  const stop = binding.onChange(render);
  nativeTheme.on('updated', () => tray.setImage(trayIcon(resourcesDir)));
  tray.on('destroyed' as never, stop);
  return tray;
}
