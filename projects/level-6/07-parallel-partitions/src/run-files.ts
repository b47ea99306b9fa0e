// The files of one run, all named from --checkpoint and kept in its folder, so one folder
// fsync makes every create, rename and unlink among them durable:
//   data/.checkpoint.json                       the manifest: this run's input and partition count
//   data/.checkpoint.json.lock                  the lock: the pid of the run that holds it
//   data/.checkpoint.part-0.json                partition 0's checkpoint
//   data/.checkpoint.part-0.staged.jsonl        partition 0's staged results, one JSON line per item
// (with --checkpoint data/.checkpoint.json; a name without .json gets the suffixes appended).
import { basename, dirname, join } from 'node:path';
import type { Fs } from './deps.ts';

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
