// Each partition appends its results, one JSON line per item, to its own staged file. Its
// checkpoint records the file's length, so a resume cuts off whatever a crash left after the
// last checkpoint, and no batch ever rewrites earlier results (G1, G10).
import type { Fs } from './deps.ts';

export class StagedResults {
  private constructor(
    private readonly fs: Fs,
    private readonly fd: number,
    /** bytes that count: everything after this is from a batch no checkpoint recorded */
    public length: number,
  ) {}

  /** A fresh partition: an empty staged file, whatever an earlier attempt left there. */
  static create(fs: Fs, path: string): StagedResults {
    return new StagedResults(fs, fs.openSync(path, 'w'), 0);
  }

  /**
   * A resumed partition: cut the file back to what its checkpoint counted. (The main thread
   * has already checked the file holds at least that much, before the run wrote anything.)
   */
  static resume(fs: Fs, path: string, recorded: number): StagedResults {
    const fd = fs.openSync(path, 'r+');
    if (fs.fstatSync(fd).size > recorded) fs.ftruncateSync(fd, recorded); // a batch that crashed before its checkpoint
    return new StagedResults(fs, fd, recorded);
  }

  /** Append one batch and make it durable before any checkpoint counts it (G6). */
  appendDurably(lines: string): void {
    const bytes = Buffer.from(lines);
    // writeSync may write fewer bytes than asked; keep going until all of them are in.
    for (let done = 0; done < bytes.length; ) {
      done += this.fs.writeSync(this.fd, bytes, done, bytes.length - done, this.length + done);
    }
    this.fs.fsyncSync(this.fd);
    this.length += bytes.length;
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }
}
