// The one place where errors become exit codes (the course table, COURSE.md section 3).
// Level 0 has no lock (75) and no SIGINT handling (130); 137 is not returned by anything:
// it is what the shell reports when --simulate-crash kills the process with SIGKILL.
import { BadRecordError, CorruptCheckpointError, InputError, IoError, OutputError, UsageError } from './errors.ts';

export const EXIT = {
  ok: 0,
  bug: 1,
  usage: 2,
  dataErr: 65,
  noInput: 66,
  cantCreate: 73,
  ioErr: 74,
  crashed: 137,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CorruptCheckpointError || error instanceof BadRecordError) return EXIT.dataErr;
  if (error instanceof InputError) return EXIT.noInput;
  if (error instanceof OutputError) return EXIT.cantCreate;
  if (error instanceof IoError) return EXIT.ioErr;
  return EXIT.bug;
}

/** What the user sees on stderr: the one-line message, plus the stack for a bug. */
export function describeError(error: unknown): string {
  if (exitCodeFor(error) !== EXIT.bug) return `Error: ${(error as Error).message}`;
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `Unexpected internal error (a bug, please report it): ${stack}`;
}
