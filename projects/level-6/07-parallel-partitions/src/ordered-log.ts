// The terminal shows each partition's lines as one block, partition 0 first, then 1, ... On
// worker threads the partitions report in whatever order the scheduler gives, different on
// every run; printing them as they come would make every log different. So the lines of
// partition 0 are printed as they arrive, and a later partition's lines wait until every
// partition before it is finished: the same rule as the merge (index order, never
// completion order), applied to the log.
export class OrderedLog {
  private readonly pending: string[][];
  private readonly finished: boolean[];
  /** the partition whose lines are printed as they arrive */
  private current = 0;

  constructor(
    partitions: number,
    private readonly log: (line: string) => void,
  ) {
    this.pending = Array.from({ length: partitions }, () => []);
    this.finished = Array.from({ length: partitions }, () => false);
  }

  line(partition: number, text: string): void {
    if (partition === this.current) this.log(text);
    else this.pending[partition]!.push(text);
  }

  /** This partition has nothing more to say: move on to the next one that is not finished. */
  finish(partition: number): void {
    this.finished[partition] = true;
    while (this.current < this.finished.length && this.finished[this.current]) {
      this.current++;
      this.flush(this.current);
    }
  }

  /** Print everything held back, in partition order (before stopping early: Ctrl+C, an error, a crash). */
  flushAll(): void {
    for (let p = this.current; p < this.pending.length; p++) this.flush(p);
  }

  private flush(partition: number): void {
    const lines = this.pending[partition];
    if (!lines) return;
    for (const text of lines.splice(0)) this.log(text);
  }
}
