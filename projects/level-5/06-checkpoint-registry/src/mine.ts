// One mining run, top to bottom, for a checkpoint row this run already holds:
//   stage 1 groups the window's messages, newest first, chunk by chunk;
//   stage 2 mines the groups, newest first, writing each pattern to the results table;
//   then the export is written and the row marked completed.
// Every N chunks (and at the end of each stage) one transaction commits the chunks' work
// together with the checkpoint that counts it: a crash, even in the middle of that
// transaction, leaves both or neither, never results the checkpoint does not know about.
import { isCheckpointDue } from './cadence.ts';
import type { Metadata, ResumePoint } from './checkpoint-state.ts';
import { insertPattern, markCompleted, patternsOf, saveProgress } from './checkpoints.ts';
import type { Deps } from './deps.ts';
import { exportContent, writeExport } from './export.ts';
import type { Window } from './message-log.ts';
import { groupMessage, groupsNewestFirst, minePattern, type Groups } from './patterns.ts';
import { percent } from './progress.ts';
import type { Db } from './registry.ts';

export interface Job {
  id: number;
  days: number;
  minSpamCount: number;
  metadata: Metadata;
  window: Window;
  /** where this run starts: the row's stage and position (fresh: stage1, nothing done) */
  point: ResumePoint;
}

export interface Summary {
  checkpoint_id: number;
  status: 'completed' | 'interrupted';
  days: number;
  min_spam_count: number;
  messages: number;
  groups: number;
  patterns: number;
  export: string;
}

export async function mine(db: Db, job: Job, deps: Deps, simulateCrash: number | undefined): Promise<Summary> {
  const { id, metadata, window, minSpamCount } = job;
  const now = () => deps.now().toISOString();
  let itemsThisRun = 0;
  const afterItem = (stage: string, messageId: number) => {
    itemsThisRun++;
    if (itemsThisRun === simulateCrash) {
      deps.log(`Simulating a crash after item ${itemsThisRun} of this run (${stage}, message ${messageId}): SIGKILL, no cleanup`);
      deps.crash(); // inside the open transaction: exactly what a real crash mid-commit leaves
    }
  };
  const summary = (status: Summary['status'], groups: Groups): Summary => ({
    checkpoint_id: id,
    status,
    days: job.days,
    min_spam_count: minSpamCount,
    messages: window.newestFirst.length,
    groups: Object.keys(groups).length,
    patterns: patternsOf(db, id).length,
    export: metadata.export,
  });
  let point = job.point;

  if (point.stage === 'stage1') {
    const groups = point.groups;
    const last = point.lastId;
    // Newest first, so what is left is everything older than the last message done.
    const todo = window.newestFirst.filter((m) => last === null || m.id < last);
    deps.log(`Stage 1: grouping ${todo.length} of ${window.newestFirst.length} messages, newest first, ${metadata.batch_size} per chunk, checkpoint every ${metadata.checkpoint_every} chunks`);
    const interrupted = await inChunks(db, deps, metadata, {
      stage: 'stage1',
      todo,
      total: window.newestFirst.length,
      chunkIndex: point.chunkIndex,
      positionOf: (m) => m.id,
      step: (m) => groupMessage(groups, m),
      afterItem,
      save: (lastDone, chunkIndex, stageDone) =>
        saveProgress(db, id, {
          // the end of stage 1 is the start of stage 2, in the same commit
          stage: stageDone ? 'stage2' : 'stage1',
          lastProcessedMessageId: stageDone ? null : lastDone!.id,
          chunkIndex: stageDone ? 0 : chunkIndex,
          patternsInProgress: JSON.stringify(groups),
          now: now(),
        }),
    });
    if (interrupted) return summary('interrupted', groups);
    const spam = Object.values(groups).reduce((sum, g) => sum + g.count, 0);
    deps.log(`Stage 1 done: ${spam} spam messages in ${Object.keys(groups).length} groups`);
    point = { stage: 'stage2', lastId: null, chunkIndex: 0, groups };
  }

  if (point.stage === 'stage2') {
    const all = groupsNewestFirst(point.groups);
    const last = point.lastId;
    const todo = all.filter((g) => last === null || g.example < last);
    deps.log(`Stage 2: mining ${todo.length} of ${all.length} groups, newest first, keeping those with at least ${minSpamCount} spam messages`);
    const interrupted = await inChunks(db, deps, metadata, {
      stage: 'stage2',
      todo,
      total: all.length,
      chunkIndex: point.chunkIndex,
      positionOf: (g) => g.example,
      step: (g) => {
        const pattern = minePattern(g, minSpamCount);
        if (pattern) insertPattern(db, id, pattern); // inside the transaction of its checkpoint
      },
      afterItem,
      save: (lastDone, chunkIndex, stageDone) =>
        saveProgress(db, id, {
          stage: stageDone ? 'completed' : 'stage2',
          lastProcessedMessageId: stageDone ? null : lastDone!.example,
          chunkIndex: stageDone ? 0 : chunkIndex,
          // the intermediate results are spent once every pattern is in the results table
          patternsInProgress: stageDone ? null : undefined,
          now: now(),
        }),
    });
    if (interrupted) return summary('interrupted', point.groups);
    deps.log(`Stage 2 done: ${patternsOf(db, id).length} patterns`);
  }

  // The export first, durable; then the row says completed. A crash in between leaves the
  // row running at stage `completed`, and the resume writes the export again.
  const patterns = patternsOf(db, id);
  writeExport(deps, metadata.export, exportContent(window, minSpamCount, patterns), id);
  deps.log(`Wrote ${patterns.length} patterns to ${metadata.export}`);
  markCompleted(db, id, now());
  deps.log(`Checkpoint ${id} completed`);
  return summary('completed', point.groups);
}

