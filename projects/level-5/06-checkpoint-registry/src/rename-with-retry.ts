// rename() is the atomic step of every replace and every move-aside, and on Windows it is
// the one step that can fail for a moment. On Linux and macOS a rename goes through whoever
// has the file open. On Windows it fails with EPERM, EACCES or EBUSY while another program
// holds the file open: a virus scanner or the search indexer looking at the file just
// written, usually for a few milliseconds. That is not a real permission problem, so on
// Windows the rename is tried again after a short pause, for about a second in all (npm's
// graceful-fs retries too, for up to a minute; a second covers a scanner and does not let a
// rename that stays refused hang the run). Anywhere else, and on Windows after the last try,
// the error is real and is reported (exit 74). A retry is the same atomic rename again: a
// crash during a pause leaves the old file or the new one, as before.
import type { Fs } from './deps.ts';

/** The pauses between tries on Windows, in ms: 1.27 s in all before the error is reported. */
export const RENAME_RETRY_DELAYS_MS = [10, 20, 40, 80, 160, 320, 640];

const BUSY_ON_WINDOWS = new Set(['EPERM', 'EACCES', 'EBUSY']);

export function renameWithRetry(
  fs: Fs,
  from: string,
  to: string,
  platform: NodeJS.Platform = process.platform,
  sleep: (ms: number) => void = sleepSync,
): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const busy = platform === 'win32' && BUSY_ON_WINDOWS.has(code);
      if (!busy || attempt >= RENAME_RETRY_DELAYS_MS.length) throw error;
      sleep(RENAME_RETRY_DELAYS_MS[attempt]!);
    }
  }
}

/** Pause this thread: the tools do one sync file operation at a time, so there is nothing else to run meanwhile. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
