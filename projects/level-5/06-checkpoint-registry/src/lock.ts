// One writer per checkpoint row (G8). The row itself is the lock: a run holds it by writing its
// pid into owner_pid, in the same IMMEDIATE transaction that checks nobody else holds it, and
// keeps it until the run ends (completed or failed). A row still `running` whose owner is gone
// was left by a crash: it is resumable. The seed released its lock before mining started.
import type { CheckpointRow } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { LockHeldError } from './errors.ts';

/** Refuse a row another live run holds; otherwise say, in one log line, whose row it was. */
export function checkOwner(row: CheckpointRow, deps: Deps, dbPath: string): string | undefined {
  if (row.status === 'failed') return `Checkpoint ${row.id} failed earlier (${row.error ?? 'no reason recorded'}); resuming it`;
  if (row.status !== 'running') return undefined;
  const owner = row.owner_pid;
  // Our own pid cannot be another live run: it was left by an earlier process with this pid.
  if (owner !== null && owner !== deps.pid && deps.isAlive(owner)) {
    throw new LockHeldError(`Checkpoint ${row.id} in ${dbPath} is being run by pid ${owner} (since ${row.started_at}); wait for it to finish`);
  }
  return `Checkpoint ${row.id} was left running by ${owner === null ? 'a run with no owner' : `pid ${owner}`}, which is not running; resuming it`;
}

/** Whether a row is `running` with an owner that is gone: what list-checkpoints calls resumable. */
export function isStale(row: CheckpointRow, deps: Pick<Deps, 'isAlive'>): boolean {
  return row.status === 'running' && (row.owner_pid === null || !deps.isAlive(row.owner_pid));
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
