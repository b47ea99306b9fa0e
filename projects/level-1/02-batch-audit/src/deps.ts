// Everything the tool takes from the outside world, passed in so a test can hand in its own:
// an in-memory file system that can crash at any operation, a fixed clock, a crash that
// does not kill the test runner. (Level 1 has no lock and no Ctrl+C handling, so it needs
// no pid and no interrupt flag; the levels that add them add them here.)
import type * as nodeFs from 'node:fs';

/** node:fs's sync API: one call, one operation, easy to read and easy to crash in a test. */
export type Fs = typeof nodeFs;

export interface Deps {
  fs: Fs;
  /** the clock, for the name of a checkpoint moved aside by --force */
  now: () => Date;
  /** one line to stderr */
  log: (line: string) => void;
  /** text to stdout */
  out: (text: string) => void;
  /** --simulate-crash: die at once, no cleanup (SIGKILL in project.ts) */
  crash: () => never;
}
