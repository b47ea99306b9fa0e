// The files of one run, all named from --checkpoint and kept in its folder, so one folder
// fsync makes every create, rename and unlink among them durable; and what is done to them
// as a whole: clearing them at the end, moving them aside for --force.
//   data/.checkpoint.json                       the manifest: this run's input and partition count
//   data/.checkpoint.json.lock                  the lock: the pid of the run that holds it
//   data/.checkpoint.part-0.json                partition 0's checkpoint
//   data/.checkpoint.part-0.staged.jsonl        partition 0's staged results, one JSON line per item
// (with --checkpoint data/.checkpoint.json; a name without .json gets the suffixes appended).
import { basename, dirname, join } from 'node:path';
import { FIX } from './checkpoint-json.ts';
import type { Fs } from './deps.ts';
import { syncDir } from './durable-write.ts';
import { CorruptCheckpointError, withIo } from './errors.ts';
import { renameWithRetry } from './rename-with-retry.ts';

export interface RunFiles {
  manifest: string;
  lock: string;
  partitions: PartitionFiles[];
}

export interface PartitionFiles {
  checkpoint: string;
  staged: string;
}

export function partitionFiles(checkpoint: string, partition: number): PartitionFiles {
  const base = checkpoint.endsWith('.json') ? checkpoint.slice(0, -'.json'.length) : checkpoint;
  return { checkpoint: `${base}.part-${partition}.json`, staged: `${base}.part-${partition}.staged.jsonl` };
}

export function runFiles(checkpoint: string, partitions: number): RunFiles {
  return {
    manifest: checkpoint,
    lock: `${checkpoint}.lock`,
    partitions: Array.from({ length: partitions }, (_, p) => partitionFiles(checkpoint, p)),
  };
}

/**
 * The partition files in the checkpoint's folder, of any partition, temp files included:
 * what --force moves aside, what the clean-up removes, and what must not exist without a
 * manifest.
 */
export function existingPartitionFiles(fs: Fs, checkpoint: string): { checkpoints: string[]; all: string[] } {
  const dir = dirname(checkpoint);
  const base = basename(checkpoint).replace(/\.json$/, '');
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.part-\\d+\\.(json|staged\\.jsonl)(\\.tmp)?$`);
  const all = (fs.readdirSync(dir) as string[])
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(dir, name));
  return { checkpoints: all.filter((path) => path.endsWith('.json')), all };
}

/**
 * The partition files go first and the manifest last, each step made durable: while the
 * manifest exists the run is unfinished, so a crash in here leaves a state the next run
 * finishes (phase "merged": just this clean-up again).
 */
export function clearCheckpoints(fs: Fs, checkpoint: string, files: RunFiles): void {
  withIo(() => {
    for (const path of existingPartitionFiles(fs, checkpoint).all) fs.unlinkSync(path);
    syncDir(fs, dirname(checkpoint));
    fs.unlinkSync(files.manifest);
    syncDir(fs, dirname(checkpoint));
  });
}

/** --force: keep every old checkpoint file for inspection under a new name; never delete one silently. */
export function moveAside(fs: Fs, checkpoint: string, now: Date): { count: number; suffix: string } | undefined {
  const paths = [...(fs.existsSync(checkpoint) ? [checkpoint] : []), ...existingPartitionFiles(fs, checkpoint).all];
  if (paths.length === 0) return undefined;
  const stamp = `.bak-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  // Two --force runs in the same second must not rename over (and so delete) the first backups.
  let suffix = stamp;
  for (let n = 1; paths.some((path) => fs.existsSync(`${path}${suffix}`)); n++) suffix = `${stamp}-${n}`;
  withIo(() => {
    for (const path of paths) renameWithRetry(fs, path, `${path}${suffix}`);
    syncDir(fs, dirname(checkpoint));
  });
  return { count: paths.length, suffix };
}

/**
 * Partition checkpoints are created after the manifest and removed before it, so one without
 * a manifest was not left by this tool's own crash: someone removed the manifest. Refuse
 * rather than guess which run it belongs to.
 */
export function refuseOrphans(fs: Fs, checkpoint: string): void {
  const orphan = existingPartitionFiles(fs, checkpoint).checkpoints[0];
  if (orphan) throw new CorruptCheckpointError(`Checkpoint ${orphan} has no manifest ${checkpoint} beside it (was the manifest removed?); ${FIX}`);
}
