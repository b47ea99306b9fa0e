// How this project's tests run the tool: main() in this process, on a real folder (SQLite
// cannot run on the kit's in-memory volume), with a fixed clock and a fake pid. A simulated
// crash is made as real as it can be in-process: at the crash instant every file of the folder
// is copied (the database and its journal mid-transaction included), and once main() has
// returned the folder is put back to that copy, undoing whatever a catch or finally of the
// tool did after the crash. The next run starts from what a SIGKILL would have left.
import * as realFs from 'node:fs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseArgs, type Parsed } from '../src/args.ts';
import type { Deps, Fs } from '../src/deps.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
export const SAMPLE = readFileSync(new URL('../data/sample_messages.log', import.meta.url), 'utf8');
export const CLOCK = new Date('2026-11-25T12:00:00.000Z');

// tmpfs when there is one: fsync costs nothing there, so hundreds of runs stay fast. What these
// tests check is the order of commits and writes; that SQLite's commit survives a power loss
// is SQLite's own promise (synchronous=FULL), and the real-process tests run on the real disk.
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

export type Files = Map<string, Buffer>;

/** A folder holding the message log, the database and the export of one test. */
export class Workspace {
  readonly dir = mkdtempSync(join(SCRATCH, 'crash-course-l5-'));

  constructor(files: Record<string, string> = { 'sample_messages.log': SAMPLE }) {
    for (const [name, text] of Object.entries(files)) writeFileSync(this.path(name), text);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  get db(): string {
    return this.path('registry.db');
  }

  get input(): string {
    return this.path('sample_messages.log');
  }

  get export(): string {
    return this.path('patterns.json');
  }

  exists(name: string): boolean {
    return existsSync(this.path(name));
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  /** Every file, by name, byte for byte. */
  files(): Files {
    return new Map(readdirSync(this.dir).sort().map((name) => [name, readFileSync(this.path(name))]));
  }

  /** Put the folder back to `files`: the same names, the same bytes. */
  restore(files: Files): void {
    for (const name of readdirSync(this.dir)) if (!files.has(name)) unlinkSync(this.path(name));
    for (const [name, bytes] of files) writeFileSync(this.path(name), bytes);
  }

  /** A second folder with the same files, for an independent run from the same state. */
  copy(): Workspace {
    const other = new Workspace({});
    other.restore(this.files());
    return other;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** mine-patterns 7 on this workspace's files, batch size 2 unless given. */
export function mineArgs(ws: Workspace, ...extra: string[]): string[] {
  const batch = extra.includes('--batch-size') ? [] : ['--batch-size', '2'];
  return ['mine-patterns', '7', '--db', ws.db, '--input', ws.input, '--export', ws.export, ...batch, ...extra];
}

export function resumeArgs(ws: Workspace, id: number, ...extra: string[]): string[] {
  return ['resume-mining', String(id), '--db', ws.db, ...extra];
}

export function listArgs(ws: Workspace, ...extra: string[]): string[] {
  return ['list-checkpoints', ...extra, '--db', ws.db];
}

export interface Run {
  code: number | 'crashed';
  log: string[];
  out: string;
  pid: number;
}

class SimulatedSigkill extends Error {}

// yargs takes tens of milliseconds per parse on a busy machine, and the sweeps run the tool
// hundreds of times: each command line is parsed once by the real parser, and a
// --simulate-crash value is set on a copy (tests/flags.test.ts checks the parser itself).
const parsed = new Map<string, Parsed>();
function parseOnce(argv: string[]): Parsed {
  const at = argv.indexOf('--simulate-crash');
  const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 2)];
  const key = JSON.stringify(rest);
  if (!parsed.has(key)) parsed.set(key, parseArgs(rest));
  const base = parsed.get(key)!;
  if (at === -1 || base.kind === 'print' || base.kind === 'list-checkpoints') return base;
  return { ...base, options: { ...base.options, simulateCrash: Number(argv[at + 1]) } } as Parsed;
}

let nextPid = 60_000;

export interface RunOptions {
  /** default: only this run's own pid is alive (every earlier run has "died") */
  isAlive?: (pid: number) => boolean;
  interrupt?: { requested: boolean };
  fs?: Fs;
  pid?: number;
  /** called by the tool's first log line matching this, e.g. to request an interrupt */
  onLog?: (line: string) => void;
}

export async function runTool(ws: Workspace, argv: string[], opts: RunOptions = {}): Promise<Run> {
  const pid = opts.pid ?? nextPid++;
  const log: string[] = [];
  let out = '';
  let atCrash: Files | undefined;
  const deps: Deps = {
    fs: opts.fs ?? realFs,
    pid,
    isAlive: opts.isAlive ?? ((p) => p === pid),
    now: () => CLOCK,
    log: (line) => {
      log.push(line);
      opts.onLog?.(line);
    },
    out: (text) => (out += text),
    crash: () => {
      atCrash = ws.files();
      throw new SimulatedSigkill('SIGKILL');
    },
    interrupt: opts.interrupt ?? { requested: false },
  };
  const code = await main(argv, deps, parseOnce);
  if (atCrash) {
    ws.restore(atCrash);
    return { code: 'crashed', log, out, pid };
  }
  return { code, log, out, pid };
}

/** Run a statement on the registry, as a learner would with the sqlite3 shell. */
export function sql(ws: Workspace, statement: string, ...params: unknown[]): void {
  const db = new Database(ws.db, { fileMustExist: true });
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

export function query<T>(ws: Workspace, statement: string, ...params: unknown[]): T[] {
  const db = new Database(ws.db, { fileMustExist: true });
  try {
    return db.prepare(statement).all(...params) as T[];
  } finally {
    db.close();
  }
}

export interface ResultRow {
  checkpoint_id: number;
  pattern: string;
  spam_count: number;
  example_message_id: number;
}

/** The results table, in the order its rows were written. */
export function resultRows(ws: Workspace): ResultRow[] {
  return query<ResultRow>(ws, 'SELECT checkpoint_id, pattern, spam_count, example_message_id FROM mined_patterns ORDER BY rowid');
}

export interface Row {
  id: number;
  status: string;
  stage: string;
  days: number;
  min_spam_count: number;
  last_processed_message_id: number | null;
  chunk_index: number;
  patterns_in_progress: string | null;
  metadata: string;
  owner_pid: number | null;
  error: string | null;
}

export function checkpointRows(ws: Workspace): Row[] {
  return query<Row>(ws, 'SELECT * FROM pattern_mining_checkpoints ORDER BY id');
}

/** What an uninterrupted run leaves: the results rows and the export, to compare resumed runs with. */
export async function reference(...extra: string[]): Promise<{ rows: ResultRow[]; exported: string; log: string[] }> {
  const ws = new Workspace();
  try {
    const run = await runTool(ws, mineArgs(ws, ...extra));
    if (run.code !== 0) throw new Error(`the uninterrupted run exited ${run.code}: ${run.log.join('\n')}`);
    return { rows: resultRows(ws), exported: ws.read('patterns.json'), log: run.log };
  } finally {
    ws.remove();
  }
}

/** The sample's window (mine-patterns 7): its messages newest first, and its stage-2 groups. */
export const SAMPLE_WINDOW_MESSAGES = SAMPLE.split('\n').filter((l) => /^\d+\t2026-03-(0[4-9]|10)\t/.test(l)).length;
