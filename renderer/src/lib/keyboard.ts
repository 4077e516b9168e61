/**
 * The app-wide shortcuts: Ctrl (Cmd on macOS) + N, K, F and comma. Matching is pure so it is tested
 * without a window; `installShortcuts` listens in the capture phase so a shortcut works from inside
 * the composer or a search field, and calls preventDefault only for keys it handles.
 */

export type ShortcutName = 'new-chat' | 'switch-server' | 'search' | 'settings';

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
}

const BY_KEY: Record<string, ShortcutName> = {
  n: 'new-chat',
  k: 'switch-server',
  f: 'search',
  ',': 'settings'
};
// Physical keys, for layouts where `key` is not a Latin letter (Cyrillic, Greek…).
const BY_CODE: Record<string, ShortcutName> = {
  KeyN: 'new-chat',
  KeyK: 'switch-server',
  KeyF: 'search',
  Comma: 'settings'
};

export function isMacPlatform(
  nav: Pick<Navigator, 'platform' | 'userAgent'> | undefined = globalThis.navigator
): boolean {
  if (!nav) return false;
  return /Mac|iPhone|iPad/.test(nav.platform || nav.userAgent);
}

export function matchShortcut(event: KeyLike, mac: boolean): ShortcutName | null {
  if (event.isComposing) return null;
  const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!mod || event.altKey || event.shiftKey) return null;
  return BY_KEY[event.key.toLowerCase()] ?? (event.code ? BY_CODE[event.code] : undefined) ?? null;
}

/** "Ctrl+K" or "⌘K", for titles and hints. */
export function shortcutLabel(key: string, mac: boolean = isMacPlatform()): string {
  return mac ? `⌘${key.toUpperCase()}` : `Ctrl+${key.toUpperCase()}`;
}

export function installShortcuts(
  target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
  handlers: Partial<Record<ShortcutName, () => void>>,
  mac: boolean = isMacPlatform()
): () => void {
  const listener = (event: KeyboardEvent) => {
    const name = matchShortcut(event, mac);
    const handler = name ? handlers[name] : undefined;
    if (!handler) return;
    event.preventDefault();
    event.stopPropagation();
    handler();
  };
  target.addEventListener('keydown', listener, true);
  return () => target.removeEventListener('keydown', listener, true);
}
