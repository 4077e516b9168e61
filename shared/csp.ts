/**
 * The renderer's Content-Security-Policy: no remote or inline scripts, no eval, no connections
 * beyond the app itself. The harness adds its own WebSocket origin; Vite's dev server adds its HMR.
 */
export function contentSecurityPolicy(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Svelte and highlight.js set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...extraConnect].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ');
}
