// Writing so that a crash or a power loss leaves the old file or the new one, never a mix:
// write a temp file, fsync it, rename it over the target, fsync the folder (G2, G6).
import { dirname } from 'node:path';
import type { Fs } from './deps.ts';
import { renameWithRetry } from './rename-with-retry.ts';

/** fsync a folder, so a rename or unlink inside it survives a power loss. */
export function syncDir(fs: Fs, dir: string, platform: NodeJS.Platform = process.platform): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeFileDurably(fs: Fs, path: string, bytes: Buffer | string, platform: NodeJS.Platform = process.platform): void {
  const temp = `${path}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    const all = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    // writeSync may write fewer bytes than asked (a disk filling up): keep going until all are in.
    for (let done = 0; done < all.length; ) done += fs.writeSync(fd, all, done, all.length - done);
    fs.fsyncSync(fd); // the bytes are on disk before the name points at them
  } catch (error) {
    fs.closeSync(fd);
    removeQuietly(fs, temp); // disk full mid-write: leave no half-written temp behind
    throw error;
  }
  fs.closeSync(fd);
  renameWithRetry(fs, temp, path, platform); // atomic: readers see the old file or the new one
  syncDir(fs, dirname(path), platform); // the rename itself survives a power loss
}

function removeQuietly(fs: Fs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // already gone, or the disk refuses even that: the next save overwrites it anyway
  }
}
