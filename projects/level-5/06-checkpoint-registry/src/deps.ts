// Everything the tool takes from the outside world, passed in so a test can hand in its own:
// a file system that can crash at any operation, a fixed clock, a fake pid. The database is
// the one thing not in here: SQLite reads and writes the real disk itself, so tests give it a
// real temp folder and prove crash safety with real processes.
import type * as nodeFs from 'node:fs';

/** node:fs's sync API, for the plain files: the message log and the export. */
export type Fs = typeof nodeFs;

export interface Deps {
  fs: Fs;
  /** this process's id, written into the row it runs (the lock) */
  pid: number;
  /** whether the process that holds a row is still running */
  isAlive: (pid: number) => boolean;
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
