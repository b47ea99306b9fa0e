// Replace a file so that a crash leaves the old version or the new one, never a mix:
// write the new bytes to a temp file beside it, then rename the temp file over it. A rename
// within one folder is atomic: a reader sees the old name target or the new one (G2).
//
// The seed did the opposite: seek to 0, truncate, write. A crash between the truncate and the
// write leaves an empty file. Level 1 stops at the process crash: no fsync, so a power loss
// can still undo the rename or lose the bytes; level 2 adds the fsyncs (G6).
import type { Fs } from './deps.ts';
import { renameWithRetry } from './rename-with-retry.ts';

export function writeFileAtomically(fs: Fs, path: string, text: string, platform: NodeJS.Platform = process.platform): void {
  const temp = `${path}.tmp`;
  try {
    fs.writeFileSync(temp, text);
  } catch (error) {
    removeQuietly(fs, temp); // disk full mid-write: leave no half-written temp behind
    throw error;
  }
  renameWithRetry(fs, temp, path, platform);
}

function removeQuietly(fs: Fs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // already gone, or the disk refuses even that: the next save overwrites it, and a temp
    // file is never read as a checkpoint
  }
}
