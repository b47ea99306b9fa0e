// One run of the tool, top to bottom: read and check everything (sources, checkpoints, staged
// files), then stage each source batch by batch (append the batch, fsync it, then save the
// checkpoint that counts it), and once every source is done, delete the checkpoints. Every
// error is thrown as a named error; main.ts maps it to an exit code.
import { join } from 'node:path';
import type { Options } from './args.ts';
import { CHECKPOINT_NAME, loadCheckpoint, moveAside, removeCheckpoint, saveCheckpoint, SCHEMA_VERSION, type Checkpoint } from './checkpoint.ts';
import type { Deps, Fs } from './deps.ts';
import { syncDir } from './durable-write.ts';
import { CorruptCheckpointError, IoError, OutputError, isIoFailure } from './errors.ts';
import { percent } from './progress.ts';
import { newRunId } from './run-id.ts';
import { readSources, type Source } from './sources.ts';
import { stageRecord } from './stage-record.ts';
import { planStaged, STAGED_NAME, StagedOutput, type StagedPlan } from './staged-output.ts';

export interface SourceSummary {
  records: number;
  staged: number;
  dropped: number;
  /** the index this run started the source at (0 unless it resumed) */
  resumed_at: number;
  /** records this run read: a resume never reads again what a checkpoint counted (G10) */
  read_this_run: number;
}

export interface Summary {
  run_id: string;
  status: 'completed' | 'interrupted';
  sources: Record<string, SourceSummary>;
}

/** What the checks found for one source, before the run writes anything. */
interface SourcePlan {
  source: Source;
  dir: string;
  checkpointPath: string;
  saved: Checkpoint | undefined;
  staged: StagedPlan;
}

export async function run(options: Options, deps: Deps): Promise<Summary> {
  const { fs } = deps;

  // 1. Check everything before the first write (G3, G4): a refusal leaves every file as it was.
  const sources = readSources(fs, options.sources);
  const total = sources.reduce((n, s) => n + s.records.length, 0);
  checkStagingFolder(fs, options.staging);
  // Each source's checkpoint sits at a fixed path; the run id is read from inside it.
  const plans = sources.map((source) => planSource(fs, options, source));
  const runId = pickRunId(plans, options.staging) ?? newRunId(deps.now());
  const resuming = plans.some((p) => p.saved);
  deps.log(`${resuming ? 'Resuming' : 'Starting'} run ${runId}: ${sources.length} sources, ${total} records, batch size ${options.batchSize}`);

  // 2. --force: every old checkpoint is moved aside first, so no source resumes an old run.
  if (options.force) {
    for (const plan of plans) {
      const aside = setup(plan, () => moveAside(fs, plan.checkpointPath, deps.now()));
      if (aside) deps.log(`[${plan.source.name}] Moved the old checkpoint aside to ${aside}`);
    }
  }

  // 3. Stage each source in turn.
  const summary: Summary = { run_id: runId, status: 'completed', sources: {} };
  let readThisRun = 0;
  for (const plan of plans) {
    const { name, records } = plan.source;
    let cp: Checkpoint = plan.saved ?? { last_index: 0, processed_count: 0, timestamp: '', run_id: runId, source: name, schema_version: SCHEMA_VERSION };
    const entry: SourceSummary = { records: records.length, staged: 0, dropped: 0, resumed_at: cp.last_index, read_this_run: 0 };
    summary.sources[name] = entry;
    const tally = () => Object.assign(entry, { staged: cp.processed_count, dropped: cp.last_index - cp.processed_count });
    tally();

    if (plan.saved && cp.last_index === records.length && plan.staged.extraBytes === 0) {
      deps.log(`[${name}] Already staged by this run (${records.length} of ${records.length} records)`);
      continue;
    }
    const output = setup(plan, () => openSource(fs, plan, deps));
    deps.log(
      plan.saved
        ? `[${name}] Resuming at index ${cp.last_index} of ${records.length} (${percent(cp.last_index, records.length)})`
        : `[${name}] Starting at index 0 of ${records.length}`,
    );
    try {
      for (let start = cp.last_index; start < records.length; start += options.batchSize) {
        const end = Math.min(start + options.batchSize, records.length);
        let lines = '';
        let staged = 0;
        for (let index = start; index < end; index++) {
          const line = stageRecord(name, index, records[index]!);
          if (line !== undefined) {
            lines += line;
            staged++;
          }
          readThisRun++;
          entry.read_this_run++;
          if (readThisRun === options.simulateCrash) {
            deps.log(`Simulating a crash after record ${index} of ${name} (SIGKILL, no cleanup)`);
            deps.crash();
          }
        }
        const next: Checkpoint = {
          last_index: end,
          processed_count: cp.processed_count + staged,
          timestamp: deps.now().toISOString(),
          run_id: runId,
          source: name,
          schema_version: SCHEMA_VERSION,
        };
        withIo(name, () => {
          output.appendDurably(lines); // the batch is on disk first ...
          saveCheckpoint(fs, plan.checkpointPath, next); // ... then the checkpoint that counts it
        });
        cp = next;
        tally();
        deps.log(`[${name}] Checkpoint saved at index ${cp.last_index} (${percent(cp.last_index, records.length)})`);

        // Let a SIGINT handler run between batches; stop only at a saved checkpoint (G7).
        await new Promise((resolve) => (options.pauseMs > 0 ? setTimeout(resolve, options.pauseMs) : setImmediate(resolve)));
        if (deps.interrupt.requested) {
          deps.log(`Interrupted: [${name}] checkpoint saved at index ${cp.last_index} (${percent(cp.last_index, records.length)}); rerun the same command to resume`);
          return { ...summary, status: 'interrupted' };
        }
      }
    } finally {
      output.close();
    }
  }

  // 4. Every source is staged: delete the checkpoints, so the next run starts fresh. They are
  // kept until now so that a crash in a later source never makes an earlier one start over.
  let removed = 0;
  for (const plan of plans) withIo(plan.source.name, () => (removed += removeCheckpoint(fs, plan.checkpointPath) ? 1 : 0));
  deps.log(`All ${plans.length} sources staged; removed ${removed} checkpoint${removed === 1 ? '' : 's'}`);
  return summary;
}

