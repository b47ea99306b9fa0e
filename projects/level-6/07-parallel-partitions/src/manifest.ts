// The manifest: the run's own checkpoint. It is written before any partition starts and
// removed after every partition file is gone, so while it exists a run is unfinished, and
// it fixes what every partition must agree on: the input and the number of partitions.
//   phase "processing": partitions are working (or were, when the run stopped);
//   phase "merged":     the output is written and durable; only the clean-up is left.
import { MAX_PARTITIONS } from './args.ts';
import { FIX, readCheckpointObject, requireCounters, requireInput, SCHEMA_VERSION } from './checkpoint-json.ts';
import type { Fs } from './deps.ts';
import { writeFileDurably } from './durable-write.ts';
import { CorruptCheckpointError, FlagMismatchError } from './errors.ts';
import { MOD_RULE, type Partitioning } from './partitions.ts';

export interface Manifest {
  schema_version: number;
  input_sha256: string;
  partitions: number;
  /** how items are assigned to partitions (src/partitions.ts) */
  rule: Partitioning['rule'];
  phase: 'processing' | 'merged';
  started_at: string;
}

const WHAT = 'Manifest';

/** The manifest, checked in full, or undefined when there is none (a fresh start). */
export function loadManifest(fs: Fs, path: string, sha256: string, inputPath: string, partitionsFlag: number): Manifest | undefined {
  const object = readCheckpointObject(fs, path, WHAT);
  if (!object) return undefined;
  requireInput(object, sha256, WHAT, path, inputPath);
  requireCounters(object, ['partitions'], WHAT, path);
  const partitions = object.partitions as number;
  if (partitions < 1 || partitions > MAX_PARTITIONS) {
    const problem = partitions < 1 ? 'is below 1' : `exceeds the maximum (${MAX_PARTITIONS})`;
    throw new CorruptCheckpointError(`${WHAT} ${path} partitions ${partitions} ${problem}; ${FIX}`);
  }
  if (object.rule !== MOD_RULE) {
    throw new CorruptCheckpointError(`${WHAT} ${path} has an unknown rule (got ${JSON.stringify(object.rule)}, expected "${MOD_RULE}"); ${FIX}`);
  }
  if (object.phase !== 'processing' && object.phase !== 'merged') {
    throw new CorruptCheckpointError(`${WHAT} ${path} has an unknown phase (got ${JSON.stringify(object.phase)}); ${FIX}`);
  }
  // A different count would put the items in different partitions: every checkpoint would
  // count the wrong items. The run is resumable only as it was started.
  if (partitions !== partitionsFlag) {
    throw new FlagMismatchError(`${WHAT} ${path} was written with --partitions ${partitions}, not ${partitionsFlag}; resume with --partitions ${partitions}, or rerun with --force to start over`);
  }
  return object as unknown as Manifest;
}

export function saveManifest(fs: Fs, path: string, manifest: Manifest): void {
  writeFileDurably(fs, path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function newManifest(sha256: string, partitioning: Partitioning, now: Date): Manifest {
  return { schema_version: SCHEMA_VERSION, input_sha256: sha256, partitions: partitioning.partitions, rule: partitioning.rule, phase: 'processing', started_at: now.toISOString() };
}
