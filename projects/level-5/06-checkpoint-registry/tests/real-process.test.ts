// What an in-process run cannot show: a real SIGKILL in the middle of a SQLite transaction, a
// real Ctrl+C, two real processes, on the real disk. Each rerun must leave the same rows in
// the results table, and the same export, as an uninterrupted run (computed in-process).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, startCli } from '../../../../test/kit/index.ts';
import { isProcessAlive } from '../src/lock.ts';
import { PROJECT_DIR, runTool, Workspace, type ResultRow } from './tool.ts';

// A longer log than the sample: 300 messages over 30 days, 20 spam campaigns of 10 messages.
const longLog = (count: number) =>
  Array.from({ length: count }, (_, i) => {
    const day = `2026-04-${String(1 + Math.floor((i * 30) / count)).padStart(2, '0')}`;
    const spam = i % 3 !== 0;
    const text = spam ? `campaign ${'abcdefghijklmnopqrst'[i % 20]} offer ${i} at http://x.example/${i}` : `see you at ${i % 12}`;
    return `${i + 1}\t${day}\t${spam ? 'spam' : 'ham'}\t${text}\n`;
  }).join('');
const LONG = longLog(300);
const RUN = ['mine-patterns', '30', '--input', 'data/long.log', '--export', 'data/long.json', '--batch-size', '5', '--checkpoint-every', '2'];
// Generous limits: a child process on a busy shared machine can take seconds to start.
const SLOW = 90_000;

// The uninterrupted result, in-process.
const expected = await (async () => {
  const ws = new Workspace({ 'long.log': LONG });
  try {
    const run = await runTool(ws, [...RUN.slice(0, 2), '--db', ws.db, '--input', ws.path('long.log'), '--export', ws.path('long.json'), ...RUN.slice(6)]);
    if (run.code !== 0) throw new Error(run.log.join('\n'));
    const summary = JSON.parse(run.out) as { messages: number; groups: number; patterns: number };
    return { summary, exported: ws.read('long.json'), rows: rowsOf(ws.db) };
  } finally {
    ws.remove();
  }
})();

function rowsOf(db: string): ResultRow[] {
  const conn = new Database(db, { fileMustExist: true });
  try {
    return conn.prepare('SELECT checkpoint_id, pattern, spam_count, example_message_id FROM mined_patterns ORDER BY rowid').all() as ResultRow[];
  } finally {
    conn.close();
  }
}

function rowOf(db: string): { status: string; stage: string; last_processed_message_id: number | null; owner_pid: number | null } {
  const conn = new Database(db, { fileMustExist: true });
  try {
    return conn.prepare('SELECT * FROM pattern_mining_checkpoints WHERE id = 1').get() as ReturnType<typeof rowOf>;
  } finally {
    conn.close();
  }
}

/** A small seeded generator: the "random" moments are the same on every run of the suite. */
function seeded(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}
const random = seeded(2026);

