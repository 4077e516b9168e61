import { describe, expect, it } from 'vitest';
import type { LoadedModel, LoadedSnapshot } from '@shared/domain';
import {
  buildTrayMenu,
  formatExpiry,
  parseTrayItemId,
  unloadItemId,
  type TrayItem,
  type TrayMenuInput
} from '../../electron/main/core/tray-menu';
import { errorWords } from '@shared/error-words';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const inMs = (ms: number) => new Date(NOW + ms).toISOString();

function model(name: string, over: Partial<LoadedModel> = {}): LoadedModel {
  return {
    name,
    size: 5_400_000_000,
    sizeVram: 5_400_000_000,
    expiresAt: inMs(4 * 60_000 + 30_000),
    details: {},
    ...over
  };
}

function snap(profileId: string, over: Partial<LoadedSnapshot> = {}): LoadedSnapshot {
  return { profileId, state: 'reachable', models: [], unloading: [], updatedAt: NOW, ...over };
}

const HOME = { id: 'home', name: 'Home' };
const LAB = { id: 'lab', name: 'GPU box' };

function menu(over: Partial<TrayMenuInput> = {}) {
  return buildTrayMenu({
    profiles: [HOME],
    activeId: 'home',
    snapshots: [],
    now: NOW,
    pendingUnloads: [],
    ...over
  });
}

const find = (items: TrayItem[], id: string) => items.find((i) => i.id === id);
const labels = (items: TrayItem[]) => items.filter((i) => i.kind !== 'separator').map((i) => i.label);

describe('model lines', () => {
  it('says what a click does, then the size as `ollama ps` prints it and the time left', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('llama3.2:latest')] })] });
    const item = find(m.items, unloadItemId('home', 'llama3.2:latest'));
    expect(item).toMatchObject({
      label: 'Unload llama3.2:latest · 5.4 GB · 4 min left',
      enabled: true,
      kind: 'normal'
    });
  });

  it('uses Ollama’s decimal units: one decimal below 10, whole numbers above, MB below 1 GB', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('a', { size: 1_234_567_890, sizeVram: 1_234_567_890 })] })]
    });
    expect(find(m.items, unloadItemId('home', 'a'))?.label).toBe('Unload a · 1.2 GB · 4 min left');
    const big = menu({
      snapshots: [snap('home', { models: [model('b', { size: 9_960_000_000, sizeVram: 9_960_000_000 })] })]
    });
    // Ollama rounds 9.96 with %.1f before it looks at the size again: "10.0 GB", as `ollama ps` prints.
    expect(find(big.items, unloadItemId('home', 'b'))?.label).toBe('Unload b · 10.0 GB · 4 min left');
  });

  it('says where a model sits when it is not all on the GPU', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('cpu', { sizeVram: 0 })] })] });
    expect(find(m.items, unloadItemId('home', 'cpu'))?.label).toBe(
      'Unload cpu · 5.4 GB · 100% CPU · 4 min left'
    );
  });

  it('shows a partial offload with its GPU share', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('part', { size: 5_400_000_000, sizeVram: 4_100_000_000 })] })]
    });
    expect(find(m.items, unloadItemId('home', 'part'))?.label).toBe(
      'Unload part · 5.4 GB · 24%/76% CPU/GPU · 4 min left'
    );
  });

  it('never rounds a partial offload to 100% or 0%', () => {
    const almost = menu({
      snapshots: [snap('home', { models: [model('x', { size: 1000, sizeVram: 999 })] })]
    });
    expect(find(almost.items, unloadItemId('home', 'x'))?.label).toContain('1%/99% CPU/GPU');
    const tiny = menu({
      snapshots: [snap('home', { models: [model('y', { size: 1_000_000, sizeVram: 1 })] })]
    });
    expect(find(tiny.items, unloadItemId('home', 'y'))?.label).toContain('99%/1% CPU/GPU');
  });
});

