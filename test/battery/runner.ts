// How the battery runs a course project: its src/main.ts, in this process, on the kit's
// recording file system (memfs), with the project folder mounted at /p. A project's `run`
// arguments from project.json (`data/sample_input.txt`, ...) become `/p/data/sample_input.txt`.
//
// A run starts from a world (a kit Snapshot: every file and folder, byte for byte) and ends with
// another, so every case can compare the bytes before and after. A crash (--simulate-crash,
// or a kit crash point) ends the run with the volume as it stood at that instant.
//
// One store is not memfs: level 5's SQLite database is written by SQLite itself, so for that
// project the files named like the database live in a real temp folder, routed there by a
// proxy over node:fs (as the level's own tests/export-crash-states.test.ts does), and copied
// into and out of the world's snapshot around each run.
import * as realFs from 'node:fs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { createFsFromVolume } from 'memfs';
import {
  RecordingFs,
  SimulatedCrash,
  snapshotVolume,
  volumeFromSnapshot,
  type CrashPoint,
  type Faults,
  type Operation,
  type Snapshot,
  type SyncFs,
} from '../kit/index.ts';
import type { Project } from '../../tools/lib/projects.ts';

/** Where the project folder is in the memfs volume. */
export const ROOT = '/p';
/** A fixed clock: every run writes the same bytes, so worlds can be compared. */
export const CLOCK = new Date('2026-11-25T12:00:00.000Z');

/** A path of the project folder (`data/x`) as the tool sees it in the volume. */
export const at = (rel: string): string => (rel === '.' || rel === '' ? ROOT : `${ROOT}/${rel.replace(/^\.\//, '')}`);
/** The reverse, for messages: `/p/data/x` -> `data/x`. */
export const rel = (abs: string): string => (abs.startsWith(`${ROOT}/`) ? abs.slice(ROOT.length + 1) : abs);

/** An argument that names a file or folder of the project: `data/sample_input.txt`, `data/staging`. */
export function isPathArg(arg: string): boolean {
  return !arg.startsWith('-') && arg.includes('/') && !isAbsolute(arg);
}

export function mapArgs(argv: string[]): string[] {
  return argv.map((a) => (isPathArg(a) ? at(a) : a));
}

/** The committed sample data of a project (data/sample*, as scratchProject copies it), mounted at /p/data. */
export function sampleWorld(project: Project): Snapshot {
  const snap: Snapshot = { files: new Map(), dirs: new Set(['/', ROOT, at('data')]) };
  const walk = (dir: string, relDir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const r = `${relDir}/${name}`;
      if (realFs.statSync(full).isDirectory()) {
        snap.dirs.add(at(r));
        walk(full, r);
      } else snap.files.set(at(r), readFileSync(full));
    }
  };
  const data = join(project.dir, 'data');
  if (existsSync(data)) {
    for (const name of readdirSync(data).sort()) {
      if (!/^(sample|README)/.test(name)) continue;
      const full = join(data, name);
      if (realFs.statSync(full).isDirectory()) {
        snap.dirs.add(at(`data/${name}`));
        walk(full, `data/${name}`);
      } else snap.files.set(at(`data/${name}`), readFileSync(full));
    }
  }
  return snap;
}

/** A world with some files added (or replaced) and some removed: paths relative to the project. */
export function withFiles(world: Snapshot, files: Record<string, string | Buffer | null> = {}, dirs: string[] = []): Snapshot {
  const next: Snapshot = { files: new Map(world.files), dirs: new Set(world.dirs) };
  const addDir = (abs: string) => {
    for (let d = abs; d !== '/' && !next.dirs.has(d); d = dirname(d)) next.dirs.add(d);
  };
  for (const d of dirs) addDir(at(d));
  for (const [path, content] of Object.entries(files)) {
    if (content === null) next.files.delete(at(path));
    else {
      addDir(dirname(at(path)));
      next.files.set(at(path), Buffer.from(content));
    }
  }
  return next;
}

