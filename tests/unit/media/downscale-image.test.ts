import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  MAX_IMAGE_SIDE,
  prepareImage,
  stripDataUrl
} from '../../../electron/main/core/media/downscale-image';

async function image(width: number, height: number, format: 'png' | 'jpeg' | 'webp', alpha = false) {
  const channels = alpha ? 4 : 3;
  const pipeline = sharp({
    create: { width, height, channels, background: { r: 200, g: 40, b: 40, alpha: alpha ? 0.5 : 1 } }
  });
  return (await pipeline[format]().toBuffer()).toString('base64');
}

describe('prepareImage', () => {
  it('passes a small PNG through unchanged, as bare base64', async () => {
    const small = await image(64, 48, 'png');
    expect(await prepareImage(small)).toBe(small);
    expect(await prepareImage(`data:image/png;base64,${small}`)).toBe(small);
  });

  it('scales a large photo down to the maximum side, keeping its aspect', async () => {
    const big = await image(4000, 3000, 'jpeg');
    const out = await prepareImage(big);
    expect(out.startsWith('data:')).toBe(false);
    const meta = await sharp(Buffer.from(out, 'base64')).metadata();
    expect(meta.width).toBe(MAX_IMAGE_SIDE);
    expect(meta.height).toBe(Math.round((MAX_IMAGE_SIDE * 3) / 4));
    expect(meta.format).toBe('jpeg');
  });

  it('keeps transparency as PNG and converts other formats', async () => {
    const translucent = await image(2000, 500, 'png', true);
    const meta = await sharp(Buffer.from(await prepareImage(translucent), 'base64')).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(MAX_IMAGE_SIDE);
    const webp = await image(100, 100, 'webp');
    const converted = await sharp(Buffer.from(await prepareImage(webp), 'base64')).metadata();
    expect(converted.format).toBe('jpeg');
  });

  it('refuses bytes that are not an image', async () => {
    await expect(prepareImage(Buffer.from('hello, not an image').toString('base64'))).rejects.toMatchObject({
      code: 'INVALID_INPUT'
    });
  });

  it('strips only a data URL prefix', () => {
    expect(stripDataUrl('data:image/png;base64,QUJD')).toBe('QUJD');
    expect(stripDataUrl('QUJD')).toBe('QUJD');
  });
});
