// What the main thread and the partition workers say to each other. Everything here crosses
// a thread boundary (postMessage copies it), so it is plain data: no classes, no functions,
// except in PartitionEnv, which each side builds for itself.
import type { Fs } from './deps.ts';
import type { PartitionCheckpoint } from './partition-checkpoint.ts';
import type { Partitioning } from './partitions.ts';

/** One partition's work, prepared and checked by the main thread before anything is written. */
export interface PartitionTask {
  partition: number;
  /** the rule that put these items here: it tells which input index each one is */
  partitioning: Partitioning;
  /** this partition's items in index order */
  items: Uint8Array[];
  checkpointPath: string;
  stagedPath: string;
  inputSha256: string;
  batchSize: number;
  /** the checkpoint to resume from, already validated; undefined starts the partition fresh */
  start: PartitionCheckpoint | undefined;
}

/** Reported to the main thread, which alone writes to the terminal. */
export type PartitionEvent =
  | { kind: 'checkpoint'; partition: number; next_item: number; size: number }
  | { kind: 'item-failed'; partition: number; index: number; reason: string };

export interface PartitionResult {
  partition: number;
  status: 'done' | 'interrupted';
  /** the last checkpoint this partition saved (or started from) */
  next_item: number;
  size: number;
  failed_count: number;
}

/** What processPartition needs from the thread it runs on. */
export interface PartitionEnv {
  fs: Fs;
  now: () => Date;
  report: (event: PartitionEvent) => void;
  /** called after every item; counts items for --simulate-crash (and may never return) */
  itemProcessed: () => void;
  /** Ctrl+C, or another partition failed: stop after the batch in flight is saved */
  stopRequested: () => boolean;
  /** between batches: let the event loop run (a SIGINT handler, the other in-process partitions) */
  pause: () => Promise<void>;
}

export interface RunnerOptions {
  workers: number;
  simulateCrash: number | undefined;
  interrupt: { requested: boolean };
}

export interface RunnerHooks {
  onEvent: (event: PartitionEvent) => void;
  /** the n-th item of --simulate-crash has been processed: log and die */
  onCrashPoint: () => never;
}

/** Runs the tasks on at most options.workers workers; results come back in completion order. */
export type PartitionRunner = (tasks: PartitionTask[], options: RunnerOptions, hooks: RunnerHooks) => Promise<PartitionResult[]>;
