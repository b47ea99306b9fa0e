// The plain file of this level, the export, with the kit: its writes are crashed at every
// operation (clean, torn, and each kind of power loss) while the database stays on the real
// disk; the database is copied at the crash instant, so each resume starts from both halves of
// one moment. Then disk full, permission lost and a failed fsync while writing it.
//
// The kit's planCrashSweep cannot be used as it stands: it models one store (the volume), and
// this tool has two. The sweep below is built from the kit's parts instead.
import * as realFs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  diffSnapshots,
  POWER_LOSS_KINDS,
  RecordingFs,
  seedVolume,
  SimulatedCrash,
  snapshotVolume,
  volumeFromSnapshot,
  type CrashPoint,
  type Faults,
  type Snapshot,
} from '../../../../test/kit/index.ts';
import type { Volume } from 'memfs';
import type { Fs } from '../src/deps.ts';
import { EXIT, exitCodeFor } from '../src/exit-codes.ts';
import { explainDbError } from '../src/registry.ts';
import { checkpointRows, resultRows, runTool, SAMPLE, Workspace, type Files } from './tool.ts';

const INPUT = '/mem/data/sample_messages.log';
const EXPORT = '/mem/data/patterns.json';
const seed = () => seedVolume({ [INPUT]: SAMPLE });
const argv = (ws: Workspace) => ['mine-patterns', '7', '--db', ws.db, '--input', INPUT, '--export', EXPORT, '--batch-size', '10'];

/** node:fs for the database's folder, the kit's recording fs for everything under /mem. */
function routedFs(rec: RecordingFs, atCrash: () => void): Fs {
  const onVolume = (arg: unknown) => (typeof arg === 'string' ? arg === '/mem' || arg.startsWith('/mem/') : typeof arg === 'number' && arg > 1_000_000); // memfs fds count down from 2^31
  return new Proxy(realFs, {
    get(real, name) {
      const value = Reflect.get(real, name) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!onVolume(args[0])) return (value as (...a: unknown[]) => unknown).apply(real, args);
        try {
          return (Reflect.get(rec.fs, name) as (...a: unknown[]) => unknown)(...args);
        } catch (error) {
          if (error instanceof SimulatedCrash) atCrash();
          throw error;
        }
      };
    },
  }) as Fs;
}

async function runOn(ws: Workspace, vol: Volume, point?: CrashPoint, faults?: Faults) {
  const rec = new RecordingFs(vol, point, faults);
  let dbAtCrash: Files | undefined;
  const run = await runTool(ws, argv(ws), { fs: routedFs(rec, () => (dbAtCrash ??= ws.files())) });
  if (dbAtCrash) ws.restore(dbAtCrash); // undo what the tool did to the database after the crash
  return { run, rec, volume: rec.crashed ? rec.crashSnapshot! : snapshotVolume(vol) };
}

const workspaces: Workspace[] = [];
afterEach(() => workspaces.splice(0).forEach((ws) => ws.remove()));
const fresh = () => {
  const ws = new Workspace({});
  workspaces.push(ws);
  return ws;
};

// A registry whose mining is done and committed, its row waiting (running, owner gone) for
// the export: what a crash at the first operation of the export leaves. Every run below
// starts from it, so each one is only the export step.
const setup = new Workspace({});
const exportPending: Files = await runOn(setup, seed(), { at: 0 }).then(() => setup.files()).finally(() => setup.remove());
const fromExportPending = () => {
  const ws = fresh();
  ws.restore(exportPending);
  return ws;
};

// The uninterrupted export: its volume, its rows, and the file operations it made.
const refWs = new Workspace({});
refWs.restore(exportPending);
const first = await runOn(refWs, seed());
const refRows = first.run.code === 0 ? resultRows(refWs) : [];
const refCheckpoints = first.run.code === 0 ? checkpointRows(refWs) : [];
refWs.remove();
if (first.run.code !== 0) throw new Error(`the uninterrupted run exited ${first.run.code}: ${first.run.log.join('\n')}`);
const reference: Snapshot = first.volume;
const ops = first.rec.ops;
const afterFinish = POWER_LOSS_KINDS.map((kind) => ({ kind, image: first.rec.powerLossImage(kind), rows: refCheckpoints }));

const points: CrashPoint[] = ops.flatMap((op) => [
  { at: op.seq },
  ...(op.kind === 'write' && (op.bytes ?? 0) >= 2 ? [{ at: op.seq, torn: true }] : []),
  ...POWER_LOSS_KINDS.map((powerLoss) => ({ at: op.seq, powerLoss })),
]);

