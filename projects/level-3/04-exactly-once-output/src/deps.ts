// Everything the tool takes from the outside world, passed in so a test can hand in its own:
// an in-memory file system that can crash at any operation, a clock it controls.
import type * as nodeFs from 'node:fs';

/** node:fs's sync API: one call, one operation, easy to read and easy to crash in a test. */
export type Fs = typeof nodeFs;

export interface Deps {
  fs: Fs;
  /** the clock: --checkpoint-every-ms reads it, and --force stamps the name of the moved checkpoint */
  now: () => Date;
  /** one line to stderr */
  log: (line: string) => void;
  /** text to stdout */
  out: (text: string) => void;
  /** --simulate-crash: die at once, no cleanup (SIGKILL in project.ts) */
  crash: () => never;
  /** set by the SIGINT handler; the run checks it after each saved checkpoint */
  interrupt: { requested: boolean };
}
