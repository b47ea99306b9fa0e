// One writer at a time (G8). The lock is a file created with O_EXCL ('wx'): creating it
// either succeeds for exactly one process or fails with EEXIST. It holds the owner's pid,
// so a second run can name the holder, and a lock left by a crashed run can be recognised.
import type { Deps } from './deps.ts';
import { LockHeldError, OutputError, isIoFailure } from './errors.ts';

export interface Lock {
  release(): void;
}

export function acquireLock(deps: Deps, path: string): Lock {
  const { fs } = deps;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(path, 'wx');
      try {
        fs.writeSync(fd, `${JSON.stringify({ pid: deps.pid, started_at: deps.now().toISOString() })}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return { release: () => fs.unlinkSync(path) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new OutputError(`Cannot create lock ${path}: its folder does not exist; create it first`);
      if (code !== 'EEXIST') {
        if (isIoFailure(error)) throw new OutputError(`Cannot create lock ${path} (${code}); check the folder's permissions`);
        throw error;
      }
    }
    let holder = readHolder(deps, path);
    // An empty or half-written lock is most often one that another run has just created and
    // is writing its pid into right now: give it a moment before calling its writer dead.
    for (let wait = 0; holder === undefined && wait < 10; wait++) {
      sleepMs(10);
      holder = readHolder(deps, path);
    }
    if (holder === 'gone') continue; // the holder finished between our two looks: try again
    if (holder !== undefined && deps.isAlive(holder)) {
      throw new LockHeldError(`Another run (pid ${holder}) holds the lock ${path}; wait for it to finish`);
    }
    // The holder is gone: it crashed (SIGKILL leaves its lock behind) or died while writing
    // the pid (still unreadable after the pause above). Its checkpoint is still consistent, so the lock can be taken over. Known
    // limit: two runs taking over the same stale lock at the same instant can both win;
    // a lock service or flock(2) closes that window, plain files cannot.
    deps.log(`Lock ${path} was left by ${holder === undefined ? 'a run that died while taking it' : `pid ${holder}, which is not running`}; taking it over`);
    fs.unlinkSync(path);
  }
  throw new LockHeldError(`Another run took the lock ${path} at the same moment; try again`);
}

/** A synchronous pause: the lock is taken before the run starts, with nothing else to do meanwhile. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readHolder(deps: Deps, path: string): number | undefined | 'gone' {
  if (!deps.fs.existsSync(path)) return 'gone';
  try {
    const pid = (JSON.parse(deps.fs.readFileSync(path, 'utf8')) as { pid?: unknown }).pid;
    return Number.isSafeInteger(pid) && (pid as number) > 0 ? (pid as number) : undefined;
  } catch {
    return undefined; // empty or torn: the writer died between creating and writing it
  }
}

/** Whether a pid is a running process (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}