describe('countdown wording', () => {
  it.each([
    [45_000, '45 s left'],
    [44_200, '45 s left'],
    [1_000, '1 s left'],
    [59_000, '59 s left'],
    [60_000, '1 min left'],
    [4 * 60_000 + 59_000, '4 min left'],
    [59 * 60_000 + 59_000, '59 min left'],
    [60 * 60_000, '1 h left'],
    [2 * 3600_000 + 5 * 60_000 + 10_000, '2 h 5 min left'],
    [30 * 24 * 3600_000, '720 h left']
  ])('%d ms left reads "%s"', (ms, text) => {
    expect(formatExpiry(inMs(ms), NOW)).toBe(text);
  });

  it('reads "kept loaded" for the far-future expiry of keep_alive forever', () => {
    // Ollama's maximum duration lands around the year 2318.
    expect(formatExpiry('2318-03-15T10:12:43.145224+01:00', NOW)).toBe('kept loaded');
    const m = menu({
      snapshots: [snap('home', { models: [model('f', { expiresAt: '2318-03-15T10:12:43.145224+01:00' })] })]
    });
    expect(find(m.items, unloadItemId('home', 'f'))?.label).toBe('Unload f · 5.4 GB · kept loaded');
  });

  it('does not call a long but finite keep_alive "kept loaded"', () => {
    expect(formatExpiry(inMs(10 * 365 * 24 * 3600_000), NOW)).toMatch(/^\d+ h( \d+ min)? left$/);
  });

  it('reads "in use" when the expiry already lies in the past (a request is running)', () => {
    expect(formatExpiry(inMs(-3_000), NOW)).toBe('in use');
    expect(formatExpiry(inMs(0), NOW)).toBe('in use');
    const m = menu({ snapshots: [snap('home', { models: [model('busy', { expiresAt: inMs(-60_000) })] })] });
    expect(find(m.items, unloadItemId('home', 'busy'))?.label).toBe('Unload busy · 5.4 GB · in use');
  });

  it('leaves the countdown out when the expiry cannot be read', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('odd', { expiresAt: 'not a date' })] })] });
    expect(find(m.items, unloadItemId('home', 'odd'))?.label).toBe('Unload odd · 5.4 GB');
  });

  it('reads server-local offsets correctly', () => {
    // 12:04:30Z written as 14:04:30+02:00
    expect(formatExpiry('2025-06-01T14:04:30.123456789+02:00', NOW)).toBe('4 min left');
  });
});

