// The partitions run in this thread, as N interleaved async loops instead of N threads. The
// tests use it with the kit's in-memory file system: a worker thread could not see that
// file system, and the crash sweep needs every run to make the same operations in the same
// order. Each "worker" takes the next partition, does one batch, and yields, so the
// partitions' batches interleave (worker 0, worker 1, ..., worker 0 again) and a crash can
// land with several partitions part-way through, as it does with real threads.
import type { Fs } from './deps.ts';
import type { PartitionEnv, PartitionResult, PartitionRunner } from './partition-task.ts';
import { processPartition } from './process-partition.ts';

export function inProcessRunner(fs: Fs, now: () => Date): PartitionRunner {
  return async (tasks, options, hooks) => {
    const queue = [...tasks];
    const results: PartitionResult[] = [];
    let failure: { error: unknown } | undefined;
    let itemsThisRun = 0;

    const env: PartitionEnv = {
      fs,
      now,
      report: hooks.onEvent,
      itemProcessed: () => {
        if (++itemsThisRun === options.simulateCrash) hooks.onCrashPoint();
      },
      // A failed partition stops the others at their next checkpoint, as Ctrl+C does.
      stopRequested: () => options.interrupt.requested || failure !== undefined,
      pause: () => new Promise((resolve) => setImmediate(resolve)),
    };

    const worker = async (): Promise<void> => {
      for (let task = queue.shift(); task && !env.stopRequested(); task = queue.shift()) {
        try {
          results.push(await processPartition(task, env));
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.workers, tasks.length) }, worker));
    if (failure) throw failure.error;
    return results;
  };
}