describe('the export', () => {
  it(`is whole after a resume from all ${points.length} crash states of its ${ops.length} file operations (clean, torn, power loss)`, async () => {
    expect(ops.map((o) => o.kind)).toContain('rename');
    const failures: string[] = [];
    for (const point of points) {
      const ws = fromExportPending();
      const crashed = await runOn(ws, seed(), point);
      const name = `op ${point.at} (${ops[point.at]!.kind} ${ops[point.at]!.path})${point.torn ? ' torn' : point.powerLoss ? ` power loss: ${point.powerLoss}` : ''}`;
      if (crashed.run.code !== 1) failures.push(`${name}: the crash run exited ${crashed.run.code}`);
      // The row still waits, running, for its export.
      expect(checkpointRows(ws)[0], name).toMatchObject({ status: 'running', stage: 'completed' });
      const resumed = await runOn(ws, volumeFromSnapshot(crashed.volume));
      if (resumed.run.code !== 0) failures.push(`${name}: resume exited ${resumed.run.code}: ${resumed.run.log.at(-1)}`);
      const diff = diffSnapshots(reference, resumed.volume);
      if (diff.length) failures.push(`${name}: ${diff.join('; ')}`);
      expect(resultRows(ws), name).toEqual(refRows);
      expect(checkpointRows(ws)[0], name).toMatchObject({ status: 'completed', owner_pid: null });
    }
    expect(failures).toEqual([]);
  });

  it('is on disk, whatever a power loss undoes, once its row says completed (fsync before the status)', () => {
    for (const { kind, image, rows } of afterFinish) {
      expect(rows[0]!.status).toBe('completed');
      expect(image.files.get(EXPORT)?.toString(), kind).toBe(reference.files.get(EXPORT)!.toString());
    }
  });

  it('leaves only the log and the export on the volume once a run completes', () => {
    expect([...reference.files.keys()].sort()).toEqual([EXPORT, INPUT]);
  });

  const faults: [string, Faults, RegExp][] = [
    ['the disk is full', { enospcAfterBytes: 100 }, /Cannot write export \/mem\/data\/patterns\.json \(ENOSPC\); checkpoint 1 keeps the results, fix the cause and rerun to finish/],
    ['permission is lost', { eacces: (p) => p.startsWith(EXPORT) }, /\(EACCES\)/],
    ['fsync fails', { eioOnFsync: true }, /\(EIO\)/],
  ];
  for (const [name, fault, message] of faults) {
    it(`fails with exit 73 when ${name} while it is written: the row is marked failed, the results stay, a rerun finishes`, async () => {
      const ws = fresh();
      const failed = await runOn(ws, seed(), undefined, fault);
      expect(failed.run.code).toBe(73);
      expect(failed.run.log.at(-1)).toMatch(message);
      expect(failed.run.log.at(-1)).toMatch(/^Error: /);
      expect(failed.run.log.at(-2)).toBe('Checkpoint 1 marked failed; fix the cause, then resume-mining 1');
      expect(checkpointRows(ws)[0]).toMatchObject({ status: 'failed', stage: 'completed', owner_pid: null, error: expect.stringMatching(message) });
      expect([...failed.volume.files.keys()]).toEqual([INPUT]); // no export, no temp file left
      expect(resultRows(ws)).toEqual(refRows);

      const rerun = await runOn(ws, volumeFromSnapshot(failed.volume));
      expect(rerun.run.code).toBe(0);
      expect(rerun.run.log.slice(0, 2)).toEqual([
        expect.stringMatching(/^Checkpoint 1 failed earlier \(Cannot write export/),
        'Resuming checkpoint 1: both stages are done, the export is next',
      ]);
      expect(diffSnapshots(reference, rerun.volume)).toEqual([]);
      expect(resultRows(ws)).toEqual(refRows);
    });
  }
});

describe("SQLite's own errors", () => {
  const sqlite = (code: string, message: string) => new Database.SqliteError(message, code);
  it('become the exit codes of the course table, with a message that says what to do', () => {
    const cases: [string, number, RegExp][] = [
      ['SQLITE_FULL', EXIT.ioError, /I\/O error on database x\.db \(boom\); the last checkpoint is intact, fix the cause and rerun/],
      ['SQLITE_IOERR_WRITE', EXIT.ioError, /I\/O error on database x\.db/],
      ['SQLITE_BUSY', EXIT.locked, /Database x\.db is locked by another process \(boom\); try again when it has finished/],
      ['SQLITE_CORRUPT', EXIT.badData, /Database x\.db is corrupt \(boom\); move it aside or rerun mine-patterns with --force/],
      ['SQLITE_READONLY', EXIT.cannotCreate, /Database x\.db cannot be written \(boom\); check its permissions/],
    ];
    for (const [code, exit, message] of cases) {
      const explained = explainDbError(sqlite(code, 'boom'), 'x.db');
      expect(exitCodeFor(explained), code).toBe(exit);
      expect((explained as Error).message, code).toMatch(message);
    }
    expect(exitCodeFor(explainDbError(sqlite('SQLITE_MISMATCH', 'odd'), 'x.db'))).toBe(EXIT.bug);
  });
});
