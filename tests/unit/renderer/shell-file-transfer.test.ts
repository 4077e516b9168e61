// @vitest-environment jsdom
/** Exports leave as a Blob behind a temporary <a download>; imports are read as text with a size cap. */
import { Blob as NodeBlob } from 'node:buffer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FileTooLargeError,
  MAX_IMPORT_CHARS,
  readFileText,
  saveFile
} from '../../../renderer/src/lib/file-transfer';

/** jsdom's Blob has no text(): read it the old way. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

describe('saveFile', () => {
  afterEach(() => vi.restoreAllMocks());

  it('clicks a temporary download link to a blob holding the text, then removes it', async () => {
    const clicked: { href: string; download: string; inDocument: boolean }[] = [];
    const blobs = new Map<string, Blob>();
    let next = 0;
    // jsdom has no object URLs: record the Blob behind each one instead.
    URL.createObjectURL = (blob: Blob) => {
      const url = `blob:test/${++next}`;
      blobs.set(url, blob);
      return url;
    };
    URL.revokeObjectURL = (url: string) => void blobs.delete(url);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, inDocument: document.body.contains(this) });
    });

    saveFile({ filename: 'tides.md', mime: 'text/markdown', text: '# Tides\n\nquux' });

    expect(clicked).toEqual([{ href: 'blob:test/1', download: 'tides.md', inDocument: true }]);
    expect(document.querySelectorAll('a').length).toBe(0);
    const blob = blobs.get('blob:test/1')!;
    expect(blob.type).toBe('text/markdown');
    expect(await readBlob(blob)).toBe('# Tides\n\nquux');
  });
});

describe('readFileText', () => {
  it('reads UTF-8 text', async () => {
    // A Blob with text(), as Chromium's File has (jsdom's lacks it).
    const file = new NodeBlob([Buffer.from('{"a":"Grüße 😀"}', 'utf8')]);
    expect(await readFileText(file as unknown as Blob)).toBe('{"a":"Grüße 😀"}');
  });

  it('refuses a file too large for the contract before reading it', async () => {
    const huge = { size: MAX_IMPORT_CHARS * 4 + 1, text: () => Promise.reject(new Error('must not read')) };
    await expect(readFileText(huge as unknown as Blob)).rejects.toBeInstanceOf(FileTooLargeError);
  });
});
