// Crash states and the G1 sweep: run the tool once to count its operations, then crash it at
// every operation (clean, torn, and, from level 2, each kind of power loss), resume from the
// volume each crash left, and require the same bytes as a run that was never interrupted.
import type { Volume } from 'memfs';
import { POWER_LOSS_KINDS } from './durability.ts';
import type { Faults } from './faults.ts';
import { RecordingFs, SimulatedCrash, type CrashPoint, type SyncFs } from './recording-fs.ts';
import { diffSnapshots, seedVolume, snapshotKey, snapshotVolume, volumeFromSnapshot, type SeedFiles, type Snapshot } from './volume.ts';

/** What a tool run gets from the kit. A project's test adapts its own `main` to this. */
export interface KitEnv {
  fs: SyncFs;
  /** the pid this run pretends to have; each run gets a new one */
  pid: number;
  /** pids of runs that crashed are dead; the running one is alive */
  isAlive: (pid: number) => boolean;
  /** what --simulate-crash calls: snapshot the volume and die */
  crash: () => never;
  /** stderr lines of this run */
  log: string[];
  /** stdout text of this run */
  out: string[];
}

export type ToolRun = (env: KitEnv) => Promise<number>;

export interface RunResult {
  code: number | 'crashed';
  rec: RecordingFs;
  env: KitEnv;
  /** the volume after the run, or at the crash instant */
  after: Snapshot;
  error?: unknown;
}

let nextPid = 40_000;

/** Run the tool once on `vol` (crashing where asked), catching the simulated crash. */
export async function runOnVolume(run: ToolRun, vol: Volume, crash?: CrashPoint, faults?: Faults): Promise<RunResult> {
  const rec = new RecordingFs(vol, crash, faults);
  const pid = nextPid++;
  const env: KitEnv = {
    fs: rec.fs,
    pid,
    isAlive: (p) => p === pid,
    crash: () => rec.crashNow('--simulate-crash'),
    log: [],
    out: [],
  };
  try {
    const code = await run(env);
    if (rec.crashed) return { code: 'crashed', rec, env, after: rec.crashSnapshot! };
    return { code, rec, env, after: snapshotVolume(vol) };
  } catch (error) {
    if (rec.crashed || error instanceof SimulatedCrash) return { code: 'crashed', rec, env, after: rec.crashSnapshot!, error };
    throw error;
  }
}

export interface CrashState {
  /** e.g. "op 12 (rename /data/.checkpoint.json.tmp) torn" */
  name: string;
  point: CrashPoint;
  volume: Snapshot;
}

export interface SweepOptions {
  /** the volume before the first run */
  files: SeedFiles;
  /** extra (empty) directories to create */
  dirs?: string[];
  run: ToolRun;
  /** include torn writes (default true) */
  torn?: boolean;
  /** include power-loss states (level 2 up) */
  powerLoss?: boolean;
  /** how many resumes a state may take to finish (default 1) */
  maxResumes?: number;
}

export interface SweepPlan {
  /** the finished volume of an uninterrupted run */
  reference: Snapshot;
  operations: number;
  states: CrashState[];
  /** states that leave the same bytes are resumed once */
  distinct: number;
  /** resume every state; returns one line per state that did not end byte-identical */
  verify(): Promise<string[]>;
}

/** Count the operations of an uninterrupted run and build every crash state of it. */
export async function planCrashSweep(opts: SweepOptions): Promise<SweepPlan> {
  const first = await runOnVolume(opts.run, seedVolume(opts.files, opts.dirs));
  if (first.code !== 0) throw new Error(`the uninterrupted run exited ${first.code}: ${first.env.log.join('\n')}`);
  const reference = first.after;
  const ops = first.rec.ops;

  const points: CrashPoint[] = [];
  for (const op of ops) {
    points.push({ at: op.seq });
    const tearable = ['write', 'writeFile', 'appendFile'].includes(op.kind) && (op.bytes ?? 0) >= 2;
    if (opts.torn !== false && tearable) points.push({ at: op.seq, torn: true });
    if (opts.powerLoss) for (const kind of POWER_LOSS_KINDS) points.push({ at: op.seq, powerLoss: kind });
  }
  // After the last operation too: a power loss once the run is done must not undo it either.
  if (opts.powerLoss) for (const kind of POWER_LOSS_KINDS) points.push({ at: ops.length, powerLoss: kind });

  const states: CrashState[] = [];
  for (const point of points) {
    const crashed = await runOnVolume(opts.run, seedVolume(opts.files, opts.dirs), point);
    const op = ops[point.at];
    const where = op ? `op ${point.at} (${op.kind} ${op.path}${op.to ? ` -> ${op.to}` : ''})` : `after op ${point.at - 1} (run finished)`;
    const how = point.torn ? ' torn' : point.powerLoss ? ` power loss: ${point.powerLoss}` : '';
    // A power loss after the last operation meets a run that completed: take its image.
    const volume = crashed.code === 'crashed' || !point.powerLoss ? crashed.after : crashed.rec.powerLossImage(point.powerLoss);
    states.push({ name: `${where}${how}`, point, volume });
  }

  const unique = new Map<string, CrashState>();
  for (const s of states) if (!unique.has(snapshotKey(s.volume))) unique.set(snapshotKey(s.volume), s);

  return {
    reference,
    operations: ops.length,
    states,
    distinct: unique.size,
    async verify() {
      const failures: string[] = [];
      for (const state of unique.values()) {
        const problem = await resumeToEnd(opts.run, state.volume, reference, opts.maxResumes ?? 1);
        if (problem) failures.push(`${state.name}: ${problem}`);
      }
      return failures;
    },
  };
}

/** Resume from a crash state until the tool exits 0; undefined when the result is byte-identical. */
export async function resumeToEnd(run: ToolRun, from: Snapshot, reference: Snapshot, maxResumes = 1): Promise<string | undefined> {
  let volume = from;
  for (let attempt = 1; attempt <= maxResumes; attempt++) {
    const vol = volumeFromSnapshot(volume);
    const result = await runOnVolume(run, vol);
    if (result.code === 0) {
      const diff = diffSnapshots(reference, result.after);
      return diff.length ? diff.join('; ') : undefined;
    }
    if (attempt === maxResumes) return `resume exited ${result.code}: ${result.env.log.at(-1) ?? ''}`;
    volume = result.after;
  }
  return undefined;
}

export interface CheckedRun {
  code: number | 'crashed';
  /** stderr lines */
  log: string[];
  /** stdout text */
  out: string;
  /** what the run changed on the volume (empty when nothing) */
  changes: string[];
  /** every change operation it made, in order */
  ops: RunResult['rec']['ops'];
}

/** One run on a fresh volume, with what it changed: for the "refused, nothing written" tests. */
export async function runAndDiff(run: ToolRun, files: SeedFiles, dirs: string[] = []): Promise<CheckedRun> {
  const vol = seedVolume(files, dirs);
  const before = snapshotVolume(vol);
  const result = await runOnVolume(run, vol);
  return { code: result.code, log: result.env.log, out: result.env.out.join(''), changes: diffSnapshots(before, result.after), ops: result.rec.ops };
}
