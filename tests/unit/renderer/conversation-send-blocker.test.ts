/**
 * Which model a chat gets on a server (chooseModel) and why Send is disabled (sendBlocker): the order of
 * the rules, embedding-only models, and a server that is down never read as "not on this server".
 */
import { describe, expect, it } from 'vitest';
import type { InstalledModel } from '../../../shared/domain';
import { canChat, chooseModel } from '../../../renderer/src/lib/state/model-choice';
import { sendBlocker } from '../../../renderer/src/components/conversation/send-blocker';

const model = (name: string, capabilities: string[] = ['completion']): InstalledModel => ({
  name,
  size: 1,
  modifiedAt: '2025-01-01T00:00:00Z',
  digest: name,
  details: {},
  capabilities
});
const embed = model('nomic-embed-text:latest', ['embedding']);
const list = [embed, model('phi3:mini'), model('llama3.2:latest'), model('old:1b', [])];

describe('chooseModel', () => {
  it('takes the first candidate the server has, by Ollama name rules', () => {
    expect(chooseModel(['gone:7b', 'llama3.2', 'phi3:mini'], list)).toBe('llama3.2:latest');
    expect(chooseModel(['PHI3:mini'], list)).toBe('phi3:mini');
  });
  it('else the first model that can chat (never an embedding model, even if named)', () => {
    expect(chooseModel([undefined, '', 'nomic-embed-text'], list)).toBe('phi3:mini');
    expect(chooseModel([], [embed])).toBe('');
  });
  it('keeps the first candidate when the list cannot be read', () => {
    expect(chooseModel([undefined, 'phi3:mini', 'x'], null)).toBe('phi3:mini');
    expect(chooseModel([], null)).toBe('');
  });
  it('gives models without capability facts (old servers) the benefit', () => {
    expect(canChat(model('old:1b', []))).toBe(true);
    expect(canChat(embed)).toBe(false);
    expect(canChat(model('both', ['embedding', 'completion']))).toBe(true);
  });
});

describe('sendBlocker', () => {
  const base = { model: 'phi3:mini', state: 'reachable' as const, listed: list, failure: null };
  it('lets a model the server has and can chat with through', () => {
    expect(sendBlocker(base)).toBeNull();
    // Unknown yet (the list is on its way): not blocked.
    expect(sendBlocker({ ...base, listed: null })).toBeNull();
  });
  it('names a missing model, an embedding model, no model and no models at all', () => {
    expect(sendBlocker({ ...base, model: 'qwen3:8b' })).toEqual({ kind: 'missing', model: 'qwen3:8b' });
    expect(sendBlocker({ ...base, model: 'nomic-embed-text' })).toEqual({
      kind: 'cannot-chat',
      model: 'nomic-embed-text:latest'
    });
    expect(sendBlocker({ ...base, model: '' })).toEqual({ kind: 'no-model' });
    expect(sendBlocker({ ...base, model: '', listed: [] })).toEqual({ kind: 'no-models' });
  });
  it('a server that is down is "down", never "missing"', () => {
    expect(sendBlocker({ ...base, state: 'unreachable', listed: null })).toEqual({ kind: 'down' });
    expect(
      sendBlocker({ ...base, listed: null, failure: { code: 'CONNECTION_REFUSED', message: 'refused' } })
    ).toEqual({ kind: 'down' });
    const auth = { code: 'AUTH_REQUIRED' as const, message: '401' };
    expect(sendBlocker({ ...base, listed: null, failure: auth })).toEqual({ kind: 'down', error: auth });
  });
});
