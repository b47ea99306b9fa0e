// `mine-patterns <days>`: start a run, or go on with the unfinished one. The newest run with
// the same days and min_spam_count decides: unfinished (failed, or running with a dead owner)
// means resume it with the settings it was created with; completed or none means a new run.
// --force sets an unfinished run aside (marked failed, kept) and starts a new one.
import type { MineOptions } from './args.ts';
import { createCheckpoint, markFailed, newestForJob } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { checkExportFolder } from './export.ts';
import { checkOwner } from './lock.ts';
import { readMessageLog, windowOf, type MessageLog } from './message-log.ts';
import type { Job, Summary } from './mine.ts';
import { openRegistry, type Db } from './registry.ts';
import { runHeld } from './run-held.ts';
import { takeOver } from './take-over.ts';

export async function minePatterns(o: MineOptions, deps: Deps): Promise<Summary> {
  // Everything that can be checked without writing is checked first (G4): the whole input,
  // and the export's folder; the database is created only after that.
  const log = readMessageLog(deps.fs, o.input);
  checkExportFolder(deps, o.export);
  const db = openRegistry(deps, o.db, { force: o.force })!;
  try {
    const job = db.transaction(() => takeJob(db, o, log, deps)).immediate();
    return await runHeld(db, job, deps, o.db, o.simulateCrash);
  } finally {
    db.close();
  }
}

function takeJob(db: Db, o: MineOptions, log: MessageLog, deps: Deps): Job {
  const newest = newestForJob(db, o.days, o.minSpamCount);
  if (newest && newest.status !== 'completed') {
    if (!o.force) return takeOver(db, newest, deps, o.db, log);
    checkOwner(newest, deps, o.db); // --force does not take a row from a live run
    markFailed(db, newest.id, 'set aside by mine-patterns --force', deps.now().toISOString());
    deps.log(`Checkpoint ${newest.id} set aside (marked failed, kept in ${o.db}): starting over because of --force`);
  }
  const window = windowOf(log, o.days);
  const metadata = { input: o.input, input_sha256: log.sha256, export: o.export, batch_size: o.batchSize, checkpoint_every: o.checkpointEvery };
  const now = deps.now().toISOString();
  const id = createCheckpoint(db, { days: o.days, minSpamCount: o.minSpamCount, metadata: JSON.stringify(metadata), pid: deps.pid, now });
  deps.log(`Started checkpoint ${id}: mine-patterns ${o.days} (min spam count ${o.minSpamCount}) on ${o.input}, ${window.newestFirst.length} messages from ${window.from} to ${window.to}`);
  return { id, days: o.days, minSpamCount: o.minSpamCount, metadata, window, point: { stage: 'stage1', lastId: null, chunkIndex: 0, groups: {} } };
}
