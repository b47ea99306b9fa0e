// The one place where errors become exit codes (the course-wide table in COURSE.md).
import { CorruptCheckpointError, FlagMismatchError, InputError, IoError, LockHeldError, OutputError, UsageError } from './errors.ts';

export const EXIT = {
  ok: 0,
  bug: 1,
  usage: 2,
  badData: 65,
  noInput: 66,
  cannotCreate: 73,
  ioError: 74,
  locked: 75,
  interrupted: 130,
  crashed: 137,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof FlagMismatchError) return EXIT.usage;
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CorruptCheckpointError) return EXIT.badData;
  if (error instanceof InputError) return EXIT.noInput;
  if (error instanceof OutputError) return EXIT.cannotCreate;
  if (error instanceof IoError) return EXIT.ioError;
  if (error instanceof LockHeldError) return EXIT.locked;
  return EXIT.bug;
}
