// One run of the tool, top to bottom: check everything, then resume or start fresh, then
// audit batch by batch (append each flagged post's row, then checkpoint the batch), then
// clear the checkpoint. Every error is thrown as a named error; main.ts maps it to a code.
import { dirname } from 'node:path';
import type { Options } from './args.ts';
import { analyse } from './analyse.ts';
import { loadCheckpoint, moveAside, saveCheckpoint } from './checkpoint.ts';
import type { Deps, Fs } from './deps.ts';
import { IoError, OutputError, isIoFailure } from './errors.ts';
import { readPosts } from './posts.ts';
import { percent } from './progress.ts';
import { appendResult, applyReconciliation, createResults, planReconciliation } from './results-file.ts';

export interface Summary {
  status: 'completed';
  posts: number;
  flagged: number;
  audited_this_run: number;
  resumed_from: number;
  output: string;
}

export async function run(options: Options, deps: Deps): Promise<Summary> {
  const { fs, log } = deps;
  // Read and check everything before the first write (G3, G4).
  const posts = readPosts(fs, options.input); // 66 missing, 65 a bad record
  checkWritableFolder(fs, options.output, 'Output');
  checkWritableFolder(fs, options.checkpoint, 'Checkpoint');

  if (options.force) {
    // Start over, but keep what was there: both files are renamed, never deleted.
    for (const path of [options.checkpoint, options.output]) {
      const aside = setup(() => moveAside(fs, path, deps.now()), `cannot move ${path} aside`);
      if (aside) log(`Moved ${path} aside to ${aside}`);
    }
  }

  const saved = loadCheckpoint(fs, options.checkpoint, posts.length, options.input); // 65 if corrupt
  let keptRows = 0;
  if (saved === undefined) {
    // No checkpoint but a results file: a finished run's output (its checkpoint was cleared),
    // or someone else's file. Appending to it would duplicate every row: refuse.
    if (fs.existsSync(options.output)) {
      throw new OutputError(
        `Results file ${options.output} already exists and there is no checkpoint ${options.checkpoint} (a finished run?); move it aside or rerun with --force`,
      );
    }
    startFresh(fs, options);
    log(`Starting fresh: ${posts.length} posts in ${options.input}, batch size ${options.batchSize}`);
  } else {
    const plan = planReconciliation(fs, options.output, saved, posts, options.checkpoint); // 65 if it cannot be explained
    withIo(() => applyReconciliation(fs, options.output, plan));
    keptRows = plan.keptRows;
    log(`Resuming from checkpoint at index ${saved} of ${posts.length} (${percent(saved, posts.length)})`);
    if (plan.droppedRows > 0 || plan.droppedTorn) {
      const torn = plan.droppedTorn ? `${plan.droppedRows > 0 ? ' and' : ''} a row cut off mid-write` : '';
      const rows = plan.droppedRows > 0 ? `${plan.droppedRows} row${plan.droppedRows === 1 ? '' : 's'} written after the checkpoint` : '';
      log(`Reconciled ${options.output}: dropped ${rows}${torn}`);
    } else if (plan.writeHeader) {
      log(`Reconciled ${options.output}: wrote the missing header (a crash came before it was whole)`);
    }
  }

  const start = saved ?? 0;
  let audited = 0;
  let flagged = 0;
  for (let i = start; i < posts.length; i += options.batchSize) {
    const batch = posts.slice(i, i + options.batchSize);
    for (let index = i; index < i + batch.length; index++) {
      const post = posts[index]!;
      const reasons = analyse(post);
      if (reasons.length > 0) {
        withIo(() => appendResult(fs, options.output, { index, post, reasons }));
        flagged++;
      }
      audited++;
      if (audited === options.simulateCrash) {
        log(`Simulating a crash after post ${index} (SIGKILL, no cleanup)`);
        deps.crash();
      }
    }
    // The rows of this batch are in the file; now the checkpoint may count them.
    const next = i + batch.length;
    withIo(() => saveCheckpoint(fs, options.checkpoint, next));
    log(`Checkpoint saved at index ${next} (${percent(next, posts.length)})`);
  }

  // Done: clear the checkpoint, so the next run does not mistake this job for unfinished.
  withIo(() => fs.unlinkSync(options.checkpoint));
  log(`Flagged ${keptRows + flagged} of ${posts.length} posts; results in ${options.output}; checkpoint cleared`);
  return {
    status: 'completed',
    posts: posts.length,
    flagged: keptRows + flagged,
    audited_this_run: audited,
    resumed_from: start,
    output: options.output,
  };
}

/**
 * A fresh start: checkpoint 0 first, then the results file with its header. In that order,
 * "results file but no checkpoint" can only mean a finished run, and a crash between the two
 * leaves checkpoint 0 and no file, which a resume completes.
 */
function startFresh(fs: Fs, options: Options): void {
  setup(() => saveCheckpoint(fs, options.checkpoint, 0), `cannot create checkpoint ${options.checkpoint}`);
  try {
    createResults(fs, options.output);
  } catch (error) {
    removeQuietly(fs, options.checkpoint); // leave the folder as it was: nothing started
    if (isIoFailure(error)) throw new OutputError(`Results file ${options.output} cannot be created (${error.code}); check the folder's permissions and free space`);
    throw error;
  }
}

function checkWritableFolder(fs: Fs, file: string, what: 'Output' | 'Checkpoint'): void {
  const dir = dirname(file);
  if (!fs.existsSync(dir)) throw new OutputError(`${what} folder ${dir} does not exist; create it first`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new OutputError(`${what} ${file} is a folder; pass a file path`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new OutputError(`${what} folder ${dir} is not writable; check its permissions`);
  }
}

/** Before the first post: a disk or permission failure means the output cannot be created (73). */
function setup<T>(work: () => T, what: string): T {
  try {
    return work();
  } catch (error) {
    if (isIoFailure(error)) throw new OutputError(`${what[0]!.toUpperCase()}${what.slice(1)} (${error.code}); check the folder's permissions and free space`);
    throw error;
  }
}

/** Disk full or permission lost while running: exit 74, checkpoint not advanced (G9). */
function withIo<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isIoFailure(error)) {
      throw new IoError(`I/O error while running: ${error.message}; the last checkpoint is intact, fix the cause and rerun to resume`);
    }
    throw error;
  }
}

function removeQuietly(fs: Fs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // nothing to tidy, or the disk refuses: checkpoint 0 with no results file resumes cleanly
  }
}
