/** The presets the app ships with. Users may edit or delete them; restoreBuiltIns brings these back. */
import { BUILT_IN_PRESET_IDS, type Preset } from '@shared/domain';

type BuiltInId = (typeof BUILT_IN_PRESET_IDS)[number];

const SHIPPED: Record<BuiltInId, Omit<Preset, 'id' | 'builtIn'>> = {
  'builtin-helpful': {
    name: 'Helpful assistant',
    system: 'You are a helpful assistant.'
  },
  'builtin-two-sentences': {
    name: 'Two sentences at a time',
    system: 'You are a helpful assistant yet you can only respond two sentences at a time.'
  },
  'builtin-json': {
    name: 'Answer in JSON',
    system:
      'You are a helpful assistant yet you can only respond two sentences at a time. Always respond in json format.',
    format: 'json'
  }
};

/** Fresh copies of the built-ins as shipped, in their display order. */
export function builtInPresets(): Preset[] {
  return BUILT_IN_PRESET_IDS.map((id) => ({ id, ...structuredClone(SHIPPED[id]), builtIn: true }));
}

export function isBuiltInId(id: string): id is BuiltInId {
  return (BUILT_IN_PRESET_IDS as readonly string[]).includes(id);
}
