// Taking over an unfinished row, for resume-mining <id> and for a rerun of mine-patterns:
// refuse it if a live run holds it (75), check everything in it against the input (65), and
// only then write this run's pid into it. The caller runs this in an IMMEDIATE transaction,
// so no other process can take the same row between the check and the claim.
import { parseMetadata, parseResumePoint, type ResumePoint } from './checkpoint-state.ts';
import { claimCheckpoint, type CheckpointRow } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { CorruptCheckpointError } from './errors.ts';
import { checkExportFolder } from './export.ts';
import { checkOwner } from './lock.ts';
import { readMessageLog, windowOf, type MessageLog, type Window } from './message-log.ts';
import type { Job } from './mine.ts';
import { percent } from './progress.ts';
import type { Db } from './registry.ts';

export function takeOver(db: Db, row: CheckpointRow, deps: Deps, dbPath: string, given?: MessageLog): Job {
  const ownerLine = checkOwner(row, deps, dbPath); // 75 while its owner lives
  const fix = `start over with mine-patterns ${row.days} --min-spam-count ${row.min_spam_count} --force (the row is kept)`;
  const metadata = parseMetadata(row, dbPath, fix);
  // The metadata given at creation decides the input; a rerun of mine-patterns has read it already.
  const log = given ?? readMessageLog(deps.fs, metadata.input);
  if (log.sha256 !== metadata.input_sha256) {
    throw new CorruptCheckpointError(
      `Checkpoint ${row.id} in ${dbPath} was written for another input (sha256 ${metadata.input_sha256.slice(0, 12)}..., ${log.path} is now ${log.sha256.slice(0, 12)}...); restore that input, or ${fix}`,
    );
  }
  const window = windowOf(log, row.days);
  const point = parseResumePoint(row, window, dbPath, fix);
  checkExportFolder(deps, metadata.export);

  if (ownerLine) deps.log(ownerLine);
  deps.log(resumeLine(row.id, point, window));
  deps.log(`Settings given at creation: ${metadata.input}, batch size ${metadata.batch_size}, checkpoint every ${metadata.checkpoint_every} chunks, export ${metadata.export}`);
  claimCheckpoint(db, row.id, deps.pid, deps.now().toISOString());
  return { id: row.id, days: row.days, minSpamCount: row.min_spam_count, metadata, window, point };
}

function resumeLine(id: number, point: ResumePoint, window: Window): string {
  if (point.stage === 'completed') return `Resuming checkpoint ${id}: both stages are done, the export is next`;
  if (point.lastId === null) return `Resuming checkpoint ${id} at the start of ${point.stage}: no chunk of it was saved yet`;
  const last = point.lastId;
  const [done, total] =
    point.stage === 'stage1'
      ? [window.newestFirst.filter((m) => m.id >= last).length, window.newestFirst.length]
      : [Object.values(point.groups).filter((g) => g.example >= last).length, Object.keys(point.groups).length];
  return `Resuming checkpoint ${id} at ${point.stage} after message ${last} (${percent(done, total)}, chunk ${point.chunkIndex})`;
}
