/**
 * Model name equality as Ollama sees it: case does not matter and a missing tag means `latest`
 * (ollama-api.md §1), so "Llama3.2" clicked in the window is the "llama3.2:latest" that /api/ps lists.
 * The same rule as electron/main/core/models/model-name.ts, which the renderer may not import.
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
