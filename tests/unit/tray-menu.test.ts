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
  it('shows name, VRAM in GB with one decimal, full GPU share and the countdown', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('llama3.2:latest')] })] });
    const item = find(m.items, unloadItemId('home', 'llama3.2:latest'));
    expect(item).toMatchObject({
      label: 'llama3.2:latest — 5.4 GB VRAM (100% GPU) — unloads in 4 min',
      enabled: true,
      kind: 'normal'
    });
  });

  it('uses decimal GB rounded to one decimal', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('a', { size: 1_234_567_890, sizeVram: 1_234_567_890 })] })]
    });
    expect(find(m.items, unloadItemId('home', 'a'))?.label).toContain('1.2 GB VRAM (100% GPU)');
    const big = menu({
      snapshots: [snap('home', { models: [model('b', { size: 9_960_000_000, sizeVram: 9_960_000_000 })] })]
    });
    expect(find(big.items, unloadItemId('home', 'b'))?.label).toContain('10.0 GB VRAM');
  });

  it('shows a CPU-only model as RAM', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('cpu', { sizeVram: 0 })] })] });
    expect(find(m.items, unloadItemId('home', 'cpu'))?.label).toBe(
      'cpu — 5.4 GB RAM (CPU) — unloads in 4 min'
    );
  });

  it('shows a partial offload with its GPU share', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('part', { size: 5_400_000_000, sizeVram: 4_100_000_000 })] })]
    });
    expect(find(m.items, unloadItemId('home', 'part'))?.label).toBe(
      'part — 4.1 GB VRAM (76% GPU) — unloads in 4 min'
    );
  });

  it('never rounds a partial offload to 100% or 0%', () => {
    const almost = menu({
      snapshots: [snap('home', { models: [model('x', { size: 1000, sizeVram: 999 })] })]
    });
    expect(find(almost.items, unloadItemId('home', 'x'))?.label).toContain('(99% GPU)');
    const tiny = menu({
      snapshots: [snap('home', { models: [model('y', { size: 1_000_000, sizeVram: 1 })] })]
    });
    expect(find(tiny.items, unloadItemId('home', 'y'))?.label).toContain('(1% GPU)');
  });
});

describe('countdown wording', () => {
  it.each([
    [45_000, 'unloads in 45 s'],
    [44_200, 'unloads in 45 s'],
    [1_000, 'unloads in 1 s'],
    [59_000, 'unloads in 59 s'],
    [60_000, 'unloads in 1 min'],
    [4 * 60_000 + 59_000, 'unloads in 4 min'],
    [59 * 60_000 + 59_000, 'unloads in 59 min'],
    [60 * 60_000, 'unloads in 1 h'],
    [2 * 3600_000 + 5 * 60_000 + 10_000, 'unloads in 2 h 5 min'],
    [30 * 24 * 3600_000, 'unloads in 720 h']
  ])('%d ms left reads "%s"', (ms, text) => {
    expect(formatExpiry(inMs(ms), NOW)).toBe(text);
  });

  it('reads "kept loaded" for the far-future expiry of keep_alive forever', () => {
    // Ollama's maximum duration lands around the year 2318.
    expect(formatExpiry('2318-03-15T10:12:43.145224+01:00', NOW)).toBe('kept loaded');
    const m = menu({
      snapshots: [snap('home', { models: [model('f', { expiresAt: '2318-03-15T10:12:43.145224+01:00' })] })]
    });
    expect(find(m.items, unloadItemId('home', 'f'))?.label).toBe('f — 5.4 GB VRAM (100% GPU) — kept loaded');
  });

  it('does not call a long but finite keep_alive "kept loaded"', () => {
    expect(formatExpiry(inMs(10 * 365 * 24 * 3600_000), NOW)).toMatch(/^unloads in \d+ h/);
  });

  it('reads "in use" when the expiry already lies in the past (a request is running)', () => {
    expect(formatExpiry(inMs(-3_000), NOW)).toBe('in use');
    expect(formatExpiry(inMs(0), NOW)).toBe('in use');
    const m = menu({ snapshots: [snap('home', { models: [model('busy', { expiresAt: inMs(-60_000) })] })] });
    expect(find(m.items, unloadItemId('home', 'busy'))?.label).toBe('busy — 5.4 GB VRAM (100% GPU) — in use');
  });

  it('leaves the countdown out when the expiry cannot be read', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('odd', { expiresAt: 'not a date' })] })] });
    expect(find(m.items, unloadItemId('home', 'odd'))?.label).toBe('odd — 5.4 GB VRAM (100% GPU)');
  });

  it('reads server-local offsets correctly', () => {
    // 12:04:30Z written as 14:04:30+02:00
    expect(formatExpiry('2025-06-01T14:04:30.123456789+02:00', NOW)).toBe('unloads in 4 min');
  });
});

describe('sections', () => {
  it('shows header with state for each server, the active one first', () => {
    const m = menu({
      profiles: [HOME, LAB],
      activeId: 'lab',
      snapshots: [snap('home'), snap('lab', { state: 'checking' })]
    });
    const headers = m.items.filter((i) => i.kind === 'header');
    expect(headers.map((h) => h.label)).toEqual(['GPU box — checking…', 'Home — reachable']);
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

  it('shows an unreachable server with its error in a disabled line and no models', () => {
    const m = menu({
      snapshots: [
        snap('home', {
          state: 'unreachable',
          models: [model('stale')],
          error: { code: 'CONNECTION_REFUSED', message: 'Connection refused at 127.0.0.1:9' }
        })
      ]
    });
    expect(labels(m.items).slice(0, 2)).toEqual(['Home — unreachable', 'Connection refused at 127.0.0.1:9']);
    expect(find(m.items, 'error:home')?.enabled).toBe(false);
    expect(find(m.items, unloadItemId('home', 'stale'))).toBeUndefined();
  });

  it('shows a model being unloaded as "unloading…", disabled', () => {
    const m = menu({
      snapshots: [snap('home', { models: [model('a:latest'), model('b:7b')], unloading: ['a'] })]
    });
    expect(find(m.items, unloadItemId('home', 'a:latest'))).toMatchObject({
      label: 'a:latest — unloading…',
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
    expect(find(m.items, unloadItemId('lab', 'a'))?.label).toBe('a — unloading…');
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
  it('sums models and VRAM over every server on one line', () => {
    const m = menu({
      profiles: [HOME, LAB],
      snapshots: [
        snap('home', { models: [model('a', { size: 4_000_000_000, sizeVram: 4_000_000_000 })] }),
        snap('lab', { models: [model('b', { size: 5_100_000_000, sizeVram: 5_100_000_000 })] })
      ]
    });
    expect(m.tooltip).toBe('2 models loaded · 9.1 GB VRAM');
  });

  it('uses the singular and adds RAM when some of it is on the CPU', () => {
    const m = menu({ snapshots: [snap('home', { models: [model('c', { sizeVram: 0 })] })] });
    expect(m.tooltip).toBe('1 model loaded · 5.4 GB RAM');
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
    const unload = m.items.find((i) => i.label.startsWith('m:1'));
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
