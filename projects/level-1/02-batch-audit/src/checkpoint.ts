// The checkpoint, in the seed's format: one integer in a text file, the index of the next
// post to audit (posts before it are done and their rows are in the results file).
// Everything read back is checked; nothing is guessed (G3). The seed read an empty file as 0
// and silently started over; here an empty file is as corrupt as any other non-integer.
import type { Fs } from './deps.ts';
import { writeFileAtomically } from './atomic-write.ts';
import { CorruptCheckpointError } from './errors.ts';
import { renameWithRetry } from './rename-with-retry.ts';

const FIX = 'move it aside or rerun with --force';

/** The index of the next post, or undefined when there is no checkpoint (a fresh start). */
export function loadCheckpoint(fs: Fs, path: string, total: number, inputPath: string): number | undefined {
  if (!fs.existsSync(path)) return undefined;
  const content = fs.readFileSync(path, 'utf8').trim(); // "20\n", as `echo 20 > file` writes it, is fine
  if (!/^-?[0-9]+$/.test(content)) {
    // The seed's message, word for word, then what to do.
    const empty = content === '' ? ' (the file is empty)' : '';
    throw new CorruptCheckpointError(`Corrupted checkpoint file ${path}: expected integer, got '${shown(content)}'${empty}; ${FIX}`);
  }
  if (content.startsWith('-')) {
    throw new CorruptCheckpointError(`Checkpoint ${path} holds ${content}, a negative index; ${FIX}`);
  }
  const index = Number(content);
  if (!Number.isSafeInteger(index) || index > total) {
    throw new CorruptCheckpointError(`Checkpoint ${path} index ${content} exceeds the ${total} posts in ${inputPath}; ${FIX}`);
  }
  return index;
}

/** Save atomically: a crash leaves the old checkpoint or this one, never an empty file (G2). */
export function saveCheckpoint(fs: Fs, path: string, index: number): void {
  writeFileAtomically(fs, path, `${index}\n`);
}

/** --force: keep an old file for inspection under a new name; never delete it silently. */
export function moveAside(fs: Fs, path: string, now: Date): string | undefined {
  if (!fs.existsSync(path)) return undefined;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${path}.bak-${stamp}`;
  for (let n = 2; fs.existsSync(aside); n++) aside = `${path}.bak-${stamp}-${n}`; // two --force runs in one second
  renameWithRetry(fs, path, aside);
  return aside;
}

/** What the file held, fit for a one-line message: line breaks shown as \n, long text cut. */
function shown(content: string): string {
  const one = content.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return one.length > 40 ? `${one.slice(0, 40)}...` : one;
}
