// One run of the tool, top to bottom: check everything, take the lock, read the manifest and
// every partition's checkpoint, run the partitions (each on a worker, each with its own
// checkpoint), merge their results in index order, write the output once, clear the
// checkpoints. Every error is thrown as a named error; main.ts maps it to an exit code.
import { dirname } from 'node:path';
import type { Options } from './args.ts';
import type { Deps, Fs } from './deps.ts';
import { CorruptCheckpointError, OutputError, withIo } from './errors.ts';
import { readInput } from './input.ts';
import { acquireLock } from './lock.ts';
import { loadManifest, newManifest, saveManifest } from './manifest.ts';
import { mergePartitions, writeOutput } from './merge.ts';
import { OrderedLog } from './ordered-log.ts';
import { loadPartitionCheckpoint, type PartitionCheckpoint } from './partition-checkpoint.ts';
import type { PartitionEvent, PartitionTask } from './partition-task.ts';
import { MOD_RULE, splitIntoPartitions, type Partitioning } from './partitions.ts';
import { percent } from './progress.ts';
import { clearCheckpoints, moveAside, refuseOrphans, runFiles, type RunFiles } from './run-files.ts';

export interface Summary {
  status: 'completed' | 'interrupted';
  items: number;
  ok: number;
  failed: number;
  partitions: number;
  workers: number;
  /** items already done by earlier runs when this one started */
  resumed_items: number;
  output: string;
}

/** How far one partition is: from its checkpoint, then from what its worker reports. */
interface Progress {
  size: number;
  done: number;
  failed: number;
}

