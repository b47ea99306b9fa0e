// One partition's checkpoint: how far this partition has got (next_item, a position within
// the partition) and how long its staged results file is when it holds exactly those items.
// Each partition has its own file, written only by the worker running that partition, so no
// two threads ever write the same checkpoint.
import { FIX, readCheckpointObject, requireCounters, requireInput } from './checkpoint-json.ts';
import type { Fs } from './deps.ts';
import { writeFileDurably } from './durable-write.ts';
import { CorruptCheckpointError } from './errors.ts';
import type { PartitionFiles } from './run-files.ts';

export interface PartitionCheckpoint {
  schema_version: number;
  /** sha256 of the input this checkpoint was written for */
  input_sha256: string;
  /** which partition this is, and of how many: a checkpoint is only valid in its own place */
  partition: number;
  partitions: number;
  /** the position within the partition of the next item; items before it are done */
  next_item: number;
  /** length of the staged results file that holds those items */
  staged_bytes: number;
  /** how many of them were recorded as failures */
  failed_count: number;
  updated_at: string;
}

const COUNTERS = ['partition', 'partitions', 'next_item', 'staged_bytes', 'failed_count'] as const;
const WHAT = 'Checkpoint';

export interface Expected {
  partition: number;
  partitions: number;
  /** how many items this partition holds */
  size: number;
  sha256: string;
  inputPath: string;
}

/** Partition p's checkpoint, checked in full (its staged file too), or undefined when it has none yet. */
export function loadPartitionCheckpoint(fs: Fs, files: PartitionFiles, expected: Expected): PartitionCheckpoint | undefined {
  const path = files.checkpoint;
  const object = readCheckpointObject(fs, path, WHAT);
  if (!object) return undefined;
  requireCounters(object, COUNTERS, WHAT, path);
  requireInput(object, expected.sha256, WHAT, path, expected.inputPath);
  const cp = object as unknown as PartitionCheckpoint;
  if (cp.partitions !== expected.partitions) {
    throw new CorruptCheckpointError(`${WHAT} ${path} was written for ${cp.partitions} partitions, but the manifest says ${expected.partitions}; ${FIX}`);
  }
  if (cp.partition !== expected.partition) {
    throw new CorruptCheckpointError(`${WHAT} ${path} belongs to partition ${cp.partition}, not partition ${expected.partition}; ${FIX}`);
  }
  if (cp.next_item > expected.size) {
    throw new CorruptCheckpointError(`${WHAT} ${path} next_item ${cp.next_item} exceeds the partition size (${expected.size} items in partition ${expected.partition}); ${FIX}`);
  }
  if (cp.failed_count > cp.next_item) {
    throw new CorruptCheckpointError(`${WHAT} ${path} failed_count ${cp.failed_count} exceeds next_item ${cp.next_item}; ${FIX}`);
  }
  checkStaged(fs, files.staged, cp.staged_bytes, path);
  return cp;
}

/** The staged results must hold at least what the checkpoint counts (more is a batch it never counted). */
function checkStaged(fs: Fs, staged: string, recorded: number, checkpointPath: string): void {
  if (!fs.existsSync(staged)) {
    throw new CorruptCheckpointError(`Staged results ${staged} are missing but checkpoint ${checkpointPath} counts ${recorded} bytes of them; rerun with --force`);
  }
  const size = fs.statSync(staged).size;
  if (size < recorded) {
    throw new CorruptCheckpointError(`Staged results ${staged} hold ${size} bytes, fewer than the ${recorded} checkpoint ${checkpointPath} counts; rerun with --force`);
  }
}

/** Save atomically and durably: a crash leaves the old checkpoint or this one (G2, G6). */
export function savePartitionCheckpoint(fs: Fs, path: string, checkpoint: PartitionCheckpoint): void {
  writeFileDurably(fs, path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}
