/**
 * Whether a server's address is this computer (loopback) or another machine, so the help for a dead
 * server speaks of starting Ollama here or of reaching a box on the network. baseUrl is main's
 * normalized form (scheme://host:port), so the host is plain to read.
 */
export function isThisComputer(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}