describe('sections', () => {
  it('shows a header with the state of each server, in the saved order whichever is active', () => {
    const m = menu({
      profiles: [HOME, LAB],
      activeId: 'lab',
      snapshots: [snap('home'), snap('lab', { state: 'checking' })]
    });
    const headers = m.items.filter((i) => i.kind === 'header');
    expect(headers.map((h) => h.label)).toEqual(['Home — reachable', 'GPU box — checking…']);
    expect(headers.every((h) => !h.enabled)).toBe(true);
  });

  it('treats a server without a snapshot yet as checking', () => {
    const m = menu({ snapshots: [] });
    expect(labels(m.items)[0]).toBe('Home — checking…');
    expect(m.items.some((i) => i.label === 'No models loaded')).toBe(false);
  });

  it('says "No models loaded" (disabled) for a reachable server with nothing loaded', () => {
    const m = menu({ snapshots: [snap('home')] });
    expect(find(m.items, 'empty:home')).toMatchObject({ label: 'No models loaded', enabled: false });
  });

  it('shows an unreachable server with the window’s error words in disabled lines and no models', () => {
    const m = menu({
      snapshots: [
        snap('home', {
          state: 'unreachable',
          models: [model('stale')],
          error: { code: 'CONNECTION_REFUSED', message: 'Connection refused by http://127.0.0.1:9/api/ps.' }
        })
      ]
    });
    // The window's words for the code (title and hint), never the raw message.
    expect(labels(m.items).slice(0, 3)).toEqual([
      'Home — unreachable',
      errorWords({ code: 'CONNECTION_REFUSED', message: '' }).title,
      errorWords({ code: 'CONNECTION_REFUSED', message: '' }).hint
    ]);
    expect(labels(m.items)[1]).toBe('Connection refused.');
    expect(labels(m.items).join('\n')).not.toContain('http://');
    expect(find(m.items, 'error:home')?.enabled).toBe(false);
    expect(find(m.items, 'hint:home')?.enabled).toBe(false);
    expect(find(m.items, unloadItemId('home', 'stale'))).toBeUndefined();
  });

  it('shows a model being unloaded as "unloading…", disabled', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('a:latest'), model('b:7b')], unloading: ['a'] })]
    });
    expect(find(m.items, unloadItemId('home', 'a:latest'))).toMatchObject({
      label: 'Unloading a:latest…',
      enabled: false
    });
    expect(find(m.items, unloadItemId('home', 'b:7b'))?.enabled).toBe(true);
  });

  it('also marks unloads the caller knows are pending, only on their own server', () => {
    const m = menu({
      profiles: [HOME, LAB],
      snapshots: [snap('home', { models: [model('a')] }), snap('lab', { models: [model('a')] })],
      pendingUnloads: [{ profileId: 'lab', model: 'a' }]
    });
    expect(find(m.items, unloadItemId('lab', 'a'))?.label).toBe('Unloading a…');
    expect(find(m.items, unloadItemId('home', 'a'))?.enabled).toBe(true);
  });

  it('offers "Unload all on <server>" only when more than one model is loaded', () => {
    const one = menu({ snapshots: [snap('home', { models: [model('a')] })] });
    expect(find(one.items, 'unload-all:home')).toBeUndefined();
    const two = menu({ snapshots: [snap('home', { models: [model('a'), model('b')] })] });
    expect(find(two.items, 'unload-all:home')).toMatchObject({ label: 'Unload all on Home', enabled: true });
    const allGoing = menu({
      snapshots: [snap('home', { models: [model('a'), model('b')], unloading: ['a', 'b'] })]
    });
    expect(find(allGoing.items, 'unload-all:home')?.enabled).toBe(false);
  });

  it('separates the server sections and keeps every id unique', () => {
    const m = menu({
      profiles: [HOME, LAB],
      snapshots: [snap('home', { models: [model('a'), model('b')] }), snap('lab', { models: [model('a')] })]
    });
    const ids = m.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const labIndex = m.items.findIndex((i) => i.id === 'header:lab');
    expect(m.items[labIndex - 1]?.kind).toBe('separator');
  });

  it('says so when no server is saved, and disables the switch submenu', () => {
    const m = menu({ profiles: [], activeId: null });
    expect(find(m.items, 'no-servers')).toMatchObject({ label: 'No servers saved', enabled: false });
    expect(find(m.items, 'switch')?.enabled).toBe(false);
  });
});

describe('fixed entries', () => {
  it('lists open, new chat, the switch submenu, refresh and quit below the servers', () => {
    const m = menu({ profiles: [HOME, LAB], activeId: 'lab', snapshots: [snap('home'), snap('lab')] });
    const tail = m.items.slice(m.items.findIndex((i) => i.id === 'open'));
    expect(tail.map((i) => i.id)).toEqual(['open', 'new-chat', 'switch', 'refresh', 'sep:3', 'quit']);
    expect(labels(tail)).toEqual(['Open Ollama Desk', 'New chat', 'Switch server', 'Refresh', 'Quit']);
    const sub = find(m.items, 'switch');
    expect(sub?.kind).toBe('submenu');
    expect(sub?.submenu).toEqual([
      { id: 'switch:home', label: 'Home', enabled: true, kind: 'radio', checked: false },
      { id: 'switch:lab', label: 'GPU box', enabled: true, kind: 'radio', checked: true }
    ]);
  });
});

