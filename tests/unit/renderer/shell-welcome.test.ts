// @vitest-environment jsdom
/**
 * The screen for a dead server, as a user reads it: a server on this computer gets how to start
 * Ollama here, one on another machine gets how to make Ollama listen on the network (macOS app,
 * Windows, systemd, each with copy buttons), a first run gets both; the fake server's card shows only
 * when the app runs from source.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/svelte';
import type { AppInfo, Profile, ProfileStatus } from '../../../shared/domain';
import type { AppState } from '../../../renderer/src/lib/state/app.svelte';
import Welcome from '../../../renderer/src/components/shell/Welcome.svelte';
import { isThisComputer } from '../../../renderer/src/components/shell/server-place';

afterEach(() => cleanup());

function profile(baseUrl: string, name = 'Box'): Profile {
  return { id: 'p', name, host: baseUrl, baseUrl, auth: { kind: 'none' }, defaults: {} };
}

const DEAD: ProfileStatus = {
  profileId: 'p',
  state: 'unreachable',
  error: { code: 'CONNECTION_REFUSED', message: 'Connection refused by http://x/api/version.' },
  checkedAt: 1
};

function appWith(active: Profile | null, packaged: boolean): AppState {
  const info: AppInfo = {
    name: 'Ollama Desk',
    version: '1.0.0',
    platform: 'linux',
    shell: 'test',
    packaged,
    dataDir: '/home/ann/.config/ollama-desk',
    secretBackend: 'keychain'
  };
  const stub = {
    ready: true,
    activeProfile: active,
    profiles: active ? [active] : [],
    statuses: active ? { [active.id]: DEAD } : {},
    info,
    creating: false
  };
  return stub as unknown as AppState;
}

const heading = (name: string) => screen.queryByRole('heading', { name });

describe('Welcome for a dead server', () => {
  it('tells this computer from another machine by the address', () => {
    expect(isThisComputer('http://127.0.0.1:11434')).toBe(true);
    expect(isThisComputer('http://localhost:11434')).toBe(true);
    expect(isThisComputer('http://[::1]:11434')).toBe(true);
    expect(isThisComputer('http://192.168.1.20:11434')).toBe(false);
    expect(isThisComputer('https://gpu-box:443/ollama')).toBe(false);
  });

  it('on this computer: how to start Ollama here, with copy buttons, and nothing about the network', () => {
    render(Welcome, { app: appWith(profile('http://127.0.0.1:11434', 'This computer'), true) });
    expect(heading('Start Ollama on this computer')).not.toBeNull();
    expect(
      screen.getByRole('button', { name: 'Copy the command that starts Ollama in a terminal' })
    ).toBeTruthy();
    expect(screen.getByText('ollama serve')).toBeTruthy();
    expect(heading('Reach This computer over the network')).toBeNull();
    expect(document.body.textContent).not.toContain('launchctl');
  });

  it('on another machine: per-OS steps to listen on the network, each command with its copy button', () => {
    render(Welcome, { app: appWith(profile('http://192.168.1.20:11434', 'GPU box'), true) });
    expect(heading('Reach GPU box over the network')).not.toBeNull();
    expect(heading('Start Ollama on this computer')).toBeNull();
    const main = screen.getByRole('heading', { name: 'Reach GPU box over the network' }).closest('article')!;
    const view = within(main as HTMLElement);
    for (const system of [
      'On a Mac (the Ollama app)',
      'On Windows',
      'On Linux (Ollama as a systemd service)'
    ]) {
      expect(view.getByText(system).tagName).toBe('SUMMARY');
    }
    expect(view.getByText('launchctl setenv OLLAMA_HOST 0.0.0.0')).toBeTruthy();
    expect(
      view.getByText("[Environment]::SetEnvironmentVariable('OLLAMA_HOST', '0.0.0.0', 'User')")
    ).toBeTruthy();
    expect(view.getByText('sudo systemctl edit ollama.service')).toBeTruthy();
    expect(main.textContent).toContain('Environment="OLLAMA_HOST=0.0.0.0"');
    // Inside closed details the buttons are hidden from the accessibility tree, but they are there.
    expect(view.getAllByRole('button', { name: /^Copy /, hidden: true }).length).toBe(5);
    // The raw "Is Ollama running? …" hint gives way to these steps.
    expect(document.body.textContent).not.toContain('Is Ollama running?');
  });

  it('on a first run: both kinds of help', () => {
    render(Welcome, { app: appWith(null, true) });
    expect(heading('Welcome to Ollama Desk')).not.toBeNull();
    expect(heading('Start Ollama on this computer')).not.toBeNull();
    expect(heading('Use a server on your network')).not.toBeNull();
  });

  it('offers the fake server only when running from source', () => {
    render(Welcome, { app: appWith(null, true) });
    expect(heading('Try it without Ollama')).toBeNull();
    expect(document.body.textContent).not.toContain('npm run');
    cleanup();
    render(Welcome, { app: appWith(null, false) });
    expect(heading('Try it without Ollama')).not.toBeNull();
    expect(screen.getByText('npm run fake-ollama')).toBeTruthy();
  });
});
