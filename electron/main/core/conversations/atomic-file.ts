/**
 * Crash-safe file replacement: write a temp file next to the target, fsync it, rename it over the
 * target, then fsync the directory. A kill at any moment leaves either the old or the new file whole.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Marker in temp file names, so a store can sweep leftovers of a killed write at open. */
export const TEMP_MARK = '.tmp-';

let counter = 0;

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  counter += 1;
  const temp = join(dirname(path), `${basename(path)}${TEMP_MARK}${process.pid}-${counter}`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDir(dirname(path));
}

/** Makes the rename itself durable; not possible on every platform (Windows), so best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened or fsynced everywhere; the rename is still atomic.
  }
}