export async function run(options: Options, deps: Deps): Promise<Summary> {
  const { fs } = deps;
  const input = readInput(fs, options.input); // 66 if missing: before any write (G4)
  checkWritableFolder(fs, options.output, 'Output');
  checkWritableFolder(fs, options.checkpoint, 'Checkpoint');
  const files = runFiles(options.checkpoint, options.partitions);
  const total = input.items.length;

  const lock = acquireLock(deps, files.lock);
  try {
    if (options.force) {
      const moved = moveAside(fs, options.checkpoint, deps.now());
      if (moved) deps.log(`Moved ${moved.count} old checkpoint file${moved.count === 1 ? '' : 's'} aside, each renamed with the suffix ${moved.suffix}`);
    }
    // Everything is validated before the first write of this run (G3): the manifest, then
    // every partition's checkpoint and the staged file it counts.
    const manifest = loadManifest(fs, files.manifest, input.sha256, options.input, options.partitions);
    if (!manifest) refuseOrphans(fs, options.checkpoint);
    if (manifest?.phase === 'merged') return finishMerged(deps, options, files, total);

    // The rule that splits the items: P and the index, nothing else (src/partitions.ts).
    const partitioning: Partitioning = { rule: MOD_RULE, partitions: options.partitions };
    const parts = splitIntoPartitions(input.items, partitioning);
    const starts: (PartitionCheckpoint | undefined)[] = parts.map((items, partition) =>
      manifest
        ? loadPartitionCheckpoint(fs, files.partitions[partition]!, {
            partition,
            partitions: options.partitions,
            size: items.length,
            sha256: input.sha256,
            inputPath: options.input,
          })
        : undefined,
    );
    const progress: Progress[] = parts.map((items, p) => ({ size: items.length, done: starts[p]?.next_item ?? 0, failed: starts[p]?.failed_count ?? 0 }));
    const resumedItems = sum(progress.map((p) => p.done));

    const setup = `${options.partitions} partitions (index mod ${options.partitions}) on ${options.workers} worker${options.workers === 1 ? '' : 's'}, batch size ${options.batchSize}`;
    const current = manifest ?? newManifest(input.sha256, partitioning, deps.now());
    if (manifest) {
      deps.log(`Resuming: ${resumedItems} of ${total} items already done (${percent(resumedItems, total)}); ${setup}`);
    } else {
      // The manifest first, durable, before any partition file exists.
      withIo(() => saveManifest(fs, files.manifest, current));
      deps.log(`Starting fresh: ${total} items in ${options.input}; ${setup}`);
    }

    // Only the main thread writes to the terminal, one partition's block after another.
    const log = new OrderedLog(options.partitions, deps.log);
    const tasks: PartitionTask[] = [];
    parts.forEach((items, partition) => {
      const { size, done } = progress[partition]!;
      const start = starts[partition];
      if (size === 0) {
        log.line(partition, `Partition ${partition}: no items`);
        log.finish(partition);
        return;
      }
      if (start && done === size) {
        log.line(partition, `Partition ${partition}: ${size} items, all done already`);
        log.finish(partition);
        return;
      }
      log.line(partition, start ? `Partition ${partition}: ${size} items, resuming at item ${done} (${percent(done, size)})` : `Partition ${partition}: ${size} items, none done yet`);
      tasks.push({
        partition,
        partitioning,
        items,
        checkpointPath: files.partitions[partition]!.checkpoint,
        stagedPath: files.partitions[partition]!.staged,
        inputSha256: input.sha256,
        batchSize: options.batchSize,
        start,
      });
    });

    const onEvent = (event: PartitionEvent) => {
      const p = event.partition;
      if (event.kind === 'item-failed') {
        log.line(p, `Partition ${p}: item ${event.index} failed: ${event.reason} (recorded; the batch goes on)`);
        return;
      }
      progress[p]!.done = event.next_item;
      log.line(p, `Partition ${p}: checkpoint saved at item ${event.next_item} of ${event.size} (${percent(event.next_item, event.size)})`);
      if (event.next_item === event.size) log.finish(p);
    };
    const onCrashPoint = (): never => {
      log.flushAll();
      deps.log(`Simulating a crash after item ${options.simulateCrash} of this run (SIGKILL, no cleanup)`);
      return deps.crash();
    };

    let results;
    try {
      results = await deps.runPartitions(tasks, { workers: options.workers, simulateCrash: options.simulateCrash, interrupt: deps.interrupt }, { onEvent, onCrashPoint });
    } finally {
      log.flushAll(); // an error or Ctrl+C stops the partitions early: show what they reported
    }
    for (const result of results) progress[result.partition]!.failed = result.failed_count;

    const done = sum(progress.map((p) => p.done));
    const failed = sum(progress.map((p) => p.failed));
    const summary = (status: Summary['status']): Summary => ({
      status,
      items: total,
      ok: done - failed,
      failed,
      partitions: options.partitions,
      workers: options.workers,
      resumed_items: resumedItems,
      output: options.output,
    });

    if (progress.some((p) => p.done < p.size)) {
      deps.log(`Interrupted: every partition stopped at a saved checkpoint, ${done} of ${total} items done (${percent(done, total)}); rerun the same command to resume`);
      return summary('interrupted');
    }

    // Results in index order, whatever order the partitions finished in.
    const staged = files.partitions.map((f, p) => (progress[p]!.size > 0 ? f.staged : undefined));
    const rows = mergePartitions(fs, staged, total, partitioning);
    writeOutput(fs, options.output, rows);
    deps.log(`Merged ${total} results from ${options.partitions} partitions into ${options.output}, in index order`);
    withIo(() => saveManifest(fs, files.manifest, { ...current, phase: 'merged' }));
    clearCheckpoints(fs, options.checkpoint, files);
    deps.log('Checkpoints cleared');
    return summary('completed');
  } finally {
    lock.release();
  }
}

/** The manifest says the output is written: only the clean-up was left when the last run stopped. */
function finishMerged(deps: Deps, options: Options, files: RunFiles, total: number): Summary {
  const { fs } = deps;
  if (!fs.existsSync(options.output)) {
    throw new CorruptCheckpointError(`Manifest ${files.manifest} says the results were merged into ${options.output}, but that file is missing; rerun with --force`);
  }
  let failed: number;
  try {
    failed = (JSON.parse(fs.readFileSync(options.output, 'utf8')) as object[]).filter((row) => 'error' in row).length;
  } catch {
    throw new CorruptCheckpointError(`Manifest ${files.manifest} says the results were merged into ${options.output}, but that file is not the JSON array this tool writes; rerun with --force`);
  }
  deps.log(`Output ${options.output} was already merged; finishing the clean-up`);
  clearCheckpoints(fs, options.checkpoint, files);
  deps.log('Checkpoints cleared');
  return { status: 'completed', items: total, ok: total - failed, failed, partitions: options.partitions, workers: options.workers, resumed_items: total, output: options.output };
}

function checkWritableFolder(fs: Fs, file: string, what: 'Output' | 'Checkpoint'): void {
  const dir = dirname(file);
  if (!fs.existsSync(dir)) throw new OutputError(`${what} folder ${dir} does not exist; create it first`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new OutputError(`${what} ${file} is a directory; pass a file path`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new OutputError(`${what} folder ${dir} is not writable; check its permissions`);
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
