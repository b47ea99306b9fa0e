// The merge: every partition's staged results, put back in index order and written as one
// JSON array. Each result is placed by its own index, so the output is the same whichever
// partition finished first, however many workers ran, and however many crashes happened on
// the way. Every slot must be filled exactly once: a gap or a duplicate is refused, never
// written out.
import type { Fs } from './deps.ts';
import { writeFileDurably } from './durable-write.ts';
import { CorruptCheckpointError, OutputError, isIoFailure } from './errors.ts';
import { partitionOf, type Partitioning } from './partitions.ts';
import type { ItemFailure, ItemResult } from './process-item.ts';

type Row = ItemResult | ItemFailure;

/**
 * The rows of all partitions in index order. `stagedPaths[p]` is partition p's staged file
 * (undefined for a partition with no items, which never makes one).
 */
export function mergePartitions(fs: Fs, stagedPaths: readonly (string | undefined)[], items: number, partitioning: Partitioning): Row[] {
  const rows: (Row | undefined)[] = new Array(items);
  stagedPaths.forEach((path, partition) => {
    if (path === undefined) return;
    for (const line of fs.readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
      const row = parseRow(line, path);
      const { index } = row;
      if (!Number.isSafeInteger(index) || index < 0 || index >= items || partitionOf(partitioning, index) !== partition) {
        throw new CorruptCheckpointError(`Staged results ${path} hold item ${index}, which is not in partition ${partition}; rerun with --force`);
      }
      if (rows[index]) throw new CorruptCheckpointError(`Staged results ${path} hold item ${index} twice; rerun with --force`);
      rows[index] = row;
    }
  });
  for (let index = 0; index < items; index++) {
    if (!rows[index]) throw new CorruptCheckpointError(`Staged results lack item ${index} (partition ${partitionOf(partitioning, index)}); rerun with --force`);
  }
  return rows as Row[];
}

function parseRow(line: string, path: string): Row {
  try {
    return JSON.parse(line) as Row;
  } catch {
    throw new CorruptCheckpointError(`Staged results ${path} hold a line that is not JSON; rerun with --force`);
  }
}

/** The output, written once, atomically and durably: a JSON array, as the level-4 tool writes it. */
export function writeOutput(fs: Fs, path: string, rows: readonly Row[]): void {
  try {
    writeFileDurably(fs, path, `${JSON.stringify(rows, null, 2)}\n`);
  } catch (error) {
    if (isIoFailure(error)) throw new OutputError(`Cannot write output ${path} (${error.code}); the checkpoints are kept, fix the cause and rerun to finish`);
    throw error;
  }
}
