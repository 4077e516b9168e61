// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import PhaseIndicator from '../../../renderer/src/components/conversation/PhaseIndicator.svelte';

afterEach(() => cleanup());

describe('PhaseIndicator', () => {
  it.each([
    ['waiting', 'Waiting for server…'],
    ['loading', 'Loading model…'],
    ['thinking', 'Thinking…'],
    ['generating', 'Writing…']
  ] as const)('says where a %s reply is, as a live status', (phase, words) => {
    render(PhaseIndicator, { phase });
    const status = screen.getByRole('status');
    expect(status.textContent).toContain(words);
    expect(status.getAttribute('aria-live')).toBe('polite');
  });

  it('shows the live speed while writing, but not while waiting', async () => {
    const view = render(PhaseIndicator, { phase: 'generating', tokensPerSecond: 42.25 });
    expect(screen.getByRole('status').textContent).toContain('42.3 tokens/s');
    await view.rerender({ phase: 'waiting', tokensPerSecond: 42.25 });
    expect(screen.getByRole('status').textContent).not.toContain('tokens/s');
    expect(screen.getByRole('status').textContent).toContain('Waiting for server…');
  });

  it('rounds high speeds to whole tokens', () => {
    render(PhaseIndicator, { phase: 'generating', tokensPerSecond: 1234.56 });
    expect(screen.getByRole('status').textContent).toContain('1235 tokens/s');
  });
});

describe('PhaseIndicator while the model answers another request', () => {
  it('names the model the reply waits for', () => {
    render(PhaseIndicator, { phase: 'queued', model: 'gemma3:4b' });
    expect(screen.getByRole('status').textContent).toContain(
      'waiting: gemma3:4b is answering another request'
    );
  });
});
