/** The num_ctx reload warning against loaded-model snapshots. */
import { describe, expect, it } from 'vitest';
import type { LoadedModel, LoadedSnapshot } from '../../../shared/domain';
import { numCtxWarnings, sameModel } from '../../../renderer/src/components/presets/num-ctx-warning';

function model(name: string, contextLength?: number): LoadedModel {
  return {
    name,
    size: 1,
    sizeVram: 1,
    expiresAt: '2030-01-01T00:00:00Z',
    details: {},
    ...(contextLength !== undefined ? { contextLength } : {})
  };
}

function snapshot(profileId: string, models: LoadedModel[], unloading: string[] = []): LoadedSnapshot {
  return { profileId, state: 'reachable', models, unloading, updatedAt: 1 };
}

const names: Record<string, string> = { p1: 'This computer', p2: 'Box' };
const nameOf = (id: string) => names[id];

describe('numCtxWarnings', () => {
  const snapshots = [
    snapshot('p1', [model('gemma3:4b', 8192), model('llama3.2:latest', 4096), model('qwen3:8b')]),
    snapshot('p2', [model('Gemma3:4b', 4096)])
  ];

  it('warns for the preset model loaded with another context length, on any server', () => {
    expect(numCtxWarnings({ model: 'gemma3:4b', numCtx: 4096 }, snapshots, nameOf)).toEqual([
      { profileId: 'p1', profileName: 'This computer', model: 'gemma3:4b', contextLength: 8192, numCtx: 4096 }
    ]);
    expect(
      numCtxWarnings({ model: 'gemma3:4b', numCtx: 2048 }, snapshots, nameOf).map((w) => w.profileName)
    ).toEqual(['This computer', 'Box']);
  });

  it('says nothing when num_ctx is not set or matches', () => {
    expect(numCtxWarnings({ model: 'gemma3:4b' }, snapshots, nameOf)).toEqual([]);
    expect(numCtxWarnings({ model: 'gemma3:4b', numCtx: 8192 }, [snapshots[0]!], nameOf)).toEqual([]);
    expect(numCtxWarnings({ model: 'other:1b', numCtx: 1 }, snapshots, nameOf)).toEqual([]);
  });

  it('without a model, checks every loaded model whose context length is known', () => {
    const found = numCtxWarnings({ model: '  ', numCtx: 4096 }, snapshots, nameOf);
    expect(found.map((w) => w.model)).toEqual(['gemma3:4b']);
  });

  it('ignores a model being unloaded, and names an unknown server', () => {
    expect(numCtxWarnings({ numCtx: 1 }, [snapshot('p1', [model('a', 2)], ['a'])], nameOf)).toEqual([]);
    expect(numCtxWarnings({ numCtx: 1 }, [snapshot('gone', [model('a', 2)])], nameOf)[0]?.profileName).toBe(
      'a server'
    );
  });

  it('matches names as Ollama does', () => {
    expect(sameModel('llama3.2', 'llama3.2:latest')).toBe(true);
    expect(sameModel('LLAMA3.2:latest', 'llama3.2')).toBe(true);
    expect(sameModel('registry.example/ns/llama3.2', 'registry.example/ns/llama3.2:latest')).toBe(true);
    expect(sameModel('llama3.2:1b', 'llama3.2')).toBe(false);
  });
});