// One job, interrupted three ways in a row, then finished: each step starts from what the one
// before it left (the tests run in order, on one scratch copy of the project).
describe('a real process, on the real disk', () => {
  const scratch = scratchProject(PROJECT_DIR);
  writeFileSync(join(scratch.dir, 'data/long.log'), LONG);
  afterAll(() => scratch.remove());
  const db = join(scratch.dir, 'data/registry.db');
  const cli = (args: string[], signal?: Parameters<typeof runCli>[0]['signal']) => runCli({ cwd: scratch.dir, args, signal, timeoutMs: SLOW });

  it('killed by SIGKILL after a random number of log lines leaves its row running, with its pid', async () => {
    // Early in the run (2 to 4 checkpoints in, at once), so that a loaded machine, which reads
    // the child's stderr late while the child runs on, still kills it before its last commit.
    const lines = 2 + Math.floor(random() * 3);
    const killed = await cli(RUN, { name: 'SIGKILL', when: new RegExp(`(Checkpoint saved[^\n]*\n[^]*){${lines}}`), afterMs: 0 });
    expect(killed.code, killed.stderr.slice(-300)).toBe(137);
    expect(rowOf(db)).toMatchObject({ status: 'running', owner_pid: expect.any(Number) });
    expect(rowsOf(db).length).toBeLessThan(expected.rows.length);
  }, SLOW);

  it('interrupted by SIGINT takes the row over, finishes its interval, saves, marks it failed, exits 130 (G7)', async () => {
    const before = rowOf(db);
    const interrupted = await cli(RUN, { name: 'SIGINT', when: /Checkpoint saved at message \d+ \([\d.]+% of stage1/ });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toMatch(new RegExp(`^Checkpoint 1 was left running by pid ${before.owner_pid}, which is not running; resuming it`));
    expect(JSON.parse(interrupted.stdout)).toMatchObject({ checkpoint_id: 1, status: 'interrupted' });
    expect(rowOf(db)).toMatchObject({ status: 'failed', owner_pid: null, error: 'interrupted (SIGINT)' });
  }, SLOW);

  it('killed by --simulate-crash inside a stage-2 transaction exits 137 with its journal left, and nothing of it committed', async () => {
    // a few groups into the second commit interval of stage 2: patterns inserted, not committed
    const intoStage2 = 11 + Math.floor(random() * 8);
    const row = rowOf(db);
    const leftInStage1 = row.stage === 'stage1' ? LONG.split('\n').filter((l) => l && Number(l.split('\t')[0]) < row.last_processed_message_id!).length : 0;
    const crashed = await cli([...RUN, '--simulate-crash', String(leftInStage1 + intoStage2)]);
    expect(crashed.code, crashed.stderr).toBe(137);
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stderr).toMatch(/Simulating a crash after item \d+ of this run \(stage2, message \d+\)/);
    expect(existsSync(`${db}-journal`)).toBe(true); // SQLite's rollback journal of the open transaction
    const after = rowOf(db);
    expect(after).toMatchObject({ status: 'running', stage: 'stage2' });
    // only the patterns of the committed interval: those of the groups up to the saved position
    expect(rowsOf(db)).toEqual(expected.rows.filter((r) => r.example_message_id >= after.last_processed_message_id!));
  }, SLOW);

  it('finishes on a rerun with the same rows in the results table, and the same export, as an uninterrupted run', async () => {
    const done = await cli(RUN);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/^Checkpoint 1 was left running by pid \d+, which is not running; resuming it/);
    expect(rowsOf(db)).toEqual(expected.rows);
    expect(readFileSync(join(scratch.dir, 'data/long.json'), 'utf8')).toBe(expected.exported);
    expect(rowOf(db)).toMatchObject({ status: 'completed', owner_pid: null });
    expect(existsSync(`${db}-journal`)).toBe(false);
  }, SLOW);
});

describe('two real processes', () => {
  it('a second one is refused while the first holds the row, naming its pid; once the first is killed, its row is resumable (G8)', async () => {
    const scratch = scratchProject(PROJECT_DIR);
    try {
      // A log far too long to finish (a commit per message) keeps the first run alive for sure.
      writeFileSync(join(scratch.dir, 'data/huge.log'), longLog(5_000));
      const slow = ['mine-patterns', '30', '--input', 'data/huge.log', '--export', 'data/huge.json', '--batch-size', '1', '--checkpoint-every', '1'];
      const first = startCli({ cwd: scratch.dir, args: slow, timeoutMs: SLOW });
      await new Promise<void>((resolve) => first.child.stderr!.on('data', (d: Buffer) => /Checkpoint saved/.test(String(d)) && resolve()));
      const second = await runCli({ cwd: scratch.dir, args: slow, timeoutMs: SLOW });
      first.child.kill('SIGKILL');
      await first.done;
      expect(second.code, second.stderr).toBe(75);
      expect(second.stderr.trim()).toMatch(new RegExp(`^Error: Checkpoint 1 in data/registry\\.db is being run by pid ${first.child.pid} \\(since \\S+\\); wait for it to finish$`));
      // Killed, its row stays running with its pid; the real liveness check now finds it gone.
      const db = join(scratch.dir, 'data/registry.db');
      expect(rowOf(db)).toMatchObject({ status: 'running', owner_pid: first.child.pid });
      const ws = new Workspace({});
      try {
        ws.restore(new Map([['registry.db', readFileSync(db)]]));
        const listed = await runTool(ws, ['list-checkpoints', '--json', '--db', ws.db], { isAlive: isProcessAlive });
        expect(JSON.parse(listed.out)).toMatchObject([{ id: 1, resumable: true, note: `resumable: its owner pid ${first.child.pid} is gone (resume-mining 1)` }]);
      } finally {
        ws.remove();
      }
    } finally {
      scratch.remove();
    }
  }, SLOW);
});