export interface RunOptions {
  faults?: Faults;
  /** a kit crash point: stop the run before operation `at` */
  crash?: CrashPoint;
  /** pids (besides the run's own) that isAlive reports as running: a live lock holder */
  alive?: number[];
  /**
   * memfs as it is, without the recording fs (no operation log, no faults, no crash points):
   * for a run on 10 MB of input, whose cost is otherwise the kit copying the file at every fsync.
   */
  plain?: boolean;
}

export interface Outcome {
  code: number | 'crashed';
  /** stderr lines */
  log: string[];
  stdout: string;
  /** every operation that changed the memfs volume, in order */
  ops: Operation[];
  /** files that appeared in, changed in or vanished from the real folder (level 5's database) */
  realChanges: string[];
  /** the world after the run (or at the crash instant) */
  after: Snapshot;
  /** this run's pid */
  pid: number;
}

/** What a project needs besides the standard Deps (docs/contributing.md), built per run. */
export type ExtraDeps = (project: Project, fs: SyncFs, now: () => Date) => Promise<Record<string, unknown>>;

export interface ToolOptions {
  extraDeps?: ExtraDeps;
  /**
   * Complete an argument list before it is run: a tool whose flags default to paths relative
   * to the folder it is started in (level 5: --db data/registry.db) gets them spelled out, so
   * they land in the volume and never on the disk of the machine running the tests.
   */
  completeArgs?: (argv: string[]) => string[];
  /** wrap the project's main(): how a test plants a fault in a real tool without editing it */
  wrapMain?: (main: Main) => Main;
  /** file names (under data/) that a real process would write with its own I/O (SQLite) */
  realFiles?: RegExp;
}

export type Main = (argv: string[], deps: Record<string, unknown>) => Promise<number>;

/** A course project's tool, run in this process. */
export interface Tool {
  project: Project;
  run(world: Snapshot, argv: string[], options?: RunOptions): Promise<Outcome>;
}

let nextPid = 70_000;
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** A course project's tool: its src/main.ts. */
export async function loadTool(project: Project, options: ToolOptions = {}): Promise<Tool> {
  const loaded = (await import(join(project.dir, 'src', 'main.ts'))) as { main: Main };
  return toolFromMain(project, loaded.main, options);
}

/** Any main(argv, deps) as a battery tool (the battery's own tests hand in toy ones). */
export function toolFromMain(project: Project, original: Main, options: ToolOptions = {}): Tool {
  const main = options.wrapMain ? options.wrapMain(original) : original;
  return {
    project,
    async run(world, argv, runOptions = {}) {
      return runMain(project, main, options, world, argv, runOptions);
    },
  };
}

