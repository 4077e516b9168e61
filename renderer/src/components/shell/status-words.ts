/**
 * Words for a server's reachability, shared by the switcher, the palette and the servers screen, so
 * the dot's colour is never the only way to tell (screen readers and tests read the words).
 */
import type { Profile, ProfileStatus, ReachState, SecretLocation, ServerBusy } from '@shared/domain';
import { errorWords } from '../../lib/error-words';

export function reachWord(state: ReachState | undefined): string {
  return state ?? 'checking';
}

/**
 * The state in words, busy included: a server whose /api/ps waits for a load answers, so it is
 * "loading gemma3:4b…" (the models our requests wait for) or "busy", never "unreachable".
 */
export function statusWord(status: Pick<ProfileStatus, 'state' | 'busy'> | undefined): string {
  if (status?.state === 'reachable' && status.busy) return busyWords(status.busy);
  return reachWord(status?.state);
}

export function busyWords(busy: ServerBusy): string {
  return busy.loading.length > 0 ? `loading ${busy.loading.join(', ')}…` : 'busy';
}

/** A tooltip: address, version and latency, or why it is unreachable. */
export function statusTitle(profile: Profile, status: ProfileStatus | undefined): string {
  const parts = [profile.baseUrl];
  if (!status || status.state === 'checking') parts.push('checking…');
  else if (status.state === 'reachable') {
    if (status.busy) parts.push(busyWords(status.busy));
    if (status.version) parts.push(`Ollama ${status.version}`);
    if (status.latencyMs !== undefined) parts.push(`${Math.round(status.latencyMs)} ms`);
  } else parts.push(status.error ? `unreachable: ${errorWords(status.error).title}` : 'unreachable');
  return parts.join(' · ');
}

/** "box.local:11434" from "http://box.local:11434", for a compact line under a name. */
export function shortAddress(baseUrl: string): string {
  return baseUrl.replace(/^https?:\/\//, '');
}

/** Where a saved secret is, as its field's placeholder says it. */
export function secretPlaceholder(location: SecretLocation): string {
  if (location === 'keychain') return 'saved in the system keychain';
  if (location === 'encrypted-file') return "saved in an encrypted file (the system's encryption)";
  if (location === 'passphrase-file') return 'saved in a file locked by your passphrase';
  if (location === 'session') return 'kept for this session only';
  return '';
}

/** Where a new secret goes, after "Kept in" / "Secrets are kept in". */
export function secretBackendWords(location: SecretLocation | undefined): string {
  if (location === 'encrypted-file') return "an encrypted file (the system's encryption)";
  if (location === 'passphrase-file') return 'a file locked by your passphrase';
  if (location === 'session') return 'memory for this session only';
  return 'the system keychain';
}
