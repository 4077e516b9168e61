/**
 * Images for vision models, prepared in main before they are sent and stored: a `data:` prefix is
 * stripped (Ollama rejects it: ollama-api.md §4), the bytes must really be an image, and a large one
 * is scaled down so a phone photo does not cost megabytes of base64 per request. sharp does the work.
 */
import sharp from 'sharp';
import { AppError } from '@shared/errors';

/** Longest side after scaling; vision encoders work at or below this. */
export const MAX_IMAGE_SIDE = 1568;
/** Images already this small (and within MAX_IMAGE_SIDE) are passed through untouched. */
const PASS_THROUGH_BYTES = 1_000_000;

export function stripDataUrl(image: string): string {
  const comma = image.startsWith('data:') ? image.indexOf(',') : -1;
  return comma >= 0 ? image.slice(comma + 1) : image;
}

export async function prepareImage(image: string): Promise<string> {
  const base64 = stripDataUrl(image).replace(/\s+/g, '');
  const bytes = Buffer.from(base64, 'base64');
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw new AppError('INVALID_INPUT', 'That attachment is not an image this app can read');
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) throw new AppError('INVALID_INPUT', 'That image has no size');
  const small = Math.max(width, height) <= MAX_IMAGE_SIDE && bytes.length <= PASS_THROUGH_BYTES;
  if (small && (meta.format === 'png' || meta.format === 'jpeg')) return bytes.toString('base64');

  const resized = sharp(bytes)
    .rotate() // honour EXIF orientation before dropping the metadata
    .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
  const output = meta.hasAlpha
    ? await resized.png({ compressionLevel: 9 }).toBuffer()
    : await resized.jpeg({ quality: 85 }).toBuffer();
  return output.toString('base64');
}
