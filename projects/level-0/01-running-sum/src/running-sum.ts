// The running sum: validate everything, resume from the checkpoint (or start at byte 0),
// stream the numbers, save {offset, runningSum} every --batch-size numbers, and at the end
// write the output and clear the checkpoint.
import { removeLeftoverTemp, writeFileAtomically } from './atomic-write.ts';
import { SCHEMA_VERSION, type Checkpoint } from './checkpoint.ts';
import { clearCheckpoint, loadCheckpoint, moveCheckpointAside, saveCheckpoint } from './checkpoint-file.ts';
import type { Deps } from './deps.ts';
import { InputError, OutputError, errnoOf, ioError } from './errors.ts';
import { fingerprintInput, type InputFingerprint } from './fingerprint.ts';
import { DEFAULT_CHUNK_BYTES, readNumbers } from './number-stream.ts';
import { checkCreatable, checkDistinct, checkInput } from './preflight.ts';

export interface SumOptions {
  input: string;
  output: string;
  checkpoint: string;
  /** numbers per checkpoint */
  batchSize: number;
  /** crash (SIGKILL) after this many numbers summed in this run */
  simulateCrash?: number;
  /** start over: move an existing checkpoint aside without reading it */
  force: boolean;
  /** bytes per read (tests make it small to put numbers across chunk boundaries) */
  chunkBytes?: number;
}

export interface SumSummary {
  input: string;
  output: string;
  count: number;
  sum: string;
  resumedFromOffset: number;
  checkpointsSaved: number;
}

export async function runningSum(deps: Deps, opts: SumOptions): Promise<SumSummary> {
  // 1. Everything is checked before the first write (G3, G4).
  checkDistinct({ '--input': opts.input, '--output': opts.output, '--checkpoint': opts.checkpoint });
  const size = checkInput(deps, opts.input);
  checkCreatable(deps, opts.output, '--output');
  checkCreatable(deps, opts.checkpoint, '--checkpoint');
  const fingerprint = readFingerprint(deps, opts.input, size);

  // 2. Where to start: a fresh sum, or the position and sum a checkpoint saved together.
  let state: Checkpoint;
  const fresh: Checkpoint = { schemaVersion: SCHEMA_VERSION, input: fingerprint, offset: 0, count: 0, runningSum: 0n };
  if (opts.force) {
    const backup = moveCheckpointAside(deps, opts.checkpoint);
    if (backup) deps.log(`Moved checkpoint ${opts.checkpoint} aside to ${backup} (--force)`);
    state = fresh;
  } else {
    state = loadCheckpoint(deps, opts.checkpoint, { path: opts.input, fingerprint }) ?? fresh;
  }
  tidy(deps, opts.checkpoint);
  tidy(deps, opts.output);
  const resumedFromOffset = state.offset;
  if (state.offset === 0) deps.log(`Starting at offset 0 of ${opts.input} (${size} bytes)`);
  else {
    deps.log(
      `Resuming at offset ${state.offset} (${percent(state.offset, size)}) from ${opts.checkpoint}: ${state.count} numbers summed, running sum ${state.runningSum}`,
    );
  }

  // 3. Stream from the offset: the bytes before it are never read again.
  let summedThisRun = 0;
  let sinceSave = 0;
  let checkpointsSaved = 0;
  try {
    for await (const item of readNumbers(deps.fs, opts.input, state.offset, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES)) {
      // The new state is built whole: offset past this number AND the sum including it.
      state = { ...state, offset: item.end, count: state.count + 1, runningSum: state.runningSum + item.value };
      summedThisRun++;
      sinceSave++;
      if (opts.simulateCrash === summedThisRun) {
        deps.log(`Simulating a crash after number ${summedThisRun} of this run (SIGKILL)`);
        deps.crash();
      }
      if (sinceSave === opts.batchSize) {
        saveCheckpoint(deps, opts.checkpoint, state);
        checkpointsSaved++;
        sinceSave = 0;
        deps.log(`Checkpoint saved at offset ${state.offset} (${percent(state.offset, size)})`);
      }
    }
  } catch (error) {
    // A read that fails mid-stream (EIO) is an I/O error; everything else passes through.
    throw ioError(`Could not read input ${opts.input}`, error, 'the last checkpoint is kept');
  }

  // 4. The result, then the checkpoint cleared. A crash between the two resumes from the
  // last checkpoint and writes the same bytes again.
  const result = { input: opts.input, count: state.count, sum: state.runningSum.toString() };
  try {
    writeFileAtomically(deps.fs, opts.output, [JSON.stringify(result, null, 2) + '\n']);
  } catch (error) {
    const code = errnoOf(error);
    if (!code) throw error;
    throw new OutputError(`Cannot write output ${opts.output} (${code}); the checkpoint is kept, fix the cause and rerun to finish`);
  }
  clearCheckpoint(deps, opts.checkpoint);
  deps.log(`Done: ${state.count} numbers, sum ${state.runningSum} written to ${opts.output}; checkpoint cleared`);
  return { input: opts.input, output: opts.output, count: state.count, sum: result.sum, resumedFromOffset, checkpointsSaved };
}

function readFingerprint(deps: Deps, path: string, size: number): InputFingerprint {
  try {
    return fingerprintInput(deps.fs, path, size);
  } catch (error) {
    throw new InputError(`Input ${path} cannot be read (${errnoOf(error) ?? (error as Error).message}); check its permissions`);
  }
}

function tidy(deps: Deps, path: string): void {
  try {
    removeLeftoverTemp(deps, path);
  } catch (error) {
    throw ioError(`Could not remove the leftover temp file of ${path}`, error, 'nothing was changed');
  }
}

export function percent(offset: number, size: number): string {
  return `${size === 0 ? '100.0' : ((offset / size) * 100).toFixed(1)}%`;
}
