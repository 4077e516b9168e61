// @vitest-environment jsdom
/**
 * Shell components that are easier to check alone than through the whole app: the server palette's
 * filtering and keys, the connection result's words, inline rename, the toasts' live regions and the
 * switcher's accessible names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import type { ConversationSummary, Profile, ProfileStatus } from '../../../shared/domain';
import ConnectionResult from '../../../renderer/src/components/shell/ConnectionResult.svelte';
import ConversationRow from '../../../renderer/src/components/shell/ConversationRow.svelte';
import ServerPalette from '../../../renderer/src/components/shell/ServerPalette.svelte';
import ServerSwitcher from '../../../renderer/src/components/shell/ServerSwitcher.svelte';
import Toasts from '../../../renderer/src/components/shell/Toasts.svelte';

afterEach(() => cleanup());

function profile(id: string, name: string, port: number): Profile {
  return {
    id,
    name,
    host: `127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}`,
    auth: { kind: 'none' },
    defaults: {}
  };
}
const PROFILES = [
  profile('a', 'Laptop', 11434),
  profile('b', 'Garage GPU', 11500),
  profile('c', 'Attic', 11600)
];
const STATUSES: Record<string, ProfileStatus> = {
  a: { profileId: 'a', state: 'reachable', version: '0.13.0', latencyMs: 3.4, checkedAt: 1 },
  b: {
    profileId: 'b',
    state: 'unreachable',
    error: { code: 'CONNECTION_REFUSED', message: 'ECONNREFUSED' },
    checkedAt: 1
  }
};

describe('ServerSwitcher', () => {
  it('names each server with its state and puts version and latency in the tooltip', () => {
    const switched: string[] = [];
    render(ServerSwitcher, {
      profiles: PROFILES,
      activeId: 'a',
      statuses: STATUSES,
      onswitch: (id: string) => switched.push(id),
      onmanage: () => {},
      onpalette: () => {},
      onadd: () => {}
    });
    const laptop = screen.getByRole('button', { name: 'Laptop, reachable' });
    expect(laptop.getAttribute('aria-pressed')).toBe('true');
    expect(laptop.title).toBe('http://127.0.0.1:11434 · Ollama 0.13.0 · 3 ms');
    const garage = screen.getByRole('button', { name: 'Garage GPU, unreachable' });
    expect(garage.getAttribute('aria-pressed')).toBe('false');
    expect(garage.title).toBe('http://127.0.0.1:11500 · unreachable: Connection refused.');
    expect(screen.getByRole('button', { name: 'Attic, checking' }).title).toContain('checking');
    garage.click();
    expect(switched).toEqual(['b']);
  });
});

describe('ServerPalette', () => {
  function renderPalette() {
    const calls: string[] = [];
    render(ServerPalette, {
      profiles: PROFILES,
      activeId: 'a',
      statuses: STATUSES,
      onswitch: (id: string) => calls.push(`switch ${id}`),
      onclose: () => calls.push('close')
    });
    const input = screen.getByRole('combobox', { name: 'Find a server' });
    return { calls, input };
  }

  it('filters by name or address as you type and Enter switches to the highlighted one', async () => {
    const { calls, input } = renderPalette();
    expect(screen.getAllByRole('option')).toHaveLength(3);
    await fireEvent.input(input, { target: { value: 'gar' } });
    expect(screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual([
      'Garage GPU, unreachable'
    ]);
    await fireEvent.input(input, { target: { value: '11600' } });
    expect(screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual([
      'Attic, checking'
    ]);
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(calls).toEqual(['switch c', 'close']);
  });

  it('ranks names that start with the text first; arrows wrap; the combobox points at the choice', async () => {
    const { calls, input } = renderPalette();
    await fireEvent.input(input, { target: { value: 'a' } });
    const names = () => screen.getAllByRole('option').map((o) => o.getAttribute('aria-label'));
    expect(names()).toEqual(['Attic, checking', 'Laptop, reachable', 'Garage GPU, unreachable']);
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    const selected = screen.getByRole('option', { selected: true });
    expect(selected.getAttribute('aria-label')).toBe('Garage GPU, unreachable');
    expect(input.getAttribute('aria-activedescendant')).toBe(selected.id);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(calls).toEqual(['switch a', 'close']);
  });

  it('says so when nothing matches, and Enter then does nothing', async () => {
    const { calls, input } = renderPalette();
    await fireEvent.input(input, { target: { value: 'zzz' } });
    expect(screen.queryAllByRole('option')).toHaveLength(0);
    expect(screen.getByText('No server matches “zzz”.')).toBeTruthy();
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(calls).toEqual([]);
  });
});

describe('ConnectionResult', () => {
  it('shows version, latency and model count when connected', () => {
    render(ConnectionResult, {
      testing: false,
      report: { ok: true, baseUrl: 'http://h:1', version: '0.13.0', latencyMs: 12.6, modelCount: 1 }
    });
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Connected.');
    expect(status.textContent).toContain('Ollama 0.13.0 · 13 ms · 1 model');
  });

  it("shows the error's words, the report's own hint first, and the server's text apart", () => {
    render(ConnectionResult, {
      testing: false,
      report: {
        ok: false,
        baseUrl: 'http://h:1',
        error: {
          code: 'HTTP_ERROR',
          message: 'x',
          detail: { status: 500, serverError: 'llama runner died' }
        },
        hint: 'Look at the server log.'
      }
    });
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('The server returned an error.');
    expect(status.textContent).toContain('Look at the server log.');
    expect(status.textContent).toContain('Server said: llama runner died');
  });

  it('falls back to the generic hint for the code', () => {
    render(ConnectionResult, {
      testing: false,
      report: { ok: false, baseUrl: 'http://h:1', error: { code: 'CONNECTION_REFUSED', message: 'x' } }
    });
    expect(screen.getByRole('status').textContent).toContain('OLLAMA_HOST=0.0.0.0');
  });
});

describe('ConversationRow', () => {
  const conversation: ConversationSummary = {
    id: 'c1',
    title: 'Trip plan',
    profileId: 'a',
    model: 'gemma3:4b',
    updatedAt: Date.now() - 5 * 60_000,
    messageCount: 2
  };

  function renderRow() {
    const renamed: string[] = [];
    render(ConversationRow, {
      conversation,
      serverName: 'Laptop',
      selected: true,
      now: Date.now(),
      onselect: () => {},
      onrename: async (title: string) => {
        renamed.push(title);
        return true;
      },
      onexport: () => {},
      ondelete: () => {}
    });
    return renamed;
  }

  it('is a link named by its title, described by age, model and server', () => {
    renderRow();
    const link = screen.getByRole('link', { name: 'Trip plan' });
    expect(link.getAttribute('aria-current')).toBe('page');
    const described = (link.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent?.replace(/\s+/g, ' ').trim());
    expect(described).toEqual(['5 min ago', 'gemma3:4b · Laptop']);
  });

  it('renames inline from its menu: Enter saves, Esc abandons', async () => {
    const renamed = renderRow();
    screen.getByRole('button', { name: 'Actions for Trip plan' }).click();
    await tick();
    within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Rename' }).click();
    await tick();
    await tick();
    const field = screen.getByRole('textbox', { name: 'Conversation title' }) as HTMLInputElement;
    expect(document.activeElement).toBe(field);
    expect(field.value).toBe('Trip plan');
    await fireEvent.input(field, { target: { value: '  Lisbon in May ' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(renamed).toEqual(['Lisbon in May']);

    screen.getByRole('button', { name: 'Actions for Trip plan' }).click();
    await tick();
    screen.getByRole('menuitem', { name: 'Rename' }).click();
    await tick();
    await tick();
    const again = screen.getByRole('textbox', { name: 'Conversation title' });
    await fireEvent.input(again, { target: { value: 'Nope' } });
    await fireEvent.keyDown(again, { key: 'Escape' });
    expect(renamed).toEqual(['Lisbon in May']);
    expect(screen.queryByRole('textbox', { name: 'Conversation title' })).toBeNull();
  });
});

describe('Toasts', () => {
  it('puts information in a polite status region and errors in an alert; actions dismiss first', async () => {
    const events: string[] = [];
    render(Toasts, {
      toasts: [
        {
          id: 1,
          tone: 'info',
          title: 'Deleted “Trip”.',
          action: { label: 'Undo', run: () => void events.push('undo') }
        },
        { id: 2, tone: 'error', title: 'Connection refused.', detail: 'Is Ollama running?' }
      ],
      ondismiss: (id: number) => events.push(`dismiss ${id}`)
    });
    const region = screen.getByRole('region', { name: 'Notifications' });
    const status = within(region).getByRole('status');
    const alert = within(region).getByRole('alert');
    expect(status.textContent).toContain('Deleted “Trip”.');
    expect(alert.textContent).toContain('Connection refused.');
    expect(alert.textContent).toContain('Is Ollama running?');
    within(status).getByRole('button', { name: 'Undo' }).click();
    within(alert).getByRole('button', { name: 'Dismiss' }).click();
    expect(events).toEqual(['dismiss 1', 'undo', 'dismiss 2']);
  });
});
