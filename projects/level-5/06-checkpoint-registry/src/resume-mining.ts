// `resume-mining <id>`: go on with one unfinished run, chosen by id, with the input, export
// and settings stored in its metadata at creation (the flags of this command cannot change them).
import type { ResumeOptions } from './args.ts';
import { getCheckpoint } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { UsageError } from './errors.ts';
import type { Summary } from './mine.ts';
import { openRegistry } from './registry.ts';
import { runHeld } from './run-held.ts';
import { takeOver } from './take-over.ts';

export async function resumeMining(o: ResumeOptions, deps: Deps): Promise<Summary> {
  if (!deps.fs.existsSync(o.db)) {
    throw new UsageError(`There is no database ${o.db}, so no checkpoint ${o.id} to resume; start a run with mine-patterns <days>`);
  }
  const db = openRegistry(deps, o.db)!;
  try {
    const job = db
      .transaction(() => {
        const row = getCheckpoint(db, o.id);
        if (!row) throw new UsageError(`Checkpoint ${o.id} does not exist in ${o.db}; list-checkpoints shows the ones that do`);
        if (row.status === 'completed') {
          throw new UsageError(`Checkpoint ${o.id} in ${o.db} is completed; there is nothing to resume (list-checkpoints 10 failed shows what is)`);
        }
        return takeOver(db, row, deps, o.db);
      })
      .immediate();
    return await runHeld(db, job, deps, o.db, o.simulateCrash);
  } finally {
    db.close();
  }
}
