// Everything the tool takes from the outside world, so a test can hand in its own:
// the kit's recording file system instead of the disk, a fixed clock, captured logs,
// and a crash that snapshots a memory volume instead of killing the test runner.
// Level 0 has no lock and no Ctrl+C handling, so there is no pid, isAlive or interrupt here:
// level 2 adds the interrupt, level 4 the lock.
import type * as nodeFs from 'node:fs';

export interface Deps {
  /** node:fs's sync API (the real one in project.ts, the kit's recording fs in tests) */
  fs: typeof nodeFs;
  /** the clock, for the --force backup name and a default --seed */
  now: () => Date;
  /** one line to stderr */
  log: (line: string) => void;
  /** text to stdout (the JSON summary, --help, --version) */
  out: (text: string) => void;
  /** what --simulate-crash calls: in project.ts, SIGKILL to this very process */
  crash: () => never;
}
