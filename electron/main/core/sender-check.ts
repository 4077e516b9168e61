/**
 * Which IPC senders we answer: only the main frame of our own window, showing our own page.
 * A sub-frame, another window or a page that navigated elsewhere is refused.
 */
export interface SenderFacts {
  /** webContents id of the sender. */
  webContentsId: number;
  /** True when the sending frame is its webContents' main frame. */
  isMainFrame: boolean;
  /** URL of the sending frame. */
  frameUrl: string;
}

export function isTrustedSender(
  sender: SenderFacts,
  windowWebContentsId: number | null,
  appOrigins: string[]
): boolean {
  if (windowWebContentsId === null || sender.webContentsId !== windowWebContentsId) return false;
  if (!sender.isMainFrame) return false;
  let origin: string;
  try {
    const url = new URL(sender.frameUrl);
    origin = url.protocol === 'file:' ? 'file://' : `${url.protocol}//${url.host}`;
  } catch {
    return false;
  }
  return appOrigins.includes(origin);
}