async function runMain(project: Project, main: Main, toolOptions: ToolOptions, world: Snapshot, argv: string[], opts: RunOptions): Promise<Outcome> {
  const isReal = (abs: string) => toolOptions.realFiles !== undefined && dirname(abs) === at('data') && toolOptions.realFiles.test(basename(abs));
  const memWorld: Snapshot = { files: new Map([...world.files].filter(([p]) => !isReal(p))), dirs: world.dirs };
  const vol = volumeFromSnapshot(memWorld);
  if (opts.plain && (opts.crash || opts.faults)) throw new Error('a plain run has no crash points and no faults');
  const rec = new RecordingFs(vol, opts.crash, opts.faults);
  const memFs = opts.plain ? (createFsFromVolume(vol) as unknown as SyncFs) : rec.fs;
  const pid = nextPid++;
  const log: string[] = [];
  let stdout = '';

  // The real folder for level 5's database: it stands for /p/data.
  const realDir = toolOptions.realFiles ? mkdtempSync(join(SCRATCH, 'crash-course-battery-')) : undefined;
  const realBefore = new Map<string, Buffer>();
  if (realDir) {
    for (const [p, bytes] of world.files) {
      if (isReal(p)) {
        writeFileSync(join(realDir, basename(p)), bytes);
        realBefore.set(basename(p), bytes);
      }
    }
  }
  const realFilesNow = () => new Map(readdirSync(realDir!).sort().map((n) => [n, readFileSync(join(realDir!, n))] as const));
  let realAtCrash: Map<string, Buffer> | undefined;
  const crash = (): never => {
    if (realDir) realAtCrash ??= realFilesNow();
    return rec.crashNow('--simulate-crash');
  };
  const fs = realDir ? routedFs(memFs, () => (realAtCrash ??= realFilesNow())) : memFs;
  const toArg = (a: string) => {
    if (!isPathArg(a)) return a;
    const abs = at(a);
    if (realDir && toolOptions.realFiles!.test(basename(abs)) && !isReal(abs)) {
      throw new Error(`${a}: only data/ stands for a real folder; SQLite would open ${abs} on the real disk`);
    }
    return realDir && isReal(abs) ? join(realDir, basename(abs)) : abs;
  };
  // A message names the real folder as the project's data/ folder, so expectations read the same.
  const unreal = (text: string) => (realDir ? text.split(realDir).join(at('data')) : text);

  const alive = new Set(opts.alive ?? []);
  const now = () => CLOCK;
  const deps: Record<string, unknown> = {
    fs,
    pid,
    isAlive: (p: number) => p === pid || alive.has(p),
    now,
    log: (line: string) => log.push(unreal(line)),
    out: (text: string) => (stdout += unreal(text)),
    crash,
    interrupt: { requested: false },
    ...(toolOptions.extraDeps ? await toolOptions.extraDeps(project, fs, now) : {}),
  };

  let code: number | 'crashed';
  try {
    code = await main((toolOptions.completeArgs?.(argv) ?? argv).map(toArg), deps);
    if (rec.crashed) code = 'crashed';
  } catch (error) {
    if (!(rec.crashed || error instanceof SimulatedCrash)) throw error;
    code = 'crashed';
  }

  const after: Snapshot = rec.crashed ? rec.crashSnapshot! : snapshotVolume(vol);
  const realChanges: string[] = [];
  if (realDir) {
    const realAfter = realAtCrash ?? realFilesNow();
    for (const [name, bytes] of realAfter) {
      after.files.set(at(`data/${name}`), bytes);
      const old = realBefore.get(name);
      if (!old || !old.equals(bytes)) realChanges.push(at(`data/${name}`));
    }
    for (const name of realBefore.keys()) if (!realAfter.has(name)) realChanges.push(at(`data/${name}`));
    rmSync(realDir, { recursive: true, force: true });
    // SQLite opens paths itself: a database path outside data/ would have been the real /p.
    if (existsSync(ROOT)) throw new Error(`a run of ${project.id} created ${ROOT} on the real disk: keep its database under data/`);
  }
  return { code, log, stdout, ops: rec.ops, realChanges, after, pid };
}

/** node:fs for the real folder, the recording fs for everything under /p. */
function routedFs(mem: SyncFs, atCrash: () => void): SyncFs {
  // A relative path would be the real folder the tests run in: refuse it rather than write there.
  const guard = (arg: unknown) => {
    if (typeof arg === 'string' && !isAbsolute(arg)) throw new Error(`the battery does not let a tool touch the real disk at the relative path ${arg}`);
  };
  const onVolume = (arg: unknown) =>
    typeof arg === 'string' ? arg === ROOT || arg.startsWith(`${ROOT}/`) : typeof arg === 'number' && arg > 1_000_000; // memfs fds count down from 2^31
  return new Proxy(realFs, {
    get(real, name) {
      const value = Reflect.get(real, name) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!onVolume(args[0])) {
          guard(args[0]);
          return (value as (...a: unknown[]) => unknown).apply(real, args);
        }
        try {
          return (Reflect.get(mem, name) as (...a: unknown[]) => unknown)(...args);
        } catch (error) {
          if (error instanceof SimulatedCrash) atCrash();
          throw error;
        }
      };
    },
  }) as SyncFs;
}
