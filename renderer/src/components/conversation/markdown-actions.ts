/** What clicks inside rendered markdown do in this app: open links outside, copy code. */
import { tryCall } from '../../lib/api';
import type { MarkdownActions } from '../../lib/markdown/interactions';
import { copyText } from './clipboard';

export const markdownActions: MarkdownActions = {
  openExternal(url: string) {
    void tryCall('app:openExternal', { url });
  },
  copy: copyText
};
