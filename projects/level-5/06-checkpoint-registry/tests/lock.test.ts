// G8 and the row's status: a run holds its row (owner_pid) from the claim to the end; a row
// held by a live run is refused (75, holder named); a row left `running` by a dead owner is
// resumable; a failure or an interrupt marks the row failed; and each run touches only its
// own row.
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointRows, mineArgs, query, reference, resultRows, resumeArgs, runTool, Workspace } from './tool.ts';

const ref = await reference();
const workspaces: Workspace[] = [];
afterEach(() => workspaces.splice(0).forEach((ws) => ws.remove()));
const fresh = () => {
  const ws = new Workspace();
  workspaces.push(ws);
  return ws;
};

describe('the lock', () => {
  it('refuses a row that a live run holds, naming its pid (exit 75), by either command, and changes nothing', async () => {
    const ws = fresh();
    const first = await runTool(ws, mineArgs(ws, '--simulate-crash', '12'));
    const firstStillRuns = (pid: number) => pid === first.pid;
    const before = ws.files();
    for (const argv of [mineArgs(ws), resumeArgs(ws, 1), mineArgs(ws, '--force')]) {
      const second = await runTool(ws, argv, { isAlive: firstStillRuns });
      expect(second.code, argv.join(' ')).toBe(75);
      expect(second.log.at(-1)).toBe(`Error: Checkpoint 1 in ${ws.db} is being run by pid ${first.pid} (since 2026-11-25T12:00:00.000Z); wait for it to finish`);
      expect(ws.files()).toEqual(before);
    }
  });

  it('holds its row from start to end: at every periodic update the row names this run as its owner', async () => {
    const ws = fresh();
    const owners: (number | null)[] = [];
    const run = await runTool(ws, mineArgs(ws), {
      onLog: (line) => {
        if (line.startsWith('Checkpoint saved')) owners.push(query<{ owner_pid: number | null }>(ws, 'SELECT owner_pid FROM pattern_mining_checkpoints WHERE id = 1')[0]!.owner_pid);
      },
    });
    expect(owners.length).toBeGreaterThan(2);
    expect(owners).toEqual(owners.map(() => run.pid));
    expect(checkpointRows(ws)[0]).toMatchObject({ status: 'completed', owner_pid: null });
  });

  it('takes over a row left running by an owner that is gone, and says whose it was', async () => {
    const ws = fresh();
    const crashed = await runTool(ws, mineArgs(ws, '--simulate-crash', '12'));
    const resumed = await runTool(ws, mineArgs(ws));
    expect(resumed.code).toBe(0);
    expect(resumed.log[0]).toBe(`Checkpoint 1 was left running by pid ${crashed.pid}, which is not running; resuming it`);
    expect(resultRows(ws)).toEqual(ref.rows);
  });
});

describe('the status of a row', () => {
  it('is failed, with the reason, when the run is interrupted (SIGINT: exit 130 after a saved checkpoint), and resumes from there', async () => {
    const ws = fresh();
    const interrupt = { requested: false };
    const run = await runTool(ws, mineArgs(ws), { interrupt, onLog: (line) => line.startsWith('Checkpoint saved') && (interrupt.requested = true) });
    expect(run.code).toBe(130);
    expect(JSON.parse(run.out)).toMatchObject({ checkpoint_id: 1, status: 'interrupted' });
    const saved = Number(/message (\d+)/.exec(run.log.find((l) => l.startsWith('Checkpoint saved'))!)![1]);
    expect(checkpointRows(ws)[0]).toMatchObject({ status: 'failed', error: 'interrupted (SIGINT)', owner_pid: null, last_processed_message_id: saved });
    expect(run.log.at(-1)).toBe('Interrupted: checkpoint 1 is saved and marked failed; resume-mining 1 (or the same mine-patterns command) goes on from there');

    const resumed = await runTool(ws, resumeArgs(ws, 1));
    expect(resumed.log[0]).toBe('Checkpoint 1 failed earlier (interrupted (SIGINT)); resuming it');
    expect(resumed.code).toBe(0);
    expect(resultRows(ws)).toEqual(ref.rows);
    expect(ws.read('patterns.json')).toBe(ref.exported);
  });

  it('cannot be resumed once completed, nor when it does not exist (exit 2)', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws));
    const done = await runTool(ws, resumeArgs(ws, 1));
    expect(done.code).toBe(2);
    expect(done.log[0]).toBe(`Error: Checkpoint 1 in ${ws.db} is completed; there is nothing to resume (list-checkpoints 10 failed shows what is)`);
    const missing = await runTool(ws, resumeArgs(ws, 9));
    expect(missing.code).toBe(2);
    expect(missing.log[0]).toBe(`Error: Checkpoint 9 does not exist in ${ws.db}; list-checkpoints shows the ones that do`);
    const noDb = fresh();
    const none = await runTool(noDb, resumeArgs(noDb, 1));
    expect(none.code).toBe(2);
    expect(noDb.exists('registry.db')).toBe(false);
  });

  it('of every other run stays as it was when a run completes (each statement names its own row)', async () => {
    const ws = fresh();
    const crashed = await runTool(ws, mineArgs(ws, '--simulate-crash', '12')); // row 1: running, owner gone
    const interrupt = { requested: false };
    await runTool(ws, ['mine-patterns', '5', ...mineArgs(ws).slice(2)], { interrupt, onLog: (l) => l.startsWith('Checkpoint saved') && (interrupt.requested = true) }); // row 2: failed
    const before = checkpointRows(ws);
    const third = await runTool(ws, ['mine-patterns', '3', ...mineArgs(ws).slice(2)]); // row 3: completed
    expect(third.code).toBe(0);
    const after = checkpointRows(ws);
    expect(after.slice(0, 2)).toEqual(before);
    expect(after.map((r) => r.status)).toEqual(['running', 'failed', 'completed']);
    expect(after[0]!.owner_pid).toBe(crashed.pid);
  });
});
