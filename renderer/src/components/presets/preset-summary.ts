/** Short facts about a preset for its row in the list: model, options, format, keep_alive. */
import type { Preset } from '@shared/domain';
import { describeKeepAlive } from './keep-alive';

export function presetFacts(preset: Preset): string[] {
  const facts: string[] = [];
  if (preset.model) facts.push(preset.model);
  for (const [key, value] of Object.entries(preset.options ?? {})) {
    if (value === undefined) continue;
    if (key === 'stop') {
      const count = (value as string[]).length;
      facts.push(count === 1 ? '1 stop sequence' : `${count} stop sequences`);
    } else facts.push(`${key} ${String(value)}`);
  }
  if (preset.format === 'json') facts.push('JSON');
  else if (preset.format !== undefined) facts.push('JSON schema');
  const keep = describeKeepAlive(preset.keepAlive);
  if (keep) facts.push(keep);
  return facts;
}

/** The first line of the system prompt, or words saying there is none. */
export function systemExcerpt(system: string): string {
  const first = system.trim().split('\n')[0] ?? '';
  return first === '' ? 'No system prompt.' : first;
}
