/**
 * Files in and out of the renderer without touching the disk ourselves: an export is handed to the
 * browser (or Electron's download handler) as a Blob behind a temporary `<a download>`; an import is
 * read from the `<input type=file>` the user picked. Main only ever sees text.
 */
import type { FileExport } from '@shared/domain';

/** The contract's limit for an imported file's text. */
export const MAX_IMPORT_CHARS = 50_000_000;

export function saveFile(file: FileExport, doc: Document = document): void {
  const blob = new Blob([file.text], { type: file.mime || 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const link = doc.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.rel = 'noopener';
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has read the blob by the time a user could notice; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export class FileTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`The file is too large (${size} bytes)`);
  }
}

/** Reads a picked file as UTF-8 text; refuses files over the contract's limit before reading them. */
export async function readFileText(file: Blob): Promise<string> {
  // UTF-8 is at least one byte per character, so a file this large cannot fit once decoded either.
  if (file.size > MAX_IMPORT_CHARS * 4) throw new FileTooLargeError(file.size);
  const text = await file.text();
  if (text.length > MAX_IMPORT_CHARS) throw new FileTooLargeError(file.size);
  return text;
}