describe('tooltip', () => {
  it('names each server apart and never adds VRAM across machines', () => {
    const m = menu({
      profiles: [HOME, LAB],
      activeId: 'lab',
      snapshots: [
        snap('home', { models: [model('a', { size: 3_340_000_000, sizeVram: 3_340_000_000 })] }),
        snap('lab', { models: [model('b', { size: 2_020_000_000, sizeVram: 2_020_000_000 })] })
      ]
    });
    expect(m.tooltip).toBe('Home: 1 model · 3.3 GB VRAM\nGPU box: 1 model · 2.0 GB VRAM');
    expect(m.tooltip).not.toContain('5.3');
  });

  it('uses the plural, adds RAM when some of it is on the CPU, and leaves out idle servers', () => {
    const m = menu({
      profiles: [HOME, LAB],
      snapshots: [
        snap('home'),
        snap('lab', { models: [model('c', { sizeVram: 0 }), model('d', { size: 3e9, sizeVram: 2e9 })] })
      ]
    });
    expect(m.tooltip).toBe('GPU box: 2 models · 2 GB VRAM · 6.4 GB RAM');
    const cpu = menu({ snapshots: [snap('home', { models: [model('c', { sizeVram: 0 })] })] });
    expect(cpu.tooltip).toBe('Home: 1 model · 5.4 GB RAM');
  });

  it('says "No models loaded" when nothing is loaded or the servers do not answer', () => {
    expect(menu({ snapshots: [snap('home')] }).tooltip).toBe('No models loaded');
    expect(
      menu({ snapshots: [snap('home', { state: 'unreachable', models: [model('stale')] })] }).tooltip
    ).toBe('No models loaded');
  });

  it('ignores snapshots of servers no longer saved', () => {
    expect(menu({ profiles: [HOME], snapshots: [snap('gone', { models: [model('a')] })] }).tooltip).toBe(
      'No models loaded'
    );
  });
});

describe('click ids', () => {
  it('round-trips unload ids, including model names with tags and namespaces', () => {
    expect(parseTrayItemId(unloadItemId('home', 'user/model:q4_K_M'))).toEqual({
      kind: 'unload',
      profileId: 'home',
      model: 'user/model:q4_K_M'
    });
  });

  it('survives a profile id that contains a colon', () => {
    const m = menu({
      profiles: [{ id: 'a:b', name: 'Odd' }],
      activeId: 'a:b',
      snapshots: [snap('a:b', { models: [model('m:1'), model('n')] })]
    });
    const unload = m.items.find((i) => i.label.startsWith('Unload m:1'));
    expect(parseTrayItemId(unload?.id ?? '')).toEqual({ kind: 'unload', profileId: 'a:b', model: 'm:1' });
    expect(parseTrayItemId(find(m.items, 'unload-all:a%3Ab')?.id ?? '')).toEqual({
      kind: 'unload-all',
      profileId: 'a:b'
    });
    expect(parseTrayItemId('switch:a%3Ab')).toEqual({ kind: 'switch', profileId: 'a:b' });
  });

  it('parses the fixed ids and rejects the rest', () => {
    for (const id of ['open', 'new-chat', 'refresh', 'quit'] as const) {
      expect(parseTrayItemId(id)).toEqual({ kind: id });
    }
    expect(parseTrayItemId('header:home')).toBeNull();
    expect(parseTrayItemId('unload:home')).toBeNull();
    expect(parseTrayItemId('unload:home:')).toBeNull();
    expect(parseTrayItemId('sep:1')).toBeNull();
    expect(parseTrayItemId('switch')).toBeNull();
  });
});

describe('a busy server (ps waits for a load, real-ollama.md D1)', () => {
  it('says what it loads, keeps the last list, offers the loading model for unload, never "unreachable"', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('llama3.2:latest')], busy: { loading: ['gemma3:4b'] } })]
    });
    expect(find(m.items, 'header:home')?.label).toBe('Home — loading gemma3:4b…');
    expect(find(m.items, unloadItemId('home', 'gemma3:4b'))).toMatchObject({
      label: 'Unload gemma3:4b · loading…',
      enabled: true
    });
    expect(find(m.items, unloadItemId('home', 'llama3.2:latest'))?.label).toContain(
      'Unload llama3.2:latest ·'
    );
    expect(labels(m.items).join('\n')).not.toContain('unreachable');
  });

  it('is "busy" when none of our requests names the model, and an unload it holds says when it happens', () => {
    const m = menu({
      snapshots: [
        snap('home', {
          models: [model('llama3.2:latest')],
          busy: { loading: [] },
          unloading: ['llama3.2:latest'],
          unloadsAfterLoad: ['llama3.2:latest']
        })
      ]
    });
    expect(find(m.items, 'header:home')?.label).toBe('Home — busy');
    expect(find(m.items, unloadItemId('home', 'llama3.2:latest'))).toMatchObject({
      label: 'Unloading llama3.2:latest when loading ends',
      enabled: false
    });
  });
});
