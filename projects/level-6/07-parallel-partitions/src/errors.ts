// Tiny named errors, one per row of the course's exit-code table. They carry a one-line
// message (what went wrong, which file, what to do); src/exit-codes.ts turns them into codes.

/** Bad or missing flags (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A flag that does not fit the run it would resume, such as another --partitions (exit 2). */
export class FlagMismatchError extends UsageError {
  override name = 'FlagMismatchError';
}

/** The checkpoint is corrupt, foreign or from a newer tool (exit 65). */
export class CorruptCheckpointError extends Error {
  override name = 'CorruptCheckpointError';
}

/** The input is missing or unreadable (exit 66). */
export class InputError extends Error {
  override name = 'InputError';
}

/** The output (or a file the run needs beside it) cannot be created (exit 73). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** An I/O error while running: disk full, permission lost, fsync failed (exit 74). */
export class IoError extends Error {
  override name = 'IoError';
}

/** Another run holds the lock (exit 75). */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
}

/** One item the tool cannot process; recorded with its reason, never fatal to the batch. */
export class BadItemError extends Error {
  override name = 'BadItemError';
}

/** The errno codes that mean "the disk or the permissions failed us", not "the code has a bug". */
export function isIoFailure(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EIO', 'EROFS', 'EBUSY', 'EMFILE'].includes(code);
}

/** Disk full, permission lost or a failed fsync while running: exit 74, the checkpoint not advanced (G9). */
export function withIo<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isIoFailure(error)) {
      throw new IoError(`I/O error while running: ${error.message}; the last checkpoint is intact, fix the cause and rerun`);
    }
    throw error;
  }
}
