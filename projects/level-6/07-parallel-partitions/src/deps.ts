// Everything the tool takes from the outside world, passed in so a test can hand in its own:
// an in-memory file system that can crash at any operation, a fixed clock, a fake pid, and
// the way partitions are run (real worker threads, or in this thread for the crash sweep).
import type * as nodeFs from 'node:fs';
import type { PartitionRunner } from './partition-task.ts';

/** node:fs's sync API: one call, one operation, easy to read and easy to crash in a test. */
export type Fs = typeof nodeFs;

export interface Deps {
  fs: Fs;
  /** this process's id, written into the lock */
  pid: number;
  /** whether the process that wrote a lock is still running */
  isAlive: (pid: number) => boolean;
  now: () => Date;
  /** one line to stderr; only the main thread logs (workers report events to it) */
  log: (line: string) => void;
  /** text to stdout */
  out: (text: string) => void;
  /** --simulate-crash: die at once, no cleanup (SIGKILL in project.ts) */
  crash: () => never;
  /** set by the SIGINT handler; every partition checks it after each saved checkpoint */
  interrupt: { requested: boolean };
  /**
   * Runs the partitions: on worker threads in project.ts (src/thread-runner.ts), in this
   * thread in the memfs tests (src/in-process-runner.ts). Both call the same processPartition().
   */
  runPartitions: PartitionRunner;
}
