// Running a row this process holds, to the end. Whatever stops it, except a crash, marks the
// row: completed, or failed with the reason (the seed's "Failure Handling: marked as failed on
// errors"; an interrupt is a failure too, and resumable). A crash marks nothing: the row stays
// `running` with a dead owner, which is how the next run knows it can take it over.
import { markFailed } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { oneLine } from './errors.ts';
import { mine, type Job, type Summary } from './mine.ts';
import { explainDbError, type Db } from './registry.ts';

export async function runHeld(db: Db, job: Job, deps: Deps, dbPath: string, simulateCrash: number | undefined): Promise<Summary> {
  const fail = (reason: string) => markFailed(db, job.id, reason, deps.now().toISOString());
  let summary: Summary;
  try {
    summary = await mine(db, job, deps, simulateCrash);
  } catch (error) {
    const explained = explainDbError(error, dbPath);
    try {
      fail(oneLine(explained));
      deps.log(`Checkpoint ${job.id} marked failed; fix the cause, then resume-mining ${job.id}`);
    } catch {
      // The database itself is failing: the row stays `running`, and once this process is
      // gone the next run finds it resumable all the same.
    }
    throw explained;
  }
  if (summary.status === 'interrupted') {
    fail('interrupted (SIGINT)');
    deps.log(`Interrupted: checkpoint ${job.id} is saved and marked failed; resume-mining ${job.id} (or the same mine-patterns command) goes on from there`);
  }
  return summary;
}
