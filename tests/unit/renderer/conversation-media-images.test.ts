// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import {
  MAX_IMAGES,
  addImageFiles,
  dataUrl,
  sniffMime
} from '../../../renderer/src/components/conversation/image-files';

const PNG_HEADER = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('composer images', () => {
  it('reads files as bare base64, refuses non-images and stops at the limit', async () => {
    const png = new File([PNG_HEADER], 'a.png', { type: 'image/png' });
    const text = new File(['hi'], 'notes.txt', { type: 'text/plain' });
    const first = await addImageFiles([], [png, text]);
    expect(first.attachments).toHaveLength(1);
    expect(first.attachments[0]!.data).toBe(Buffer.from(PNG_HEADER).toString('base64'));
    expect(first.attachments[0]!.data.startsWith('data:')).toBe(false);
    expect(first.problem).toBe('notes.txt is not an image.');

    const full = Array.from({ length: MAX_IMAGES }, () => first.attachments[0]!);
    const over = await addImageFiles(full, [png]);
    expect(over.attachments).toHaveLength(MAX_IMAGES);
    expect(over.problem).toMatch(/At most 16 images/);
  });
  it('shows stored base64 with a sniffed type', () => {
    expect(sniffMime('iVBORw0KGgo')).toBe('image/png');
    expect(sniffMime('/9j/4AAQ')).toBe('image/jpeg');
    expect(dataUrl('/9j/4AAQ')).toBe('data:image/jpeg;base64,/9j/4AAQ');
  });
});
