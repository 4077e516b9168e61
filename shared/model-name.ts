/**
 * Model name equality as Ollama sees it: lookups ignore case and a missing tag means `latest`
 * (ollama-api.md §1), so "llama3.2" asked by the user is "llama3.2:latest" listed by /api/ps.
 */
export function normalizeModelName(name: string): string {
  const lower = name.trim().toLowerCase();
  // A ':' after the last '/' is a tag; one before it would be a registry port (host:port/m).
  const slash = lower.lastIndexOf('/');
  return lower.indexOf(':', slash + 1) >= 0 ? lower : `${lower}:latest`;
}

export function sameModel(a: string, b: string): boolean {
  return normalizeModelName(a) === normalizeModelName(b);
}
