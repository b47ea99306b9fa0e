// The ways a run can fail on purpose. Each class is one row of the exit-code table
// (src/exit-codes.ts maps them); the message is the one line the user sees:
// what went wrong, which file, and what to do.

/** Bad or missing flags (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The checkpoint is empty, not JSON, the wrong shape, past the end, newer, or for another input (exit 65). */
export class CorruptCheckpointError extends Error {
  override name = 'CorruptCheckpointError';
}

/** A line of the input is not an integer: level 0 treats it as fatal (exit 65). */
export class BadRecordError extends Error {
  override name = 'BadRecordError';
}

/** The input is missing or unreadable (exit 66). */
export class InputError extends Error {
  override name = 'InputError';
}

/** The output or the checkpoint cannot be created where the flags say (exit 73). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** A write failed while running: disk full, permission lost (exit 74). */
export class IoError extends Error {
  override name = 'IoError';
}

/** The errno code of a node:fs error ('ENOENT', 'ENOSPC', ...), or undefined. */
export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Turn a node:fs error into an IoError (74) that says what failed, what is safe, and what to do.
 * Anything without an errno code (a bug, the test kit's simulated crash) is passed through.
 */
export function ioError(what: string, error: unknown, kept: string, then = 'rerun to resume'): Error {
  const code = errnoOf(error);
  if (!code) return error as Error;
  const hint = code === 'ENOSPC' ? 'free some disk space' : code === 'EACCES' || code === 'EPERM' ? 'fix the permissions' : 'check the disk';
  return new IoError(`${what} (${code}); ${kept}; ${hint} and ${then}`);
}
