/**
 * Images for the composer: files read as bare base64 (Ollama wants no data: prefix), checked against
 * chat:send's limits (16 images, 20 MB of base64 each), and shown again as data: URLs.
 */
export const MAX_IMAGES = 16;
export const MAX_IMAGE_BASE64 = 20_000_000;

export interface Attachment {
  /** Bare base64. */
  data: string;
  mime: string;
  name: string;
}

/** Reads one file as bare base64 (FileReader gives a data: URL; the part after the comma is kept). */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

/** Adds image files to the attachments, within the limits; says what was left out and why. */
export async function addImageFiles(
  current: Attachment[],
  files: Iterable<File>
): Promise<{ attachments: Attachment[]; problem: string | null }> {
  const next = [...current];
  const problems: string[] = [];
  for (const file of files) {
    if (!file.type.startsWith('image/')) {
      problems.push(`${file.name || 'That file'} is not an image.`);
      continue;
    }
    if (next.length >= MAX_IMAGES) {
      problems.push(`At most ${MAX_IMAGES} images per message.`);
      break;
    }
    const data = await readAsBase64(file);
    if (data.length > MAX_IMAGE_BASE64) {
      problems.push(
        `${file.name || 'The image'} is too large (at most 20 MB once encoded; about 15 MB of file).`
      );
      continue;
    }
    next.push({ data, mime: file.type, name: file.name || 'pasted image' });
  }
  return { attachments: next, problem: problems.length > 0 ? problems.join(' ') : null };
}

/** Guesses the type of stored bare base64 from its first bytes (messages keep no mime type). */
export function sniffMime(base64: string): string {
  if (base64.startsWith('/9j/')) return 'image/jpeg';
  if (base64.startsWith('iVBOR')) return 'image/png';
  if (base64.startsWith('R0lG')) return 'image/gif';
  if (base64.startsWith('UklG')) return 'image/webp';
  return 'image/png';
}

export function dataUrl(base64: string, mime = sniffMime(base64)): string {
  return `data:${mime};base64,${base64}`;
}
