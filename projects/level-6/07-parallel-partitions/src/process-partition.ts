// One partition, start to finish: the function every worker runs, on a worker thread in the
// real tool and in the main thread in the crash sweep. Batch by batch it appends the results
// to the partition's staged file, fsyncs them, and only then saves the partition's checkpoint
// that counts them. It touches only its own two files, so partitions never need to coordinate.
import { SCHEMA_VERSION } from './checkpoint-json.ts';
import { withIo } from './errors.ts';
import { savePartitionCheckpoint, type PartitionCheckpoint } from './partition-checkpoint.ts';
import type { PartitionEnv, PartitionResult, PartitionTask } from './partition-task.ts';
import { indexAt } from './partitions.ts';
import { processOrRecord } from './process-item.ts';
import { StagedResults } from './staged-results.ts';

export async function processPartition(task: PartitionTask, env: PartitionEnv): Promise<PartitionResult> {
  const { fs } = env;
  const size = task.items.length;
  const staged = withIo(() =>
    task.start ? StagedResults.resume(fs, task.stagedPath, task.start.staged_bytes) : StagedResults.create(fs, task.stagedPath),
  );
  let cp: PartitionCheckpoint = task.start ?? {
    schema_version: SCHEMA_VERSION,
    input_sha256: task.inputSha256,
    partition: task.partition,
    partitions: task.partitioning.partitions,
    next_item: 0,
    staged_bytes: 0,
    failed_count: 0,
    updated_at: env.now().toISOString(),
  };
  const result = (status: PartitionResult['status']): PartitionResult => ({
    partition: task.partition,
    status,
    next_item: cp.next_item,
    size,
    failed_count: cp.failed_count,
  });

  try {
    let batch: string[] = [];
    let batchFailures = 0;
    for (let position = cp.next_item; position < size; position++) {
      const index = indexAt(task.partitioning, task.partition, position);
      // postMessage hands a worker plain Uint8Arrays; view the same bytes as a Buffer.
      const bytes = task.items[position]!;
      const item = processOrRecord(index, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if ('error' in item) {
        batchFailures++;
        env.report({ kind: 'item-failed', partition: task.partition, index, reason: item.error });
      }
      batch.push(`${JSON.stringify(item)}\n`);
      env.itemProcessed();

      if (batch.length === task.batchSize || position === size - 1) {
        withIo(() => {
          staged.appendDurably(batch.join('')); // the results first, durable ...
          cp = {
            ...cp,
            next_item: position + 1,
            staged_bytes: staged.length,
            failed_count: cp.failed_count + batchFailures,
            updated_at: env.now().toISOString(),
          };
          savePartitionCheckpoint(fs, task.checkpointPath, cp); // ... then the checkpoint that counts them
        });
        env.report({ kind: 'checkpoint', partition: task.partition, next_item: cp.next_item, size });
        batch = [];
        batchFailures = 0;
        await env.pause();
        // Stop only at a saved checkpoint (G7); a finished partition just reports done.
        if (env.stopRequested() && cp.next_item < size) return result('interrupted');
      }
    }
    return result('done');
  } finally {
    staged.close();
  }
}
