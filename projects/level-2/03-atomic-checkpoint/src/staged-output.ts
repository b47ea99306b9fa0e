// The staged output of one source: data/staging/source=<name>/records.jsonl, one JSON line per
// staged record, appended batch by batch. The checkpoint's processed_count says how many lines
// count; a crash between appending a batch and saving its checkpoint leaves more lines than
// that, and a resume cuts them off before redoing the batch (G1). Fewer lines than counted
// means records were lost, and the run refuses to go on.
import { dirname } from 'node:path';
import type { Fs } from './deps.ts';
import { syncDir } from './durable-write.ts';
import { OutputError, StagedOutputError } from './errors.ts';

export const STAGED_NAME = 'records.jsonl';

export interface StagedPlan {
  path: string;
  /** the bytes that hold the first `count` records: everything after is cut off */
  keepBytes: number;
  /** the bytes a crash left after them (0 when the file ends where the checkpoint says) */
  extraBytes: number;
  /** lines after the kept ones (a torn last line counts as one) */
  extraLines: number;
}

/** Read-only check, before anything is written: where the staged file must be cut to hold `count` records. */
export function planStaged(fs: Fs, path: string, count: number, checkpointPath: string): StagedPlan {
  if (!fs.existsSync(path)) {
    if (count > 0) {
      throw new StagedOutputError(
        `Staged output ${path} is missing but checkpoint ${checkpointPath} counts ${count} staged records; they are lost, rerun with --force to redo this source`,
      );
    }
    return { path, keepBytes: 0, extraBytes: 0, extraLines: 0 };
  }
  if (fs.statSync(path).isDirectory()) {
    throw new OutputError(`Staged output ${path} is a folder, not a file; move it aside and rerun`);
  }
  const bytes = fs.readFileSync(path) as Buffer;
  let keepBytes = 0;
  for (let found = 0; found < count; found++) {
    const nl = bytes.indexOf(0x0a, keepBytes);
    if (nl === -1) {
      throw new StagedOutputError(
        `Staged output ${path} holds ${found} complete records but checkpoint ${checkpointPath} counts ${count}; records were lost, rerun with --force to redo this source`,
      );
    }
    keepBytes = nl + 1;
  }
  const extra = bytes.subarray(keepBytes);
  const newlines = extra.filter((b) => b === 0x0a).length;
  const extraLines = newlines + (extra.length > 0 && extra.at(-1) !== 0x0a ? 1 : 0);
  return { path, keepBytes, extraBytes: extra.length, extraLines };
}

export class StagedOutput {
  private constructor(
    private readonly fs: Fs,
    private readonly fd: number,
  ) {}

  /** Open for appending, cut off what no checkpoint counted, and make both the cut and the name durable. */
  static open(fs: Fs, plan: StagedPlan): StagedOutput {
    const created = !fs.existsSync(plan.path);
    const fd = fs.openSync(plan.path, 'a');
    const staged = new StagedOutput(fs, fd);
    if (plan.extraBytes > 0) {
      fs.ftruncateSync(fd, plan.keepBytes);
      fs.fsyncSync(fd);
    }
    if (created) syncDir(fs, dirname(plan.path)); // the new file's name survives a power loss
    return staged;
  }

  /** Append one batch and make it durable before any checkpoint counts it (G6). */
  appendDurably(lines: string): void {
    if (lines === '') return; // every record of the batch was dropped: nothing to stage
    const bytes = Buffer.from(lines);
    // writeSync may write fewer bytes than asked; keep going until all of them are in.
    for (let done = 0; done < bytes.length; ) done += this.fs.writeSync(this.fd, bytes, done, bytes.length - done);
    this.fs.fsyncSync(this.fd);
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }
}
