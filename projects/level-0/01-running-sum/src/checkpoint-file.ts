// The checkpoint on disk: load (and check), save (atomically), clear, move aside.
import { writeFileAtomically } from './atomic-write.ts';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint.ts';
import type { Deps } from './deps.ts';
import { CorruptCheckpointError, ioError } from './errors.ts';
import type { InputFingerprint } from './fingerprint.ts';
import { renameWithRetry } from './rename-with-retry.ts';

export interface InputFacts {
  path: string;
  fingerprint: InputFingerprint;
}

/** The checkpoint to resume from, or undefined when there is none. Throws on anything doubtful. */
export function loadCheckpoint(deps: Deps, path: string, input: InputFacts): Checkpoint | undefined {
  // Only a missing file means "no checkpoint". An empty or broken one is an error (G3):
  // taking it as zero would silently sum everything again.
  if (!deps.fs.existsSync(path)) return undefined;
  let text: string;
  try {
    text = deps.fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw ioError(`Could not read checkpoint ${path}`, error, 'nothing was changed');
  }
  const cp = parseCheckpoint(text, path, input);
  if (!atLineStart(deps, input, cp.offset)) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} has offset ${cp.offset}, which is not the start of a line of ${input.path}; move it aside or rerun with --force to start over`,
    );
  }
  return cp;
}

/** An offset is a place to resume only if a line starts there (or the file ends there). */
function atLineStart(deps: Deps, input: InputFacts, offset: number): boolean {
  if (offset === 0 || offset === input.fingerprint.size) return true;
  const byte = Buffer.alloc(1);
  const fd = deps.fs.openSync(input.path, 'r');
  try {
    deps.fs.readSync(fd, byte, 0, 1, offset - 1);
  } finally {
    deps.fs.closeSync(fd);
  }
  return byte[0] === 0x0a;
}

/** Offset and sum together, in one atomic replace. A failure keeps the previous checkpoint. */
export function saveCheckpoint(deps: Deps, path: string, cp: Checkpoint): void {
  try {
    writeFileAtomically(deps.fs, path, [formatCheckpoint(cp)]);
  } catch (error) {
    throw ioError(`Could not save checkpoint ${path}`, error, 'the previous checkpoint is kept');
  }
}

/** A finished run leaves no checkpoint: the next run starts a new sum. */
export function clearCheckpoint(deps: Deps, path: string): void {
  try {
    if (deps.fs.existsSync(path)) deps.fs.unlinkSync(path);
  } catch (error) {
    throw ioError(`Could not remove checkpoint ${path} after writing the output`, error, 'the output is complete');
  }
}

/** --force: start over, but never delete progress silently; the old file is kept beside it. */
export function moveCheckpointAside(deps: Deps, path: string): string | undefined {
  if (!deps.fs.existsSync(path)) return undefined;
  const stamp = deps.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let backup = `${path}.bak-${stamp}`;
  for (let n = 2; deps.fs.existsSync(backup); n++) backup = `${path}.bak-${stamp}-${n}`;
  try {
    renameWithRetry(deps.fs, path, backup);
  } catch (error) {
    throw ioError(`Could not move checkpoint ${path} aside`, error, 'nothing was changed');
  }
  return backup;
}
