// Every SQL statement on the seed's table, pattern_mining_checkpoints, and on the results
// table, mined_patterns. Each function is one statement; the callers decide which of them
// share a transaction (src/mine.ts: results and the checkpoint that counts them, together).
import type { Pattern } from './patterns.ts';
import type { Db } from './registry.ts';

export type Status = 'running' | 'completed' | 'failed';
export type Stage = 'stage1' | 'stage2' | 'completed';

/** One row, as stored. The JSON columns are text here; src/checkpoint-state.ts checks them. */
export interface CheckpointRow {
  id: number;
  started_at: string;
  last_updated: string;
  status: Status;
  days: number;
  min_spam_count: number;
  /** the last message done in the current stage (stage 2: the newest message of the last group) */
  last_processed_message_id: number | null;
  /** chunks finished in the current stage: the periodic update counts these */
  chunk_index: number;
  /** JSON: stage 1's groups so far; in stage 2, all of them */
  patterns_in_progress: string | null;
  stage: Stage;
  /** JSON given at creation: input, its sha256, export path, batch size, cadence */
  metadata: string;
  /** the lock: the pid of the run that holds this row, while it runs */
  owner_pid: number | null;
  /** why the row was marked failed */
  error: string | null;
}

export function getCheckpoint(db: Db, id: number): CheckpointRow | undefined {
  return db.prepare('SELECT * FROM pattern_mining_checkpoints WHERE id = ?').get(id) as CheckpointRow | undefined;
}

/** The newest run with these parameters: the one a rerun of mine-patterns resumes, if unfinished. */
export function newestForJob(db: Db, days: number, minSpamCount: number): CheckpointRow | undefined {
  return db
    .prepare('SELECT * FROM pattern_mining_checkpoints WHERE days = ? AND min_spam_count = ? ORDER BY id DESC LIMIT 1')
    .get(days, minSpamCount) as CheckpointRow | undefined;
}

export interface NewCheckpoint {
  days: number;
  minSpamCount: number;
  metadata: string;
  pid: number;
  now: string;
}

/** Created at the start of mining, already held by this run (status running, owner_pid). */
export function createCheckpoint(db: Db, c: NewCheckpoint): number {
  const result = db
    .prepare(
      `INSERT INTO pattern_mining_checkpoints
         (started_at, last_updated, status, days, min_spam_count, last_processed_message_id, chunk_index,
          patterns_in_progress, stage, metadata, owner_pid)
       VALUES (?, ?, 'running', ?, ?, NULL, 0, '{}', 'stage1', ?, ?)`,
    )
    .run(c.now, c.now, c.days, c.minSpamCount, c.metadata, c.pid);
  return Number(result.lastInsertRowid);
}

/** Take a resumable row: running again, held by this pid until the run ends. */
export function claimCheckpoint(db: Db, id: number, pid: number, now: string): void {
  db.prepare("UPDATE pattern_mining_checkpoints SET status = 'running', owner_pid = ?, error = NULL, last_updated = ? WHERE id = ?").run(pid, now, id);
}

export interface Progress {
  stage: Stage;
  lastProcessedMessageId: number | null;
  chunkIndex: number;
  /** new intermediate results, or undefined to keep the stored ones (stage 2 does not change them) */
  patternsInProgress?: string | null;
  now: string;
}

/** The periodic update: where the run stands. Called inside the transaction of its results. */
export function saveProgress(db: Db, id: number, p: Progress): void {
  if (p.patternsInProgress === undefined) {
    db.prepare('UPDATE pattern_mining_checkpoints SET stage = ?, last_processed_message_id = ?, chunk_index = ?, last_updated = ? WHERE id = ?').run(
      p.stage, p.lastProcessedMessageId, p.chunkIndex, p.now, id,
    );
  } else {
    db.prepare(
      'UPDATE pattern_mining_checkpoints SET stage = ?, last_processed_message_id = ?, chunk_index = ?, patterns_in_progress = ?, last_updated = ? WHERE id = ?',
    ).run(p.stage, p.lastProcessedMessageId, p.chunkIndex, p.patternsInProgress, p.now, id);
  }
}

export function insertPattern(db: Db, id: number, p: Pattern): void {
  db.prepare('INSERT INTO mined_patterns (checkpoint_id, pattern, spam_count, example_message_id) VALUES (?, ?, ?, ?)').run(
    id, p.pattern, p.spam_count, p.example_message_id,
  );
}

/** A run's results, in the export's order: most common first. */
export function patternsOf(db: Db, id: number): Pattern[] {
  return db
    .prepare('SELECT pattern, spam_count, example_message_id FROM mined_patterns WHERE checkpoint_id = ? ORDER BY spam_count DESC, pattern')
    .all(id) as Pattern[];
}

/** Done: the row says so and lets go of its owner. Only this row: other runs are theirs. */
export function markCompleted(db: Db, id: number, now: string): void {
  db.prepare("UPDATE pattern_mining_checkpoints SET status = 'completed', owner_pid = NULL, error = NULL, last_updated = ? WHERE id = ?").run(now, id);
}

/** Failure handling: the row says why, and lets go of its owner so it can be resumed. */
export function markFailed(db: Db, id: number, reason: string, now: string): void {
  db.prepare("UPDATE pattern_mining_checkpoints SET status = 'failed', owner_pid = NULL, error = ?, last_updated = ? WHERE id = ?").run(reason, now, id);
}

/** Newest first; with a status, only the rows that have it. */
export function listCheckpoints(db: Db, limit: number, status?: Status): CheckpointRow[] {
  if (status === undefined) {
    return db.prepare('SELECT * FROM pattern_mining_checkpoints ORDER BY id DESC LIMIT ?').all(limit) as CheckpointRow[];
  }
  return db.prepare('SELECT * FROM pattern_mining_checkpoints WHERE status = ? ORDER BY id DESC LIMIT ?').all(status, limit) as CheckpointRow[];
}

export function countPatterns(db: Db, id: number): number {
  return (db.prepare('SELECT count(*) AS n FROM mined_patterns WHERE checkpoint_id = ?').get(id) as { n: number }).n;
}
