// One run of the tool, top to bottom: check everything, take the lock, resume or start,
// process batch by batch (append results, then checkpoint them), write the output once,
// clear the checkpoint. Every error is thrown as a named error; main.ts maps it to a code.
import { dirname } from 'node:path';
import type { Options } from './args.ts';
import { loadCheckpoint, moveAside, saveCheckpoint, SCHEMA_VERSION, type Checkpoint } from './checkpoint.ts';
import type { Deps, Fs } from './deps.ts';
import { syncDir, writeFileDurably } from './durable-write.ts';
import { IoError, OutputError, isIoFailure } from './errors.ts';
import { readLines, scanInput } from './input.ts';
import { acquireLock } from './lock.ts';
import { processOrRecord } from './process-item.ts';
import { percent } from './progress.ts';
import { StagedResults } from './staged-results.ts';

export interface Summary {
  status: 'completed' | 'interrupted';
  items: number;
  ok: number;
  failed: number;
  resumed_from: number;
  output: string;
}

/** The files a run uses beside the checkpoint, all in its folder so one fsync covers them. */
export function companionPaths(checkpoint: string) {
  return { staged: `${checkpoint}.staged.jsonl`, lock: `${checkpoint}.lock` };
}

export async function run(options: Options, deps: Deps): Promise<Summary> {
  const { fs } = deps;
  const input = scanInput(fs, options.input); // 66 if missing: before any write (G4)
  checkWritableFolder(fs, options.output, 'Output');
  checkWritableFolder(fs, options.checkpoint, 'Checkpoint');
  const { staged: stagedPath, lock: lockPath } = companionPaths(options.checkpoint);

  const lock = acquireLock(deps, lockPath);
  try {
    if (options.force) {
      const aside = moveAside(fs, options.checkpoint, deps.now());
      if (aside) deps.log(`Moved the old checkpoint aside to ${aside}`);
    }
    // Validated in full before the first write of this run (G3).
    const saved = options.force ? undefined : loadCheckpoint(fs, options.checkpoint, input, options.input);
    const staged = withIo(() =>
      saved ? StagedResults.resume(fs, stagedPath, saved.staged_bytes, options.checkpoint) : StagedResults.create(fs, stagedPath),
    );
    let cp: Checkpoint = saved ?? {
      schema_version: SCHEMA_VERSION,
      input_sha256: input.sha256,
      next_index: 0,
      input_offset: 0,
      staged_bytes: 0,
      failed_count: 0,
      updated_at: deps.now().toISOString(),
    };
    deps.log(
      saved
        ? `Resuming from checkpoint at index ${cp.next_index} of ${input.items} (${percent(cp.next_index, input.items)})`
        : `Starting fresh: ${input.items} items in ${options.input}, batch size ${options.batchSize}`,
    );

    const resumedFrom = cp.next_index;
    let processedThisRun = 0;
    let batch: string[] = [];
    let batchFailures = 0;
    let index = cp.next_index;
    let offset = cp.input_offset;

    const commitBatch = () => {
      withIo(() => {
        staged.appendDurably(batch.join('')); // output first, durable ...
        cp = {
          ...cp,
          next_index: index,
          input_offset: offset,
          staged_bytes: staged.length,
          failed_count: cp.failed_count + batchFailures,
          updated_at: deps.now().toISOString(),
        };
        saveCheckpoint(fs, options.checkpoint, cp); // ... then the checkpoint that counts it
      });
      deps.log(`Checkpoint saved at index ${cp.next_index} (${percent(cp.next_index, input.items)})`);
      batch = [];
      batchFailures = 0;
    };

    for (const line of readLines(fs, options.input, cp.input_offset)) {
      const result = processOrRecord(index, line.bytes);
      if ('error' in result) {
        batchFailures++;
        deps.log(`Item ${index} failed: ${result.error} (recorded; the batch goes on)`);
      }
      batch.push(`${JSON.stringify(result)}\n`);
      index++;
      offset = line.end;
      processedThisRun++;
      if (processedThisRun === options.simulateCrash) {
        deps.log(`Simulating a crash after item ${index - 1} (SIGKILL, no cleanup)`);
        deps.crash();
      }
      if (batch.length === options.batchSize) {
        commitBatch();
        // Let a SIGINT handler run between batches; stop only at a saved checkpoint (G7).
        await new Promise((resolve) => setImmediate(resolve));
        if (deps.interrupt.requested) {
          staged.close();
          deps.log(`Interrupted: checkpoint saved at index ${cp.next_index} (${percent(cp.next_index, input.items)}); rerun the same command to resume`);
          return summary('interrupted', input.items, cp, resumedFrom, options.output);
        }
      }
    }
    if (batch.length > 0) commitBatch();
    staged.close();

    writeOutput(fs, stagedPath, options.output);
    deps.log(`Wrote ${cp.next_index} results to ${options.output}`);
    withIo(() => {
      // The checkpoint goes first: without it a rerun starts fresh and rebuilds the same output;
      // the other way round, a crash would leave a checkpoint whose staged results are gone.
      if (fs.existsSync(options.checkpoint)) fs.unlinkSync(options.checkpoint); // none for an empty input
      fs.unlinkSync(stagedPath);
      syncDir(fs, dirname(options.checkpoint));
    });
    deps.log('Checkpoint cleared');
    return summary('completed', input.items, cp, resumedFrom, options.output);
  } finally {
    lock.release();
  }
}

/** The output, written once at the end from the staged results: a JSON array, as the seed writes it. */
function writeOutput(fs: Fs, stagedPath: string, outputPath: string): void {
  const lines = fs.readFileSync(stagedPath, 'utf8').split('\n').filter(Boolean);
  const json = `${JSON.stringify(lines.map((l) => JSON.parse(l) as unknown), null, 2)}\n`;
  try {
    writeFileDurably(fs, outputPath, json);
  } catch (error) {
    if (isIoFailure(error)) throw new OutputError(`Cannot write output ${outputPath} (${error.code}); the checkpoint is kept, fix the cause and rerun to finish`);
    throw error;
  }
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

/** Disk full, permission lost or a failed fsync while running: exit 74, checkpoint not advanced (G9). */
function withIo<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isIoFailure(error)) {
      throw new IoError(`I/O error while running: ${error.message}; the last checkpoint is intact, fix the cause and rerun`);
    }
    throw error;
  }
}

function summary(status: Summary['status'], items: number, cp: Checkpoint, resumedFrom: number, output: string): Summary {
  return { status, items, ok: cp.next_index - cp.failed_count, failed: cp.failed_count, resumed_from: resumedFrom, output };
}
