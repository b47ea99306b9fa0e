// Fault injection: the errors a real disk gives, which memfs never does on its own.

/** The codes Windows gives a rename while another program (a virus scanner, the search indexer) has the file open. */
export type BusyCode = 'EPERM' | 'EACCES' | 'EBUSY';

export interface Faults {
  /** Writes fail with ENOSPC once this many bytes have been written in this run. */
  enospcAfterBytes?: number;
  /** Any change to a matching path (or a new file inside a matching folder) fails with EACCES. */
  eacces?: (path: string) => boolean;
  /** fsync fails with EIO (on every fd, or on the fds whose path matches). */
  eioOnFsync?: boolean | ((path: string) => boolean);
  /** The first `times` renames fail with `code`, then renames work again: a file held open for a moment on Windows. */
  renameRefused?: { code: BusyCode; times: number };
}

/** An error shaped like the ones node:fs throws, so the tool's own error mapping sees the real thing. */
export function fsError(code: 'ENOSPC' | 'EIO' | BusyCode, syscall: string, path?: string): NodeJS.ErrnoException {
  const text = { ENOSPC: 'no space left on device', EACCES: 'permission denied', EIO: 'i/o error', EPERM: 'operation not permitted', EBUSY: 'resource busy or locked' }[code];
  const err: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall}${path ? ` '${path}'` : ''}`);
  err.code = code;
  err.syscall = syscall;
  if (path) err.path = path;
  return err;
}
