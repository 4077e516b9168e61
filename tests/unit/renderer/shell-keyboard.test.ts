// @vitest-environment jsdom
/** The app-wide shortcuts: which keys match on each platform, and the window listener. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  installShortcuts,
  isMacPlatform,
  matchShortcut,
  shortcutLabel,
  type KeyLike
} from '../../../renderer/src/lib/keyboard';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods
});

describe('matchShortcut', () => {
  it('maps Ctrl+N, K, F and comma off macOS', () => {
    expect(matchShortcut(key('n', { ctrlKey: true }), false)).toBe('new-chat');
    expect(matchShortcut(key('k', { ctrlKey: true }), false)).toBe('switch-server');
    expect(matchShortcut(key('f', { ctrlKey: true }), false)).toBe('search');
    expect(matchShortcut(key(',', { ctrlKey: true }), false)).toBe('settings');
    expect(matchShortcut(key('K', { ctrlKey: true }), false)).toBe('switch-server');
  });

  it('uses Cmd on macOS, and Ctrl there is not the shortcut', () => {
    expect(matchShortcut(key('n', { metaKey: true }), true)).toBe('new-chat');
    expect(matchShortcut(key('n', { ctrlKey: true }), true)).toBeNull();
    expect(matchShortcut(key('n', { metaKey: true }), false)).toBeNull();
  });

  it('ignores other modifiers, plain keys and IME composition', () => {
    expect(matchShortcut(key('n'), false)).toBeNull();
    expect(matchShortcut(key('n', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(matchShortcut(key('n', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(matchShortcut(key('n', { ctrlKey: true, metaKey: true }), false)).toBeNull();
    expect(matchShortcut(key('n', { ctrlKey: true, isComposing: true }), false)).toBeNull();
    expect(matchShortcut(key('x', { ctrlKey: true }), false)).toBeNull();
  });

  it('falls back to the physical key on non-Latin layouts', () => {
    expect(matchShortcut(key('л', { ctrlKey: true, code: 'KeyK' }), false)).toBe('switch-server');
    expect(matchShortcut(key('б', { ctrlKey: true, code: 'Comma' }), false)).toBe('settings');
  });

  it('labels shortcuts per platform', () => {
    expect(shortcutLabel('k', false)).toBe('Ctrl+K');
    expect(shortcutLabel('k', true)).toBe('⌘K');
    expect(isMacPlatform({ platform: 'MacIntel', userAgent: '' })).toBe(true);
    expect(isMacPlatform({ platform: 'Linux x86_64', userAgent: '' })).toBe(false);
  });
});

describe('installShortcuts', () => {
  let remove = () => {};
  afterEach(() => {
    remove();
    document.body.innerHTML = '';
  });

  it('runs the handler from inside a text field and stops the browser default', () => {
    const calls: string[] = [];
    remove = installShortcuts(window, { 'new-chat': () => calls.push('new') }, false);
    const input = document.createElement('textarea');
    document.body.append(input);
    const event = new KeyboardEvent('keydown', { key: 'n', ctrlKey: true, bubbles: true, cancelable: true });
    input.dispatchEvent(event);
    expect(calls).toEqual(['new']);
    expect(event.defaultPrevented).toBe(true);
  });

  it('leaves unhandled keys alone and stops listening when removed', () => {
    const calls: string[] = [];
    remove = installShortcuts(window, { search: () => calls.push('search') }, false);
    const other = new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true, cancelable: true });
    document.body.dispatchEvent(other);
    expect(other.defaultPrevented).toBe(false);
    remove();
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true }));
    expect(calls).toEqual([]);
  });
});
