// Tiny named errors, one per row of the course's exit-code table. They carry a one-line
// message (what went wrong, which file, what to do); src/exit-codes.ts turns them into codes.

/** Bad or missing flags or arguments, or a checkpoint id that cannot be resumed (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The registry or a checkpoint row in it is corrupt, foreign or from a newer tool (exit 65). */
export class CorruptCheckpointError extends Error {
  override name = 'CorruptCheckpointError';
}

/** A line of the message log cannot be used (exit 65): mining half a log would be a guess. */
export class BadInputError extends Error {
  override name = 'BadInputError';
}

/** The message log is missing or unreadable (exit 66). */
export class InputError extends Error {
  override name = 'InputError';
}

/** The export or the database cannot be created (exit 73). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** An I/O error while running: disk full, permission lost, fsync failed (exit 74). */
export class IoError extends Error {
  override name = 'IoError';
}

/** Another live run holds the checkpoint row, or the database is locked (exit 75). */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

/** The errno codes that mean "the disk or the permissions failed us", not "the code has a bug". */
export function isIoFailure(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EIO', 'EROFS', 'EBUSY', 'EMFILE'].includes(code);
}

/** The first line of an error's message: every message this tool prints is one line. */
export function oneLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}