interface Stage<T> {
  stage: 'stage1' | 'stage2';
  /** what is left of the stage, in processing order */
  todo: T[];
  /** the stage's size, for the percentage */
  total: number;
  /** chunks of this stage already done (saved) */
  chunkIndex: number;
  positionOf: (item: T) => number;
  step: (item: T) => void;
  afterItem: (stage: string, messageId: number) => void;
  /** the periodic update; `stageDone` when this commit ends the stage */
  save: (lastDone: T | undefined, chunkIndex: number, stageDone: boolean) => void;
}

/** Process a stage chunk by chunk, one transaction per periodic update. True when interrupted. */
async function inChunks<T>(db: Db, deps: Deps, metadata: Metadata, s: Stage<T>): Promise<boolean> {
  let done = 0;
  let chunkIndex = s.chunkIndex;
  const doneBefore = s.total - s.todo.length;
  do {
    db.transaction(() => {
      while (done < s.todo.length) {
        for (const item of s.todo.slice(done, done + metadata.batch_size)) {
          s.step(item);
          s.afterItem(s.stage, s.positionOf(item));
        }
        done = Math.min(done + metadata.batch_size, s.todo.length);
        chunkIndex++;
        if (isCheckpointDue(chunkIndex, metadata.checkpoint_every)) break;
      }
      s.save(s.todo[done - 1], chunkIndex, done === s.todo.length);
    })();
    const lastDone = s.todo[done - 1];
    deps.log(
      lastDone === undefined
        ? `Checkpoint saved: ${s.stage} had nothing left to do`
        : `Checkpoint saved at message ${s.positionOf(lastDone)} (${percent(doneBefore + done, s.total)} of ${s.stage}, chunk ${chunkIndex})`,
    );
    // Let a SIGINT handler run between commits; stop only at a saved checkpoint (G7).
    await new Promise((resolve) => setImmediate(resolve));
    if (deps.interrupt.requested) return true;
  } while (done < s.todo.length);
  return false;
}
