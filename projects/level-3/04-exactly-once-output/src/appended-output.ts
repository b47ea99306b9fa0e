// The output: one line appended per input line, the moment the line is processed. Bytes
// after the length the last checkpoint recorded belong to no checkpoint: a crash can leave
// them (a whole line or half of one), so a resume cuts them off and writes them again. That
// cut is what turns "appended, then checkpointed" into exactly once (G1); and since the file
// only grows, no batch ever rewrites what came before (G10).
import { dirname } from 'node:path';
import type { Fs } from './deps.ts';
import { syncDir } from './durable-write.ts';
import { CorruptCheckpointError } from './errors.ts';

/**
 * Before any write: the output must hold at least the bytes the checkpoint counts. Shorter
 * means lines that were counted are gone (edited, restored from an old copy, lost to a disk
 * that lied about fsync); appending after them would hide the hole, so refuse (exit 65).
 */
export function checkOutputLength(fs: Fs, path: string, recorded: number, checkpointPath: string): number {
  const size = fs.existsSync(path) ? fs.statSync(path).size : undefined;
  if (size === undefined && recorded > 0) {
    throw new CorruptCheckpointError(`Output ${path} is missing but checkpoint ${checkpointPath} counts ${recorded} bytes of it; restore the output or rerun with --force`);
  }
  if (size !== undefined && size < recorded) {
    throw new CorruptCheckpointError(
      `Output ${path} holds ${size} bytes, fewer than the ${recorded} checkpoint ${checkpointPath} counts; restore the output or rerun with --force`,
    );
  }
  return size ?? 0;
}

export class AppendedOutput {
  private constructor(
    private readonly fs: Fs,
    private readonly fd: number,
    /** bytes in the file: the next line goes here */
    public length: number,
    /** bytes cut off at the start: written after the last checkpoint (or with none), counted by none */
    readonly cut: number,
  ) {}

  /**
   * A fresh start: an empty output, whatever an earlier run left there. With no checkpoint,
   * nothing in it is counted: a first batch that never reached its checkpoint, or the output
   * of a finished run. Either way every line is written again, so none may stay.
   */
  static create(fs: Fs, path: string): AppendedOutput {
    const before = fs.existsSync(path) ? fs.statSync(path).size : 0;
    const fd = fs.openSync(path, 'w');
    syncDir(fs, dirname(path)); // the file's name survives a power loss before any checkpoint counts it
    return new AppendedOutput(fs, fd, 0, before);
  }

  /** A resume: cut the file back to what the checkpoint counted (checked by checkOutputLength). */
  static resume(fs: Fs, path: string, recorded: number, size: number): AppendedOutput {
    if (!fs.existsSync(path)) return AppendedOutput.create(fs, path); // recorded is 0 here
    const fd = fs.openSync(path, 'r+');
    if (size > recorded) fs.ftruncateSync(fd, recorded);
    return new AppendedOutput(fs, fd, recorded, size - recorded);
  }

  /** Append one line at the end (not yet durable: sync() does that before a checkpoint). */
  append(text: string): void {
    const bytes = Buffer.from(text);
    // writeSync may write fewer bytes than asked; keep going until all of them are in.
    for (let done = 0; done < bytes.length; ) {
      done += this.fs.writeSync(this.fd, bytes, done, bytes.length - done, this.length + done);
    }
    this.length += bytes.length;
  }

  /** fsync: every byte appended so far survives a power loss. Called before each checkpoint (G6). */
  sync(): void {
    this.fs.fsyncSync(this.fd);
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }
}
