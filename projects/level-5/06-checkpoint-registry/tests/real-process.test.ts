// What an in-process run cannot show: a real SIGKILL in the middle of a SQLite transaction, a
// real Ctrl+C, two real processes, on the real disk. Each rerun must leave the same rows in
// the results table, and the same export, as an uninterrupted run (computed in-process).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, scratchProject, startCli } from '../../../../test/kit/index.ts';
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

function project() {
  const scratch = scratchProject(PROJECT_DIR);
  writeFileSync(join(scratch.dir, 'data/long.log'), LONG);
  const at = (name: string) => join(scratch.dir, 'data', name);
  const finish = async () => {
    const done = await runCli({ cwd: scratch.dir, args: RUN, timeoutMs: SLOW });
    expect(done.code, done.stderr).toBe(0);
    expect(rowsOf(at('registry.db'))).toEqual(expected.rows);
    expect(rowOf(at('registry.db'))).toMatchObject({ status: 'completed', owner_pid: null });
    return done;
  };
  return { scratch, at, finish };
}

/** A small seeded generator: the "random" moments are the same on every run of the suite. */
function seeded(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('a real process', () => {
  it.concurrent('killed by --simulate-crash inside a transaction of stage 2 exits 137 with a journal left; a rerun rolls it back and finishes with the same rows', async () => {
    const { scratch, at, finish } = project();
    try {
      // 3 groups into the second commit interval of stage 2: patterns inserted, not committed
      const crashAt = expected.summary.messages + 13;
      const crashed = await runCli({ cwd: scratch.dir, args: [...RUN, '--simulate-crash', String(crashAt)], timeoutMs: SLOW });
      expect(crashed.code).toBe(137);
      expect(crashed.signal).toBe('SIGKILL');
      expect(existsSync(at('registry.db-journal'))).toBe(true); // SQLite's rollback journal: the open transaction
      const row = rowOf(at('registry.db'));
      expect(row).toMatchObject({ status: 'running', stage: 'stage2' });
      // only the first interval's patterns (10 groups) are committed, none of the second
      expect(rowsOf(at('registry.db'))).toEqual(expected.rows.filter((r) => r.example_message_id >= row.last_processed_message_id!));
      const done = await finish();
      expect(done.stderr).toMatch(/Checkpoint 1 was left running by pid \d+, which is not running; resuming it/);
      expect(readFileSync(at('long.json'), 'utf8')).toBe(expected.exported);
    } finally {
      scratch.remove();
    }
  }, SLOW);

  it.concurrent('survives SIGKILLs at random moments (after a random number of log lines), each followed by a rerun, with the same rows', async () => {
    const { scratch, at, finish } = project();
    const random = seeded(2026);
    try {
      const positions: string[] = [];
      for (let round = 0; round < 2; round++) {
        const lines = 1 + Math.floor(random() * 10);
        const killed = await runCli({
          cwd: scratch.dir,
          args: RUN,
          timeoutMs: SLOW,
          signal: { name: 'SIGKILL', when: new RegExp(`(Checkpoint saved[^\\n]*\\n[^]*){${lines}}`), afterMs: Math.floor(random() * 20) },
        });
        expect(killed.code, `round ${round}: ${killed.stderr.slice(-300)}`).toBe(137);
        const row = rowOf(at('registry.db'));
        expect(row.status).toBe('running');
        positions.push(`${row.stage}:${row.last_processed_message_id}`);
      }
      // progress never goes back: stage 1 counts down from the newest message
      const order = positions.map((p) => (p.startsWith('stage1:') ? 1e9 - Number(p.slice(7)) : p.startsWith('stage2:') ? 2e9 - Number(p.slice(7) || 0) : 3e9));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      await finish();
    } finally {
      scratch.remove();
    }
  }, SLOW);

  it.concurrent('interrupted by SIGINT finishes its interval, saves, marks the row failed, exits 130; a rerun finishes (G7)', async () => {
    const { scratch, at, finish } = project();
    try {
      const interrupted = await runCli({ cwd: scratch.dir, args: RUN, timeoutMs: SLOW, signal: { name: 'SIGINT', when: /Checkpoint saved at message \d+ \([\d.]+% of stage1, chunk 4\)/ } });
      expect(interrupted.code).toBe(130);
      expect(JSON.parse(interrupted.stdout)).toMatchObject({ status: 'interrupted' });
      expect(rowOf(at('registry.db'))).toMatchObject({ status: 'failed', owner_pid: null });
      const done = await finish();
      expect(done.stderr).toMatch(/^Checkpoint 1 failed earlier \(interrupted \(SIGINT\)\); resuming it/);
    } finally {
      scratch.remove();
    }
  }, SLOW);

  it.concurrent('refuses a second process while the first holds the row, naming its pid (G8)', async () => {
    const { scratch, at } = project();
    try {
      // A log far too long to finish (a commit per message) keeps the first run alive for sure.
      writeFileSync(join(scratch.dir, 'data/huge.log'), longLog(30_000));
      const slow = ['mine-patterns', '30', '--input', 'data/huge.log', '--export', 'data/huge.json', '--batch-size', '1', '--checkpoint-every', '1'];
      const first = startCli({ cwd: scratch.dir, args: slow, timeoutMs: SLOW });
      await new Promise<void>((resolve) => first.child.stderr!.on('data', (d: Buffer) => /Checkpoint saved/.test(String(d)) && resolve()));
      const second = await runCli({ cwd: scratch.dir, args: slow, timeoutMs: SLOW });
      first.child.kill('SIGKILL');
      await first.done;
      expect(second.code, second.stderr).toBe(75);
      expect(second.stderr.trim()).toMatch(new RegExp(`^Error: Checkpoint 1 in data/registry\\.db is being run by pid ${first.child.pid} \\(since \\S+\\); wait for it to finish$`));
      // killed, its row stays running with its pid, and is now listed as resumable
      expect(rowOf(at('registry.db'))).toMatchObject({ status: 'running', owner_pid: first.child.pid });
      const listed = await runCli({ cwd: scratch.dir, args: ['list-checkpoints', '1', 'running', '--json'], timeoutMs: SLOW });
      expect(JSON.parse(listed.stdout)).toMatchObject([{ id: 1, resumable: true, note: `resumable: its owner pid ${first.child.pid} is gone (resume-mining 1)` }]);
    } finally {
      scratch.remove();
    }
  }, SLOW);
});
