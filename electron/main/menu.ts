/**
 * The application menu with the platform's standard roles (an Edit menu, so copy and paste work on
 * macOS) and our few commands, which go to the window as app:command events.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { UiCommand } from '@shared/domain';

export function appMenuTemplate(
  platform: NodeJS.Platform,
  command: (command: UiCommand) => void
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New Chat', accelerator: 'CmdOrCtrl+N', click: () => command('new-chat') },
      { label: 'Servers…', click: () => command('open-servers') },
      ...(mac
        ? []
        : ([
            { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => command('open-settings') },
            { type: 'separator' },
            { role: 'quit' }
          ] as MenuItemConstructorOptions[]))
    ]
  };
  return [
    ...(mac
      ? ([
          {
            role: 'appMenu',
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: () => command('open-settings') },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' }
            ]
          }
        ] as MenuItemConstructorOptions[])
      : []),
    fileMenu,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' }
  ];
}
