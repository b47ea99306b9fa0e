// One run of the tool, top to bottom: check everything, then resume or start; for each input
// line append its output line; at each checkpoint make the output durable and then record
// how far the input and the output have got; at the end clear the checkpoint. Every error is
// thrown as a named error; main.ts maps it to a code.
import { dirname } from 'node:path';
import type { Options } from './args.ts';
import { AppendedOutput, checkOutputLength } from './appended-output.ts';
import { cadenceTimer, describeCadence } from './cadence.ts';
import { clearCheckpoint, loadCheckpoint, moveAside, saveCheckpoint, SCHEMA_VERSION, type Checkpoint } from './checkpoint.ts';
import type { Deps, Fs } from './deps.ts';
import { tempPathFor } from './durable-write.ts';
import { IoError, OutputError, isIoFailure } from './errors.ts';
import { readLines, scanInput } from './input.ts';
import { percent } from './progress.ts';
import { transformLine } from './transform-line.ts';

/** How often a long batch lets signal handlers run: often enough for Ctrl+C, rarely enough to cost nothing. */
const YIELD_EVERY_LINES = 256;

export interface Summary {
  status: 'completed' | 'interrupted';
  /** lines in the input */
  lines: number;
  /** lines the output holds and the checkpoint counts */
  lines_done: number;
  resumed_from_line: number;
  /** bytes of output cut at the start: counted by no checkpoint, so written again */
  cut_bytes: number;
  checkpoints_saved: number;
  output: string;
  output_bytes: number;
}

export async function run(options: Options, deps: Deps): Promise<Summary> {
  const { fs } = deps;
  // Every check comes before the first write of this run (G3, G4).
  const input = scanInput(fs, options.input); // 66 if missing
  checkWritableFolder(fs, options.output, 'Output'); // 73
  checkWritableFolder(fs, options.checkpoint, 'Checkpoint');
  const saved = options.force ? undefined : loadCheckpoint(fs, options.checkpoint, input, options.input); // 65
  const outputSize = saved ? checkOutputLength(fs, options.output, saved.output_bytes, options.checkpoint) : 0; // 65

  if (options.force) {
    const aside = withIo(() => moveAside(fs, options.checkpoint, deps.now()));
    if (aside) deps.log(`Moved the old checkpoint aside to ${aside}`);
  }
  removeLeftoverTemp(deps, options.checkpoint);
  const output = saved ? withIo(() => AppendedOutput.resume(fs, options.output, saved.output_bytes, outputSize)) : createOutput(fs, options.output);

  let cp: Checkpoint = saved ?? {
    schema_version: SCHEMA_VERSION,
    input_sha256: input.sha256,
    input_offset: 0,
    lines_done: 0,
    output_bytes: 0,
    updated_at: deps.now().toISOString(),
  };
  deps.log(
    saved
      ? `Resuming from checkpoint at line ${cp.lines_done} of ${input.lines} (${percent(cp.lines_done, input.lines)})`
      : `Starting fresh: ${input.lines} lines in ${options.input}, ${describeCadence(options.cadence)}`,
  );
  if (output.cut > 0) {
    deps.log(
      saved
        ? `Cut ${output.cut} bytes from the end of ${options.output}: written after the last checkpoint, so written again now`
        : `Emptied ${options.output}: its ${output.cut} bytes are counted by no checkpoint, so they are written again now`,
    );
  }

  const resumedFrom = cp.lines_done;
  const timer = cadenceTimer(options.cadence, deps.now);
  let lineNumber = cp.lines_done;
  let offset = cp.input_offset;
  let processedThisRun = 0;
  let checkpoints = 0;
  const summary = (status: Summary['status']): Summary => ({
    status,
    lines: input.lines,
    lines_done: cp.lines_done,
    resumed_from_line: resumedFrom,
    cut_bytes: output.cut,
    checkpoints_saved: checkpoints,
    output: options.output,
    output_bytes: cp.output_bytes,
  });

  const commit = () => {
    withIo(() => {
      output.sync(); // the output first, durable ...
      cp = { ...cp, input_offset: offset, lines_done: lineNumber, output_bytes: output.length, updated_at: deps.now().toISOString() };
      saveCheckpoint(fs, options.checkpoint, cp); // ... then the checkpoint that counts it
    });
    checkpoints++;
    timer.saved();
    deps.log(`Checkpoint saved at line ${cp.lines_done} (${percent(cp.lines_done, input.lines)})`);
  };

  try {
    for (const line of readLines(fs, options.input, cp.input_offset)) {
      lineNumber++;
      withIo(() => output.append(transformLine(lineNumber, line.bytes)));
      offset = line.end;
      processedThisRun++;
      if (processedThisRun === options.simulateCrash) {
        deps.log(`Simulating a crash after line ${lineNumber} (SIGKILL, no cleanup)`);
        deps.crash();
      }
      // Inside a long batch too, let the SIGINT handler run: the first Ctrl+C is noted (the batch
      // goes on to its checkpoint), and a second one finds the default action and ends the process.
      if (processedThisRun % YIELD_EVERY_LINES === 0) await yieldToEventLoop();
      if (timer.lineDone()) {
        commit();
        // Stop only at a saved checkpoint (G7).
        await yieldToEventLoop();
        if (deps.interrupt.requested) {
          deps.log(`Interrupted: checkpoint saved at line ${cp.lines_done} (${percent(cp.lines_done, input.lines)}); rerun the same command to resume`);
          return summary('interrupted');
        }
      }
    }
    withIo(() => {
      // The whole output is durable before the checkpoint goes: the other way round, a power
      // loss could leave a short output and no checkpoint to say so.
      output.sync();
      cp = { ...cp, input_offset: offset, lines_done: lineNumber, output_bytes: output.length };
      clearCheckpoint(fs, options.checkpoint);
    });
  } finally {
    output.close();
  }
  deps.log(`Wrote ${cp.lines_done} lines to ${options.output} (${cp.output_bytes} bytes)`);
  deps.log('Checkpoint cleared');
  return summary('completed');
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A temp file is a save that never finished: never read, removed before the first save. */
function removeLeftoverTemp(deps: Deps, checkpoint: string): void {
  const temp = tempPathFor(checkpoint);
  if (!deps.fs.existsSync(temp)) return;
  withIo(() => deps.fs.unlinkSync(temp));
  deps.log(`Removed a leftover temp file ${temp} (a save that never finished; never read)`);
}

function createOutput(fs: Fs, path: string): AppendedOutput {
  try {
    return AppendedOutput.create(fs, path);
  } catch (error) {
    if (isIoFailure(error)) throw new OutputError(`Output ${path} cannot be created (${error.code}); check the folder's permissions and free space`);
    throw error;
  }
}

function checkWritableFolder(fs: Fs, file: string, what: 'Output' | 'Checkpoint'): void {
  const dir = dirname(file);
  if (!fs.existsSync(dir)) throw new OutputError(`${what} folder ${dir} does not exist; create it first`);
  if (what === 'Output' && fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new OutputError(`${what} ${file} is a directory; pass a file path`);
  }
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
      throw new IoError(`I/O error while running: ${error.message}; the last checkpoint and the output it counts are intact, fix the cause and rerun`);
    }
    throw error;
  }
}
