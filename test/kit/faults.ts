// Fault injection: the errors a real disk gives, which memfs never does on its own.

export interface Faults {
  /** Writes fail with ENOSPC once this many bytes have been written in this run. */
  enospcAfterBytes?: number;
  /** Any change to a matching path (or a new file inside a matching folder) fails with EACCES. */
  eacces?: (path: string) => boolean;
  /** fsync fails with EIO (on every fd, or on the fds whose path matches). */
  eioOnFsync?: boolean | ((path: string) => boolean);
}

/** An error shaped like the ones node:fs throws, so the tool's own error mapping sees the real thing. */
export function fsError(code: 'ENOSPC' | 'EACCES' | 'EIO', syscall: string, path?: string): NodeJS.ErrnoException {
  const text = { ENOSPC: 'no space left on device', EACCES: 'permission denied', EIO: 'i/o error' }[code];
  const err: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall}${path ? ` '${path}'` : ''}`);
  err.code = code;
  err.syscall = syscall;
  if (path) err.path = path;
  return err;
}