/** Read-only: the source's checkpoint (checked in full) and where its staged file must be cut. */
function planSource(fs: Fs, options: Options, source: Source): SourcePlan {
  const dir = join(options.staging, `source=${source.name}`);
  const checkpointPath = join(dir, CHECKPOINT_NAME);
  // --force does not read the old checkpoint at all: it may be the corrupt one being replaced.
  const saved = options.force ? undefined : loadCheckpoint(fs, checkpointPath, source.name, source.records.length);
  const staged = planStaged(fs, join(dir, STAGED_NAME), saved?.processed_count ?? 0, checkpointPath);
  return { source, dir, checkpointPath, saved, staged };
}

/** The run id of the checkpoints found: a resumed run keeps the id of the run it resumes. */
function pickRunId(plans: SourcePlan[], staging: string): string | undefined {
  const ids = [...new Set(plans.flatMap((p) => (p.saved ? [p.saved.run_id] : [])))];
  if (ids.length > 1) {
    throw new CorruptCheckpointError(
      `Checkpoints in ${staging} belong to different runs (${ids.join(', ')}); move the stray ones aside, or rerun with --force to start every source over`,
    );
  }
  return ids[0];
}

/** Make the source's folder, drop a temp file an interrupted save left, open the staged file. */
function openSource(fs: Fs, plan: SourcePlan, deps: Deps): StagedOutput {
  makeDirDurably(fs, plan.dir);
  const temp = `${plan.checkpointPath}.tmp`;
  if (fs.existsSync(temp)) {
    fs.unlinkSync(temp); // a save that never reached its rename: never read, just removed
    deps.log(`[${plan.source.name}] Removed ${temp} left by an interrupted save (it was never the checkpoint)`);
  }
  if (plan.staged.extraLines > 0) {
    deps.log(`[${plan.source.name}] Cutting ${plan.staged.extraLines} staged records no checkpoint counted from ${plan.staged.path}; they are staged again`);
  }
  return StagedOutput.open(fs, plan.staged);
}

/** mkdir, then fsync the parent, so the new folder survives a power loss too. */
function makeDirDurably(fs: Fs, dir: string): void {
  if (fs.existsSync(dir)) return;
  const parent = join(dir, '..');
  makeDirDurably(fs, parent);
  fs.mkdirSync(dir);
  syncDir(fs, parent);
}

function checkStagingFolder(fs: Fs, staging: string): void {
  if (fs.existsSync(staging) && !fs.statSync(staging).isDirectory()) {
    throw new OutputError(`Staging ${staging} is a file, not a folder; pass a folder path to --staging`);
  }
}

/** Creating the staging files fails: exit 73, nothing staged yet. */
function setup<T>(plan: SourcePlan, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isIoFailure(error)) {
      throw new OutputError(`Cannot create the staging files of source ${plan.source.name} in ${plan.dir} (${error.message}); check the folder's permissions and rerun`);
    }
    throw error;
  }
}

/** Disk full, permission lost or a failed fsync while staging: exit 74, checkpoint not advanced (G9). */
function withIo<T>(source: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isIoFailure(error)) {
      throw new IoError(`I/O error while staging ${source}: ${error.message}; its last checkpoint is intact, fix the cause and rerun to resume`);
    }
    throw error;
  }
}
