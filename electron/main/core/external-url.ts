/** Only plain web links leave the app, and only to the system browser. */
export function isExternalHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '';
  } catch {
    return false;
  }
}
