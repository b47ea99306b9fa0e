// Temp file, then rename: the way to replace a file so that a crash leaves either the old
// version or the new one, never a mix (G2). rename() over an existing name is atomic on
// POSIX file systems; a write in place is not (seed 003 wrote its checkpoint in place, and an
// interrupted write left a file that no longer parsed).
//
// Level 0 stops here: without fsync the new bytes may still be lost in a power cut, though
// not in a process crash. Level 2 adds the fsync of the file and of its folder.
import type { Deps } from './deps.ts';
import { renameWithRetry } from './rename-with-retry.ts';

/** The one temp name per target, so a leftover from an interrupted save can be found and removed. */
export function tempPathOf(path: string): string {
  return `${path}.tmp`;
}

/** Write `chunks` to `<path>.tmp`, then rename it over `path`. Errors are the raw fs ones. */
export function writeFileAtomically(fs: Deps['fs'], path: string, chunks: Iterable<string>, platform: NodeJS.Platform = process.platform): number {
  const temp = tempPathOf(path);
  let bytes = 0;
  try {
    const fd = fs.openSync(temp, 'w');
    try {
      for (const chunk of chunks) bytes += fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    renameWithRetry(fs, temp, path, platform);
    return bytes;
  } catch (error) {
    // A failed save must not leave a half-written temp file behind (a real crash can,
    // which is why a run also removes leftovers when it starts).
    try {
      if (fs.existsSync(temp)) fs.unlinkSync(temp);
    } catch {
      // the original error is the one worth reporting
    }
    throw error;
  }
}

/** Remove a temp file an interrupted save left behind; it is never read as data. */
export function removeLeftoverTemp(deps: Deps, path: string): void {
  const temp = tempPathOf(path);
  if (!deps.fs.existsSync(temp)) return;
  deps.fs.unlinkSync(temp);
  deps.log(`Removed leftover temp file ${temp} (a save was cut off; it was never used)`);
}
